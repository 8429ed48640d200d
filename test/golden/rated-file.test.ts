/**
 * `callbill invoice --rated FILE` (issue #7): one row per billed record. The rows
 * must add up to the invoice: per customer and line code, the billable seconds of
 * the rows equal the seconds of the invoice's time lines; the transfer costs equal
 * the diversion summary's. The file is formula-safe and written atomically.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { runCliInProcess } from '../helpers/cli';
import { withoutUnlistedNotice } from '../helpers/unlisted';

type Row = Record<string, string>;

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'callbill-rated-'));
}

/** An amount with 2 decimals ("36.00", "-1.50") as integer cents, without a float. */
function cents(s: string): bigint {
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(s);
  if (!m) throw new Error(`not an amount with 2 decimals: ${s}`);
  const v = BigInt(m[2]!) * 100n + BigInt(m[3]!);
  return m[1] ? -v : v;
}

async function invoiceWithRated(args: string[]): Promise<{ rows: Row[]; invoices: any; text: string }> {
  const dir = tempDir();
  const path = join(dir, 'rated.csv');
  const r = await runCliInProcess(['invoice', '--format', 'json', '--issue-date', '2026-11-02', '--rated', path, ...args]);
  expect(withoutUnlistedNotice(r.stderr)).toBe('');
  expect(r.code).toBe(0);
  const text = readFileSync(path, 'utf8');
  expect(readdirSync(dir)).toEqual(['rated.csv']); // no temporary file left behind
  return { rows: parse(text, { columns: true }) as Row[], invoices: JSON.parse(r.stdout), text };
}

