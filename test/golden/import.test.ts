import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli';

/**
 * Issue #8 end to end: each built-in profile's sample export, billed with --import,
 * must give the same invoices as the hand-written expected-canonical.csv beside it
 * (the same usage in SPEC §2 columns), billed without a profile.
 */
const SAMPLES: Array<[string, string]> = [
  ['asterisk', 'Master.csv'],
  ['freeswitch', 'Master.csv'],
  ['connect', 'contact-records.csv'],
  ['twilio', 'calls.csv'],
  ['five9', 'call-log.csv'],
];
const MONTH = ['--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json'];

describe('invoice --import <profile>', () => {
  it.each(SAMPLES)('%s: the export bills like its canonical usage file', async (profile, file) => {
    const dir = `fixtures/import/${profile}`;
    const viaProfile = await runCliInProcess(['invoice', '--import', profile, ...MONTH, `${dir}/${file}`]);
    const canonical = await runCliInProcess(['invoice', ...MONTH, `${dir}/expected-canonical.csv`]);
    expect(viaProfile.code).toBe(0);
    expect(canonical.code).toBe(0);
    const a = JSON.parse(viaProfile.stdout);
    const b = JSON.parse(canonical.stdout);
    expect(a.invoices).toEqual(b.invoices);
    expect(a.invoices.length).toBeGreaterThan(0);
    const c = a.control;
    expect(c.records_read).toBe(c.records_billed + c.records_rejected + c.records_outside_period);
    expect(c.records_read).toBe(b.control.records_read);
  });

  it('says how many earlier copies Connect de-duplication replaced', async () => {
    const r = await runCliInProcess(['invoice', '--import', 'connect', ...MONTH, 'fixtures/import/connect/contact-records.csv']);
    expect(r.stderr).toBe('callbill: 2 earlier copies of records replaced by a later copy (import profile de-duplication); they are not counted as records\n');
  });

  it('rejects a row the profile cannot map, with its location and original cells', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-import-'));
    try {
      const src = readFileSync('fixtures/import/five9/call-log.csv', 'utf8').split('\n');
      // break the first data row's talk time (HH:MM:SS "00:05:40") in a copy of the Five9 sample
      expect(src[1]).toContain('"00:05:40"');
      src[1] = src[1]!.replace('"00:05:40"', '"00:xx:40"');
      writeFileSync(join(dir, 'log.csv'), src.join('\n'));
      const bad = await runCliInProcess(['invoice', '--import', 'five9', ...MONTH, join(dir, 'log.csv')]);
      expect(bad.code).toBe(65);
      expect(bad.stdout).toBe('');
      expect(bad.stderr.split('\n')[0]).toMatch(new RegExp(`^${join(dir, 'log.csv')}:2: TALK TIME: .*\\("00:xx:40"\\)$`));
      const ok = await runCliInProcess(['invoice', '--import', 'five9', ...MONTH, '--rejects', join(dir, 'rej.csv'), join(dir, 'log.csv')]);
      expect(ok.code).toBe(0);
      const rej = readFileSync(join(dir, 'rej.csv'), 'utf8').split('\n');
      expect(rej[0]).toContain('TALK TIME');
      expect(rej[1]).toContain('00:xx:40');
      expect(rej[1]).toContain(`${join(dir, 'log.csv')}:2,`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails with 65 when the file does not fit the profile, and 78 for a bad profile', async () => {
    const wrong = await runCliInProcess(['invoice', '--import', 'five9', ...MONTH, 'fixtures/example-2026-10/voice.csv']);
    expect(wrong.code).toBe(65);
    expect(wrong.stderr).toMatch(/^callbill: fixtures\/example-2026-10\/voice\.csv:1: the header has no column .*which import profile "five9" reads/);
    const dir = mkdtempSync(join(tmpdir(), 'callbill-profile-'));
    try {
      writeFileSync(join(dir, 'p.yaml'), 'name: x\nheader: maybe\n');
      const bad = await runCliInProcess(['check', '--import', join(dir, 'p.yaml')]);
      expect(bad.code).toBe(78);
      expect(bad.stderr).toMatch(new RegExp(`^${join(dir, 'p.yaml')}:2:\\d+: `, 'm'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const unknown = await runCliInProcess(['invoice', '--import', 'genesys', ...MONTH, 'fixtures/example-2026-10/voice.csv']);
    expect(unknown.code).toBe(78);
  });

  it('import-check shows the first rows as callbill reads them', async () => {
    const r = await runCliInProcess(['import-check', '--import', 'asterisk', '--rows', '2', 'fixtures/import/asterisk/Master.csv']);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('import profile asterisk (builtin:asterisk): OK — Asterisk cdr_csv Master.csv');
    expect(lines[2]).toBe('fixtures/import/asterisk/Master.csv: the first 2 rows as callbill reads them');
    expect(lines[5]).toMatch(/^\s+1\s.*\sACME\s+voice\s+2026-10-01T09:02:11\s+315\s+14\s+answered\s/);
    expect(lines[6]).toMatch(/^\s+2\s.*\sACME\s+voice\s.*\sabandoned\s/);
  });

  it('a between: duration of local times counts the hour a DST change adds or skips (Lisbon)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-dst-'));
    try {
      const prices = [
        'currency: EUR',
        'timezone: Europe/Lisbon',
        'rounding: half-up',
        'tax: { name: VAT, rate: 23 }',
        'invoice_number: "{customer}-{period}"',
        'default_plan: standard',
        'plans:',
        '  standard:',
        '    versions:',
        '      - effective_from: 2026-01-01',
        '        voice: { per_minute: 0.85, increment: { first: 1, next: 1 } }',
        '',
      ].join('\n');
      writeFileSync(join(dir, 'P.yaml'), prices);
      writeFileSync(
        join(dir, 'local.yaml'),
        'fields:\n  record_id: id\n  customer_id: cust\n  channel: { value: voice }\n  started_at: answered\n  duration_seconds: { between: [answered, ended] }\n',
      );
      // 00:30 to 02:30 local: 3 hours on the night Lisbon falls back, 1 hour on the night it springs forward
      writeFileSync(join(dir, 'oct.csv'), 'id,cust,answered,ended\nr1,ACME,2026-10-25 00:30:00,2026-10-25 02:30:00\n');
      writeFileSync(join(dir, 'mar.csv'), 'id,cust,answered,ended\nr1,ACME,2026-03-29 00:30:00,2026-03-29 02:30:00\n');
      const bill = async (file: string, period: string) => {
        const r = await runCliInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--import', join(dir, 'local.yaml'), '--period', period, '--issue-date', '2026-11-01', '--format', 'json', join(dir, file)]);
        expect(r.code).toBe(0);
        const line = JSON.parse(r.stdout).invoices[0].lines.find((l: { code: string }) => l.code === 'voice.usage');
        return [line.seconds, line.amount];
      };
      // 10,800 s × 0.85 / 60 = 153.00; 3,600 s × 0.85 / 60 = 51.00
      expect(await bill('oct.csv', '2026-10')).toEqual([10800, '153.00']);
      expect(await bill('mar.csv', '2026-03')).toEqual([3600, '51.00']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
