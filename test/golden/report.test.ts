/**
 * `callbill report` through the BUILT CLI (docs/reference.md §10): the shipped example
 * month in every format, its figures against the invoice's SLA statement of a separate
 * `invoice` run, --jobs byte for byte, bad command lines and bad rows, hostile names.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import type { CliOutcome } from '../helpers/cli';
import { generateUsage } from '../helpers/usage-gen';

const EXAMPLE = ['fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'];
const MONTH = ['--period', '2026-10'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-report-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface F {
  offered: number;
  answered: number;
  abandoned: number;
  diverted: number;
  service_level_percent: string | null;
  average_response_seconds: string | null;
  billed_minutes: string;
}
interface Report {
  period: { start: string; end: string };
  customers: Array<{ customer_id: string; channels: { voice: F; chat: F }; days: Array<F & { date: string; channel: string }>; hours: Array<F & { hour: number; channel: string }>; sla: Record<string, unknown> }>;
  control: Record<string, unknown>;
}
interface Invoices {
  invoices: Array<{ customer_id: string; sla: Record<string, unknown>; counts: { voice: number; chat: number; abandoned: number; diverted: number }; lines: Array<{ code: string; seconds: number | null }> }>;
  control: Record<string, unknown>;
}

describe('the shipped example month', () => {
  let r: CliOutcome;
  let inv: CliOutcome;
  beforeAll(async () => {
    r = await runCliInProcess(['report', ...MONTH, '--format', 'json', ...EXAMPLE]);
    inv = await runCliInProcess(['invoice', ...MONTH, '--format', 'json', ...EXAMPLE]);
  });

  test('json: the SLA figures are the invoice\'s, the counts its counts, the control figures its control figures', async () => {
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(inv.code).toBe(0);
    const rep = JSON.parse(r.stdout) as Report;
    const bill = JSON.parse(inv.stdout) as Invoices;
    expect(rep.period).toEqual({ start: '2026-10-01', end: '2026-10-31' });
    expect(rep.control).toEqual(bill.control);
    // every customer with contacts in the month
    expect(rep.customers.map((c) => c.customer_id)).toEqual(['ACME', 'GLOBEX', 'INITECH', 'UMBRELLA']);
    for (const c of rep.customers) {
      const i = bill.invoices.find((x) => x.customer_id === c.customer_id)!;
      const { met, ...sla } = c.sla;
      expect(sla).toEqual(i.sla);
      expect(met).toBeDefined();
      expect(c.channels.voice.service_level_percent).toBe(i.sla.service_level_percent);
      expect([c.channels.voice.average_response_seconds, c.channels.chat.average_response_seconds]).toEqual([
        (i.sla.average_response_seconds as { voice: string | null }).voice,
        (i.sla.average_response_seconds as { chat: string | null }).chat,
      ]);
      expect([c.channels.voice.answered, c.channels.chat.answered, c.channels.voice.abandoned + c.channels.chat.abandoned, c.channels.voice.diverted + c.channels.chat.diverted]).toEqual([
        i.counts.voice,
        i.counts.chat,
        i.counts.abandoned,
        i.counts.diverted,
      ]);
      // billed minutes are the invoice's usage seconds / 60
      for (const ch of ['voice', 'chat'] as const) {
        const seconds = i.lines.filter((l) => l.code === `${ch}.usage`).reduce((s, l) => s + (l.seconds ?? 0), 0);
        expect(Number(c.channels[ch].billed_minutes) * 60).toBeCloseTo(seconds, 6);
      }
      // days and hours add up to the channel
      for (const ch of ['voice', 'chat'] as const) {
        for (const part of [c.days, c.hours] as Array<Array<F & { channel: string }>>) {
          const rows = part.filter((d) => d.channel === ch);
          const sum = (k: 'offered' | 'answered' | 'abandoned' | 'diverted') => rows.reduce((s, d) => s + d[k], 0);
          expect([sum('offered'), sum('answered'), sum('abandoned'), sum('diverted')]).toEqual([c.channels[ch].offered, c.channels[ch].answered, c.channels[ch].abandoned, c.channels[ch].diverted]);
        }
      }
    }
    // by hand from fixtures/example-2026-10: ACME's chats answered in 45, 80, 70, 55, 90, 40, 95 s and one unknown
    // → (45 + 80 + 70 + 55 + 90 + 40 + 95) / 7 = 475 / 7 = 67.857… → 67.86, above the 60 s maximum
    expect(rep.customers[0]!.channels.chat.average_response_seconds).toBe('67.86');
  });

  test('table: headings, and the missed target marked in words, not by colour', async () => {
    const t = await runCliInProcess(['report', ...MONTH, ...EXAMPLE]);
    expect([t.code, t.stderr]).toEqual([0, '']);
    expect(t.stdout).toContain('Service report, 2026-10-01 to 2026-10-31');
    expect(t.stdout).toContain('Acme Insurance Ltd (ACME)');
    expect(t.stdout).toMatch(/SLA average chat response: 67\.86 s \(at most 60 s\) ✗ missed/);
    expect(t.stdout).toMatch(/SLA service level answered within 20 s: 62\.50% \(target 80%\) ✗ missed/);
    expect(t.stdout).toContain('By day');
    expect(t.stdout).toContain('By hour of the day');
    expect(t.stdout).not.toContain('\u001b[');
  });

  test('csv: one row per customer, channel and day (or hour)', async () => {
    const d = await runCliInProcess(['report', ...MONTH, '--format', 'csv', ...EXAMPLE]);
    const h = await runCliInProcess(['report', ...MONTH, '--format', 'csv', '--by', 'hour', ...EXAMPLE]);
    expect([d.code, h.code]).toEqual([0, 0]);
    expect(d.stdout.trimEnd().split('\n')).toHaveLength(1 + 4 * 31 * 2);
    expect(h.stdout.trimEnd().split('\n')).toHaveLength(1 + 4 * 24 * 2);
    expect(d.stdout.split('\n')[0]).toMatch(/^customer_id,customer_name,date,weekday,channel,offered,/);
  });

  test('html: one page, no script, no address outside it, every chart present', async () => {
    const p = await runCliInProcess(['report', ...MONTH, '--format', 'html', ...EXAMPLE]);
    expect([p.code, p.stderr]).toEqual([0, '']);
    const html = p.stdout;
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|javascript:|https?:|\/\/[a-z]|src=|href=|@import/i);
    expect(html.match(/<svg /g)).toHaveLength(4 * 4);
    expect(html).toContain('SLA threshold: answered within 20 s');
    expect(html).toContain('✗ missed');
  });
});

test('--jobs 2 gives the report of --jobs 1, byte for byte, in every format', async () => {
  const file = join(dir, 'usage.csv');
  writeFileSync(file, generateUsage({ rows: 4000, seed: 17, bad: [10, 2000, 3999] }));
  const rejects = join(dir, 'rejects.csv');
  const env = { CALLBILL_CHUNK_BYTES: '20000' };
  for (const format of ['json', 'html', 'csv']) {
    const outs = [];
    for (const jobs of [1, 2]) {
      rmSync(rejects, { force: true });
      const r = await runCliInProcess(['report', '-p', 'price-lists/default.yaml', ...MONTH, '--format', format, '--rejects', rejects, '--jobs', String(jobs), file], { env });
      outs.push({ ...r, rejects: readFileSync(rejects, 'utf8') });
    }
    expect(outs[0]!.code).toBe(0);
    expect(outs[0]!.stderr).toContain('3 bad usage rows written to');
    expect(outs[1]).toEqual(outs[0]);
  }
});

test('--import: a platform export reports like its usage in the columns of §2', async () => {
  const viaProfile = await runCliInProcess(['report', '--import', 'asterisk', ...MONTH, '--format', 'csv', 'fixtures/import/asterisk/Master.csv']);
  const canonical = await runCliInProcess(['report', ...MONTH, '--format', 'csv', 'fixtures/import/asterisk/expected-canonical.csv']);
  expect([viaProfile.code, canonical.code]).toEqual([0, 0]);
  expect(viaProfile.stdout).toBe(canonical.stdout);
  expect(viaProfile.stdout.split('\n').length).toBeGreaterThan(10);
});

describe('bad command lines and bad rows', () => {
  test('--by without csv, an unknown format: 64', async () => {
    const a = await runCliInProcess(['report', ...MONTH, '--by', 'hour', ...EXAMPLE]);
    expect([a.code, a.stdout]).toEqual([64, '']);
    expect(a.stderr).toContain('--by goes with --format csv');
    const b = await runCliInProcess(['report', ...MONTH, '--format', 'pdf', ...EXAMPLE]);
    expect([b.code, b.stdout]).toEqual([64, '']);
  });

  test('a bad row is fatal (65, nothing on stdout) unless --rejects sets it aside', async () => {
    const file = join(dir, 'bad.csv');
    writeFileSync(file, 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-05T10:00:00Z,60\nr2,ACME,fax,2026-10-05T11:00:00Z,60\n');
    const a = await runCliInProcess(['report', ...MONTH, file]);
    expect([a.code, a.stdout]).toEqual([65, '']);
    expect(a.stderr).toContain(`${file}:3: channel:`);
    const rejects = join(dir, 'bad-rejects.csv');
    const b = await runCliInProcess(['report', ...MONTH, '--format', 'json', '--rejects', rejects, file]);
    expect(b.code).toBe(0);
    expect(existsSync(rejects)).toBe(true);
    const rep = JSON.parse(b.stdout) as Report;
    expect(rep.customers[0]!.channels.voice.offered).toBe(1);
    expect(rep.control).toMatchObject({ records_read: 2, records_billed: 1, records_rejected: 1 });
  });

  test('--rejects onto an input is refused before anything is read (73); standard input is read like a file', async () => {
    const file = join(dir, 'keep.csv');
    const text = readFileSync('fixtures/example-2026-10/voice.csv', 'utf8');
    writeFileSync(file, text);
    const a = await runCliInProcess(['report', ...MONTH, '--rejects', file, file]);
    expect([a.code, a.stdout]).toEqual([73, '']);
    expect(readFileSync(file, 'utf8')).toBe(text);
    const fromStdin = runCli(['report', ...MONTH, '--format', 'json', '-'], { input: text });
    const fromFile = await runCliInProcess(['report', ...MONTH, '--format', 'json', file]);
    expect(fromStdin.code).toBe(0);
    const strip = (s: string) => (JSON.parse(s) as { customers: unknown }).customers;
    expect(strip(fromStdin.stdout)).toEqual(strip(fromFile.stdout));
  });

  test('a month the inputs hold no record of: 65, as for invoice', async () => {
    const a = await runCliInProcess(['report', '--period', '2026-01', ...EXAMPLE]);
    expect([a.code, a.stdout]).toEqual([65, '']);
  });

  test('names from the price list are escaped in the page and made safe in the CSV', async () => {
    const prices = join(dir, 'hostile.yaml');
    writeFileSync(
      prices,
      readFileSync('price-lists/default.yaml', 'utf8').replace(/^customers:\n/m, 'customers:\n  "EVIL": { name: "<img src=x onerror=alert(1)> & \\"co\\"", plan: standard }\n  "=cmd": { name: "=HYPERLINK(1)", plan: standard }\n'),
    );
    const usage = join(dir, 'hostile.csv');
    writeFileSync(usage, 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds\ne1,EVIL,voice,2026-10-05T10:00:00Z,60,5\ne2,=cmd,chat,2026-10-05T10:00:00Z,60,5\n');
    const h = await runCliInProcess(['report', '-p', prices, ...MONTH, '--format', 'html', usage]);
    expect(h.code).toBe(0);
    expect(h.stdout).not.toContain('<img');
    expect(h.stdout).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;co&quot;');
    const c = await runCliInProcess(['report', '-p', prices, ...MONTH, '--format', 'csv', usage]);
    expect(c.stdout).toContain(`'=cmd,'=HYPERLINK(1),2026-10-05`);
  });
});