const RUNS: Array<[string, string[]]> = [
  ['ledger', ['-p', 'fixtures/explain/ledger/prices.yaml', '--period', '2026-10', '--balances-in', 'fixtures/explain/ledger/balances.csv', 'fixtures/explain/ledger/usage.csv']],
  ['version-boundary', ['-p', 'fixtures/explain/version-boundary/prices.yaml', '--period', '2026-10', 'fixtures/explain/version-boundary/usage.csv']],
  ['example-2026-10', ['--period', '2026-10', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']],
  ['diversion-chain (October)', ['-p', 'fixtures/diversion-chain/prices.yaml', '--period', '2026-10', 'fixtures/diversion-chain/oct.csv']],
];

describe.each(RUNS)('--rated adds up to the invoice: %s', (_name, args) => {
  let rows: Row[];
  let invoices: any;
  beforeAll(async () => {
    ({ rows, invoices } = await invoiceWithRated(args));
  });

  it('one row per billed record', () => {
    expect(rows.length).toBe(invoices.control.records_billed);
    expect(new Set(rows.map((r) => r.record_id)).size).toBe(rows.length);
  });

  it('billable_seconds summed per customer and line code = the seconds of the invoice lines with that code', () => {
    const fromRows = new Map<string, number>();
    const add = (key: string, s: number) => fromRows.set(key, (fromRows.get(key) ?? 0) + s);
    for (const r of rows) {
      if (r.line_code === '') {
        expect(r.status).toBe('abandoned');
        expect(r.billable_seconds).toBe('0');
        continue;
      }
      add(`${r.customer_id} ${r.line_code}`, Number(r.billable_seconds));
      if (r.band !== '') add(`${r.customer_id} ${r.channel}.surcharge.${r.band}`, Number(r.billable_seconds));
    }
    const fromInvoices = new Map<string, number>();
    for (const inv of invoices.invoices) {
      for (const l of inv.lines) {
        if (l.seconds === null) continue;
        const key = `${inv.customer_id} ${l.code}`;
        fromInvoices.set(key, (fromInvoices.get(key) ?? 0) + l.seconds);
      }
    }
    expect(fromRows.size).toBeGreaterThan(0);
    expect(Object.fromEntries([...fromRows].sort())).toEqual(Object.fromEntries([...fromInvoices].sort()));
  });

  it('transfer costs and seconds summed per customer and kind = the diversion summary', () => {
    for (const inv of invoices.invoices) {
      for (const kind of ['mobile', 'international'] as const) {
        const mine = rows.filter((r) => r.customer_id === inv.customer_id && r.diversion === kind);
        expect(mine.length).toBe(inv.diversion[kind].records);
        expect(mine.reduce((s, r) => s + Number(r.transfer_seconds), 0)).toBe(inv.diversion[kind].seconds);
        expect(mine.reduce((s, r) => s + cents(r.transfer_cost ?? ""), 0n)).toBe(cents(inv.diversion[kind].cost));
      }
    }
  });
});

describe('--rated rows, checked by hand (fixtures/explain/ledger)', () => {
  let lines: string[];
  beforeAll(async () => {
    lines = (await invoiceWithRated(RUNS[0]![1])).text.split('\n');
  });
  it('the header, and the rows in input order (the order records are rated)', () => {
    expect(lines[0]).toBe(
      'record_id,source,customer_id,channel,status,started_at,started_at_local,plan,version,band,billable_seconds,line_code,rate,diversion,diversion_prefix,transfer_seconds,transfer_rate,transfer_cost',
    );
    expect(lines.slice(1, -1).map((l) => l.split(',')[0])).toEqual(['L-04', 'L-02', 'G-01', 'L-06', 'L-01', 'L-03', 'L-07', 'L-05']);
    expect(lines[lines.length - 1]).toBe('');
  });
  it.each([
    // L-01: 95.2 s → 96 s; +1 (242) → 1242 at 0.40; 1500 s → 10.00
    ['L-01', 'L-01,fixtures/explain/ledger/usage.csv:6,ACME,voice,answered,2026-10-12T09:00:00Z,2026-10-12 10:00:00,standard,2026-01-01,,96,voice.usage,0.85,international,1242,1500,0.40,10.00'],
    // L-06: a local time after the DST change (UTC+0), after-hours; mobile 3660 s → 7.32
    ['L-06', 'L-06,fixtures/explain/ledger/usage.csv:5,ACME,voice,answered,2026-10-28 21:15:00,2026-10-28 21:15:00,standard,2026-01-01,after-hours,3660,voice.usage,0.85,mobile,,3660,0.12,7.32'],
    // L-07: abandoned: 0 s on no line, the transfer (120 s → 0.24) still there
    ['L-07', 'L-07,fixtures/explain/ledger/usage.csv:8,ACME,voice,abandoned,2026-10-31T10:00:00Z,2026-10-31 10:00:00,standard,2026-01-01,,0,,,mobile,,120,0.12,0.24'],
    // G-01: +01:00 offset, 240 s; mobile 600 s → 1.20
    ['G-01', 'G-01,fixtures/explain/ledger/usage.csv:4,GLOBEX,voice,answered,2026-10-08T10:15:00+01:00,2026-10-08 10:15:00,standard,2026-01-01,,240,voice.usage,0.85,mobile,,600,0.12,1.20'],
  ])('%s', (id, expected) => {
    expect(lines.find((l) => l.startsWith(`${id},`))).toBe(expected);
  });
});

describe('--rated is safe and atomic', () => {
  const prices = 'fixtures/explain/compare/a.yaml'; // has a default_plan: any customer id is billed
  it('text cells that a spreadsheet would run as formulas are prefixed with \'', async () => {
    const dir = tempDir();
    const usage = join(dir, 'usage.csv');
    writeFileSync(usage, 'record_id,customer_id,channel,started_at,duration_seconds\n=1+2,@EVIL,voice,2026-10-05T09:00:00Z,60\n-3,+X,chat,2026-10-05T10:00:00Z,30\n');
    const out = join(dir, 'rated.csv');
    const r = await runCliInProcess(['invoice', '-p', prices, '--rated', out, usage]);
    expect(r.code).toBe(0);
    const text = readFileSync(out, 'utf8').split('\n');
    expect(text[1]!.startsWith("'=1+2,")).toBe(true);
    expect(text[1]).toContain(",'@EVIL,");
    expect(text[2]!.startsWith("'-3,")).toBe(true);
    expect(text[2]).toContain(",'+X,");
  });
  it('a run that fails (a bad row, no --rejects) writes no file and leaves no temporary file', async () => {
    const dir = tempDir();
    const out = join(dir, 'rated.csv');
    const r = await runCliInProcess(['invoice', '-p', 'fixtures/explain/not-billed/prices.yaml', '--rated', out, 'fixtures/explain/not-billed/usage.csv']);
    expect(r.code).toBe(65);
    expect(readdirSync(dir)).toEqual([]);
  });
  it('with --rejects, the rejected rows are not in it and the run writes both files', async () => {
    const dir = tempDir();
    const out = join(dir, 'rated.csv');
    const r = await runCliInProcess(['invoice', '-q', '-p', 'fixtures/explain/not-billed/prices.yaml', '--period', '2026-10', '--rejects', join(dir, 'rejects.csv'), '--rated', out, 'fixtures/explain/not-billed/usage.csv']);
    expect(r.code).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['rated.csv', 'rejects.csv']);
    // N-2 is outside the period; N-3, both copies of N-1 and N-4 are rejected: nothing is rated
    expect(readFileSync(out, 'utf8').split('\n').slice(1, -1)).toEqual([]);
  });
  it('a folder that does not exist: exit 73 before anything is read', async () => {
    const r = await runCliInProcess(['invoice', '-p', prices, '--rated', join(tempDir(), 'missing', 'rated.csv'), 'fixtures/explain/compare/usage.csv']);
    expect(r.code).toBe(73);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--rated .*missing\/rated\.csv: the folder .*missing does not exist\n$/);
  });
  it('the file is not there until the run has succeeded', async () => {
    // a price list that cannot be read fails the run after --rated was opened
    const dir = tempDir();
    const out = join(dir, 'rated.csv');
    const r = await runCliInProcess(['invoice', '-p', join(dir, 'no-such.yaml'), '--rated', out, 'fixtures/explain/compare/usage.csv']);
    expect(r.code).toBe(66);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });
});

