import { join } from 'node:path';
import { quoteValue } from '../../src/errors';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';

/** Messages quote at most about 80 characters of an input value, with an ellipsis and the full length. */
describe('quoted values are cut', () => {
  it('quoteValue keeps short values whole and cuts long ones', () => {
    expect(quoteValue('abc')).toBe('"abc"');
    expect(quoteValue('x'.repeat(80))).toBe(`"${'x'.repeat(80)}"`);
    expect(quoteValue('x'.repeat(81))).toBe(`"${'x'.repeat(77)}"… (81 characters)`);
    // a code point is never split: 100 emoji are 200 UTF-16 units
    expect(quoteValue('😀'.repeat(100))).toBe(`"${'😀'.repeat(77)}"… (100 characters)`);
  });

  const big = 'record_id,customer_id,channel,started_at,duration_seconds\n' + Array.from({ length: 5000 }, (_, i) => `r${i},ACME,voice,2026-10-01T09:15:00Z,60`).join('\n') + '\n';
  const run = (args: string[]) => runInProcess(['invoice', '-q', '--period', '2026-10', ...args]);

  it('a usage file given as the price list gives a short message', async () => {
    const dir = folder({ 'U.csv': big });
    const r = await run(['-p', join(dir, 'U.csv'), join(dir, 'U.csv')]);
    expect(r.code).toBe(78);
    expect(r.stderr.length).toBeLessThan(600);
    // named for what it is (docs/reference.md §6.2), its first line quoted
    expect(r.stderr).toMatch(/U\.csv: this looks like a CSV file, not a YAML price list \(its first line is "record_id,customer_id[^"\n]*"\)/);
  });

  it('a price-list value, a usage cell, a balances header and a profile key are cut', async () => {
    const long = 'Z'.repeat(5000);
    const dir = folder({
      'P.yaml': P_YAML.replace('timezone: Europe/Lisbon', `timezone: Europe/${long}`),
      'Q.yaml': P_YAML,
      'U.csv': `${U_HEAD}r1,ACME,voice,${long},60\n`,
      'B.csv': `customer_id,${long}\n`,
      // YAML keys are at most 1024 characters
      'prof.yaml': `fields:\n  record_id: id\n  ${long.slice(0, 1000)}: x\n`,
    });
    const a = await run(['-p', join(dir, 'P.yaml'), join(dir, 'U.csv')]);
    expect(a.code).toBe(78);
    expect(a.stderr).toContain(`timezone: unknown IANA time zone "Europe/${'Z'.repeat(70)}"… (5007 characters)`);
    const b = await run(['-p', join(dir, 'Q.yaml'), join(dir, 'U.csv')]);
    expect(b.code).toBe(65);
    expect(b.stderr).toContain(`"${'Z'.repeat(77)}"… (5000 characters)`);
    expect(b.stderr.length).toBeLessThan(600);
    const c = await run(['-p', join(dir, 'Q.yaml'), '--balances-in', join(dir, 'B.csv'), join(dir, 'U.csv')]);
    expect(c.code).toBe(78);
    expect(c.stderr).toContain(`found "customer_id,${'Z'.repeat(65)}"… (5012 characters)`);
    const d = await run(['-p', join(dir, 'Q.yaml'), '--import', join(dir, 'prof.yaml'), join(dir, 'U.csv')]);
    expect(d.code).toBe(78);
    expect(d.stderr).toContain(`unknown field "${'Z'.repeat(77)}"… (1000 characters)`);
    for (const r of [a, b, c, d]) expect(r.stderr.length).toBeLessThan(1000);
  });
});
