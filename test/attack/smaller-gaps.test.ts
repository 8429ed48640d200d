import { join } from 'node:path';
import { ConfigError } from '../../src/errors';
import { loadProfile } from '../../src/import';
import { parseSeconds } from '../../src/usage/usage-record';
import { priceErrors } from '../helpers/prices';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';

describe('band days: an empty list is refused like an empty channels list', () => {
  it('days: [] is a price-list error at its place', () => {
    const yaml = P_YAML.replace(
      '        voice: { per_minute: 0.85, increment: { first: 1, next: 1 } }\n',
      '        voice: { per_minute: 0.85, increment: { first: 1, next: 1 } }\n        bands:\n          - { name: weekend, days: [], surcharge_per_minute: 0.30 }\n',
    );
    expect(priceErrors(yaml)).toEqual(['13:36: plans.standard.versions[0].bands[0].days: an empty list matches nothing; leave days out for every day']);
  });
});

describe('import profiles: column positions', () => {
  const profile = (ref: string) => `
fields:
  record_id: id
  customer_id: ${ref}
  channel: { value: voice }
  started_at: start
  duration_seconds: seconds
`;
  function problems(yaml: string): string[] {
    try {
      loadProfile('p.yaml', () => yaml);
    } catch (e) {
      if (e instanceof ConfigError) return e.lines();
      throw e;
    }
    return [];
  }
  it.each(['-1', '1.5', '1e3', '+2', '.5'])('%s is refused when the profile is loaded (78), not on every row', (ref) => {
    expect(problems(profile(ref))).toEqual([`p.yaml:4:16: customer_id: column positions are whole numbers from 1, found ${ref} (quote it to name a column headed so)`]);
  });
  it('a quoted "1.5" names a column headed 1.5; 3 is a position', () => {
    expect(problems(profile('"1.5"'))).toEqual([]);
    expect(problems(profile('3'))).toEqual([]);
  });
  it('a profile with such a column is refused by the CLI with 78', async () => {
    const dir = folder({ 'P.yaml': P_YAML, 'prof.yaml': profile('1e3'), 'e.csv': 'id,customer,start,seconds\nr1,ACME,2026-10-01T09:15:00Z,60\n' });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--import', join(dir, 'prof.yaml'), '--period', '2026-10', join(dir, 'e.csv')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('prof.yaml:4:16: customer_id: column positions are whole numbers from 1, found 1e3');
  });
});

describe('durations with many digits are read exactly', () => {
  const long = '12.' + '0'.repeat(40) + '1';
  it('a fraction of a second still rounds up to a whole second', () => {
    expect(parseSeconds(long)).toBe(13);
    expect(parseSeconds('0'.repeat(40) + '12')).toBe(12);
    expect(parseSeconds('12.' + '0'.repeat(40))).toBe(12);
    // a whole part far too big is longer than the longest accepted duration, never a wrong small number
    expect(parseSeconds('9'.repeat(40))).toBeGreaterThan(10_000_000);
  });
  it('bills 13 s for 12.000…001 s', async () => {
    const dir = folder({ 'P.yaml': P_YAML, 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,${long}\nr2,ACME,voice,2026-10-01T09:15:00Z,${'9'.repeat(40)}\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--format', 'json', '--rejects', join(dir, 'rej.csv'), '--issue-date', '2026-11-01', join(dir, 'U.csv')]);
    expect(r.code).toBe(0);
    const inv = (JSON.parse(r.stdout) as { invoices: Array<{ lines: Array<{ code: string; seconds: number | null }> }> }).invoices[0]!;
    expect(inv.lines.find((l) => l.code === 'voice.usage')?.seconds).toBe(13);
  });
});
