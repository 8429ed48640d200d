import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCliInProcess, runInProcess, runSubprocess } from '../helpers/cli';
import type { CliOutcome, Outcome } from '../helpers/cli';

/**
 * SPEC §7 through the built CLI: a quarter of billing on one ledger. The data is the
 * diversion-chain fixture, whose closing balances were worked out by hand in
 * fixtures/diversion-chain/expected.md and its balances-2026-1x.csv files: October
 * closes ACME 36.00 / GLOBEX 20.80, November (opened from October's closing) closes
 * ACME 49.70 / GLOBEX 0.00.
 */
const FIX = join(ROOT, 'fixtures', 'diversion-chain');
const HEADER = 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,status,diversion,destination,diverted_seconds';
// a late October call of ACME: 6000 s diverted to a mobile at 0.12/min, per started minute = 12.00
const LATE = 'L-1,ACME,voice,2026-10-30T10:00:00Z,600,5,answered,mobile,+351 912 345 678,6000';

let dir: string;
let db: string;

/**
 * A command from the test folder: the built CLI's main() in this process, as runCli runs
 * `node bin/callbill.js` (test/helpers/cli.ts runCliInProcess); every ledger it opens must
 * be closed again for the next command to use it, as between two processes.
 */
function cb(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliOutcome> {
  return runCliInProcess(args, { cwd: dir, env });
}
/** Reading the ledger: the built CLI's main() in this process (fewer processes; same code). */
function read(args: string[]): Promise<Outcome> {
  return runInProcess(args);
}
const P = () => ['-p', join(dir, 'prices.yaml')];

interface Inv {
  invoice_number: string;
  customer_id: string;
  total: string;
  diversion: { opening_balance: string; opening_adjustment?: string; closing_balance: string };
}
interface RunJson {
  invoices: Inv[];
  control: Record<string, unknown>;
}
const byCustomer = (r: RunJson) => Object.fromEntries(r.invoices.map((i) => [i.customer_id, i]));

async function exportOf(name: string): Promise<Record<string, string>> {
  const out = join(dir, name);
  const r = await read(['ledger', 'export', '--ledger', db, '--out', out]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  return Object.fromEntries(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f), 'utf8')]));
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-ledger-'));
  db = join(dir, 'books.db');
  writeFileSync(join(dir, 'prices.yaml'), readFileSync(join(FIX, 'prices.yaml'), 'utf8').replace('invoice_number: "{customer}-{period}"', 'invoice_number: "INV-{year}-{seq:5}"'));
  const oct = readFileSync(join(FIX, 'oct.csv'), 'utf8');
  const nov = readFileSync(join(FIX, 'nov.csv'), 'utf8');
  const octRows = oct.trim().split('\n').slice(1);
  // November's export overlaps October's by two records, and brings the late call
  writeFileSync(join(dir, 'nov-export.csv'), nov.trimEnd() + '\n' + octRows.slice(0, 2).join('\n') + '\n' + LATE + '\n');
  writeFileSync(join(dir, 'oct-complete.csv'), oct.trimEnd() + '\n' + LATE + '\n');
  writeFileSync(join(dir, 'dec.csv'), `${HEADER}\nD-1,ACME,voice,2026-12-03T10:00:00Z,120,5,answered,,,\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

jest.setTimeout(120_000);

describe('the ledger cycle: issue, overlap, late record, correct, adjustment', () => {
  let octIssue: RunJson;

  test('no ledger: 66 with the way out, and nothing created', async () => {
    const r = await cb(['issue', ...P(), '--period', '2026-10', join(FIX, 'oct.csv')]);
    expect(r.code).toBe(66);
    expect(r.stderr).toBe('callbill: no ledger at callbill.db: create one with `callbill ledger init`\n');
    expect(existsSync(join(dir, 'callbill.db'))).toBe(false);
    const init = await cb(['ledger', 'init'], { CALLBILL_LEDGER: db });
    expect(init.code).toBe(0);
    expect(existsSync(db)).toBe(true);
    expect((await cb(['ledger', 'init', '--ledger', db])).code).toBe(73);
  });

  test('October: the preview shows exactly what issue then stores, with numbers in customer order', async () => {
    const args = [...P(), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--ledger', db, join(FIX, 'oct.csv')];
    const preview = await cb(['invoice', ...args]);
    expect(preview).toMatchObject({ code: 0, stderr: '' });
    const issued = await cb(['issue', ...args]);
    expect(issued).toMatchObject({ code: 0, stderr: '' });
    expect(issued.stdout).toBe(preview.stdout);
    octIssue = JSON.parse(issued.stdout) as RunJson;
    const c = byCustomer(octIssue);
    expect([c.ACME!.invoice_number, c.GLOBEX!.invoice_number]).toEqual(['INV-2026-00001', 'INV-2026-00002']);
    expect([c.ACME!.diversion.closing_balance, c.GLOBEX!.diversion.closing_balance]).toEqual(['36.00', '20.80']);
    expect(octIssue.control).toMatchObject({ records_read: 9, records_billed: 9, records_already_billed: 0, records_late: 0 });

    // the same as `invoice` without a ledger, but for the numbers ({seq} prints DRAFT there)
    const plain = await cb(['invoice', ...P(), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', join(FIX, 'oct.csv')]);
    const expected = JSON.parse(plain.stdout) as RunJson & { control: Record<string, unknown> };
    expect(expected.invoices.map((i) => i.invoice_number)).toEqual(['INV-2026-DRAFT', 'INV-2026-DRAFT']);
    expected.invoices.forEach((inv, i) => (inv.invoice_number = octIssue.invoices[i]!.invoice_number));
    expect(octIssue.invoices).toEqual(expected.invoices);

    // the stored document is byte for byte the invoice's object of the issue run
    const show = await read(['ledger', 'show', 'INV-2026-00001', '--format', 'json', '--ledger', db]);
    expect(show.stdout).toBe(JSON.stringify(octIssue.invoices[0], null, 2) + '\n');
  });

  test('November without a balances file opens at October\'s closing; overlap skipped, late record reported', async () => {
    // `node bin/callbill.js`: all it knows of October is what the runs before it left in the ledger file
    const r = await runSubprocess(['issue', ...P(), '--period', '2026-11', '--issue-date', '2026-12-01', '--format', 'json', '--ledger', db, join(dir, 'nov-export.csv')], { cwd: dir, timeoutMs: 60_000 });
    expect(r.code).toBe(0);
    const nov = JSON.parse(r.stdout) as RunJson;
    const c = byCustomer(nov);
    expect([c.ACME!.invoice_number, c.GLOBEX!.invoice_number]).toEqual(['INV-2026-00003', 'INV-2026-00004']);
    expect([c.ACME!.diversion.opening_balance, c.GLOBEX!.diversion.opening_balance]).toEqual(['36.00', '20.80']);
    expect([c.ACME!.diversion.closing_balance, c.GLOBEX!.diversion.closing_balance]).toEqual(['49.70', '0.00']);
    // 7 of November + 2 of October billed already + 1 late
    expect(nov.control).toMatchObject({ records_read: 10, records_billed: 7, records_rejected: 0, records_outside_period: 0, records_already_billed: 2, records_late: 1 });
    expect(r.stderr).toContain('callbill: 2 records were billed on an earlier invoice and were skipped');
    expect(r.stderr).toContain('callbill: 1 late record of 2026-10 for ACME not billed: 2026-10 is already issued; bill it with: callbill correct --period 2026-10 --customer ACME');
  });

  test('a re-issue of October is refused (65) naming the invoice, and changes nothing', async () => {
    const before = await exportOf('export-before');
    const r = await cb(['issue', ...P(), '--period', '2026-10', '--issue-date', '2026-12-05', '--ledger', db, join(FIX, 'oct.csv')]);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain('2026-10 is already issued for ACME: invoice INV-2026-00001 of 2026-11-01');
    expect(r.stdout).toBe('');
    // an output over the ledger is refused before anything runs (73)
    const over = await cb(['issue', ...P(), '--period', '2026-12', '--rejects', `${db}-wal`, '--ledger', db, join(dir, 'dec.csv')]);
    expect(over.code).toBe(73);
    expect(over.stderr).toContain(`--rejects ${db}-wal: is the ledger ${db}-wal, which callbill reads`);
    const after = await exportOf('export-after');
    expect(after).toEqual(before);
    expect(Object.keys(after)).toEqual(['balances.csv', 'credit-notes.csv', 'invoice-lines.csv', 'invoices.csv']);
    expect(after['balances.csv']).toBe(readFileSync(join(FIX, 'balances-2026-11.csv'), 'utf8'));
  });

  test('correct October: dry run stores nothing; then a credit note, a replacement and an adjustment', async () => {
    const before = await exportOf('export-before-correct');
    const dry = await cb(['correct', ...P(), '--period', '2026-10', '--issue-date', '2026-12-02', '--dry-run', '--ledger', db, join(dir, 'oct-complete.csv')]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('Dry run: nothing was stored.');
    expect(await exportOf('export-after-dry')).toEqual(before);

    // a partial file would credit everything: refused
    const partial = join(dir, 'oct-partial.csv');
    writeFileSync(partial, readFileSync(join(dir, 'oct-complete.csv'), 'utf8').split('\n').slice(0, 4).join('\n') + '\n');
    const refused = await cb(['correct', ...P(), '--period', '2026-10', '--issue-date', '2026-12-02', '--ledger', db, partial]);
    expect(refused.code).toBe(65);
    expect(refused.stderr).toMatch(/billed on INV-2026-00001 \(ACME, 2026-10\) are not billed by the usage given/);

    const r = await cb(['correct', ...P(), '--period', '2026-10', '--issue-date', '2026-12-02', '--format', 'json', '--ledger', db, join(dir, 'oct-complete.csv')]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { outcomes: unknown[]; documents: Array<Record<string, unknown>> };
    expect(out.outcomes).toEqual([
      // 36.00 − 12.00 for the late call = 24.00: the adjustment is −12.00, November being issued already
      { customer_id: 'ACME', outcome: 'corrected', credited: 'INV-2026-00001', credit_note: 'CN-2026-00001', replacement: 'INV-2026-00005', adjustment: '-12.00' },
      { customer_id: 'GLOBEX', outcome: 'unchanged', invoice: 'INV-2026-00002' },
    ]);
    const [cn, rep] = out.documents as Array<{ invoice_number: string; total: string; kind?: string; credits?: string; lines: Array<{ amount: string }>; diversion: { closing_balance: string } }>;
    const orig = octIssue.invoices[0]!;
    expect(cn).toMatchObject({ invoice_number: 'CN-2026-00001', kind: 'credit_note', credits: 'INV-2026-00001', total: '-' + orig.total });
    expect(cn!.lines.map((l) => l.amount)).toEqual((orig as unknown as { lines: Array<{ amount: string }> }).lines.map((l) => '-' + l.amount));
    expect(rep!.invoice_number).toBe('INV-2026-00005');
    expect(rep!.diversion.closing_balance).toBe('24.00');

    const list = JSON.parse((await read(['ledger', 'invoices', '--period', '2026-10', '--format', 'json', '--ledger', db])).stdout) as { documents: Array<Record<string, unknown>> };
    expect(list.documents.map((d) => [d.number, d.kind, d.status, d.credits, d.credited_by, d.total])).toEqual([
      ['INV-2026-00001', 'invoice', 'credited', null, 'CN-2026-00001', orig.total],
      ['INV-2026-00002', 'invoice', 'issued', null, null, octIssue.invoices[1]!.total],
      ['CN-2026-00001', 'credit_note', 'issued', 'INV-2026-00001', null, '-' + orig.total],
      ['INV-2026-00005', 'invoice', 'issued', null, null, rep!.total],
    ]);
    // the late record is billed now: a later export of it is already billed, not late
    const again = await cb(['invoice', ...P(), '--period', '2026-12', '--issue-date', '2027-01-01', '--format', 'json', '--ledger', db, join(dir, 'oct-complete.csv'), join(dir, 'dec.csv')]);
    expect((JSON.parse(again.stdout) as RunJson).control).toMatchObject({ records_already_billed: 10, records_late: 0, records_billed: 1 });
  });

  test('December opens with November\'s closing plus the adjustment, shown on the invoice', async () => {
    const r = await cb(['issue', ...P(), '--period', '2026-12', '--issue-date', '2027-01-01', '--format', 'json', '--ledger', db, join(dir, 'dec.csv')]);
    expect(r.code).toBe(0);
    const c = byCustomer(JSON.parse(r.stdout) as RunJson);
    // 49.70 − 12.00
    expect(c.ACME!.diversion).toMatchObject({ opening_balance: '37.70', opening_adjustment: '-12.00', closing_balance: '37.70' });
    expect(c.ACME!.invoice_number).toBe('INV-2027-00001');
    expect(c.GLOBEX!.diversion.opening_adjustment).toBeUndefined();
    const bal = await read(['ledger', 'balances', '--format', 'csv', '--ledger', db]);
    expect(bal.stdout).toBe('customer_id,diversion_balance\nACME,37.70\nGLOBEX,0.00\n');
    // the adjustment is carried once: the next month opens from December's closing alone
    const jan = await cb(['invoice', ...P(), '--period', '2027-01', '--issue-date', '2027-02-01', '--format', 'json', '--ledger', db, join(dir, 'dec.csv')]);
    expect(byCustomer(JSON.parse(jan.stdout) as RunJson).ACME?.diversion.opening_balance).toBe('37.70');
  });

  test('backup is a complete ledger; exports are deterministic; a foreign file is refused (78)', async () => {
    const copy = join(dir, 'copy.db');
    expect((await cb(['ledger', 'backup', copy, '--ledger', db])).code).toBe(0);
    expect((await cb(['ledger', 'backup', copy, '--ledger', db])).code).toBe(73);
    const a = await exportOf('export-a');
    const r = await cb(['ledger', 'export', '--ledger', copy, '--out', join(dir, 'export-copy')]);
    expect(r.code).toBe(0);
    const b = Object.fromEntries(readdirSync(join(dir, 'export-copy')).sort().map((f) => [f, readFileSync(join(dir, 'export-copy', f), 'utf8')]));
    expect(b).toEqual(a);
    expect(a['credit-notes.csv']!.split('\n')[1]).toBe('CN-2026-00001,ACME,Acme Insurance Ltd,2026-10-01,2026-10-31,EUR,-138.34,-31.82,-170.16,INV-2026-00001,2026-12-02,2026-12-02');
    const foreign = await cb(['ledger', 'invoices', '--ledger', join(dir, 'prices.yaml')]);
    expect(foreign.code).toBe(78);
    expect(foreign.stderr).toContain('not a callbill ledger');
  });
});

describe('a record id seen twice', () => {
  test('the second pass that checks it starts the ledger\'s counts and billed ids again', async () => {
    const l3 = join(dir, 'dup.db');
    expect((await cb(['ledger', 'init', '--ledger', l3])).code).toBe(0);
    const oct = readFileSync(join(FIX, 'oct.csv'), 'utf8');
    const dup = join(dir, 'oct-dup.csv');
    writeFileSync(dup, oct.trimEnd() + '\n' + oct.trim().split('\n')[1] + '\n');
    const r = await cb(['issue', ...P(), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--rejects', join(dir, 'dup-rejects.csv'), '--ledger', l3, dup]);
    expect(r.code).toBe(0);
    // both copies of the repeated id are rejected (neither can be told right), each counted once
    expect((JSON.parse(r.stdout) as RunJson).control).toMatchObject({ records_read: 10, records_billed: 8, records_rejected: 2, records_already_billed: 0, records_late: 0 });
    // November's export repeats October's first two records: the second was billed, the first
    // (rejected in October) is late, as is the late call
    const nov = await cb(['issue', ...P(), '--period', '2026-11', '--issue-date', '2026-12-01', '--format', 'json', '--ledger', l3, join(dir, 'nov-export.csv')]);
    expect((JSON.parse(nov.stdout) as RunJson).control).toMatchObject({ records_billed: 7, records_already_billed: 1, records_late: 2 });
  });
});

describe('moving from balance files', () => {
  test('--balances-in seeds customers new to the ledger, and is refused (64) for the others', async () => {
    const l2 = join(dir, 'moved.db');
    expect((await cb(['ledger', 'init', '--ledger', l2])).code).toBe(0);
    const nov = await cb(['issue', ...P(), '--period', '2026-11', '--issue-date', '2026-12-01', '--format', 'json', '--ledger', l2,
      '--balances-in', join(FIX, 'balances-2026-10.csv'), join(FIX, 'nov.csv')]);
    expect(nov.code).toBe(0);
    const c = byCustomer(JSON.parse(nov.stdout) as RunJson);
    expect([c.ACME!.diversion.closing_balance, c.GLOBEX!.diversion.closing_balance]).toEqual(['49.70', '0.00']);
    const again = await cb(['issue', ...P(), '--period', '2026-12', '--ledger', l2, '--balances-in', join(FIX, 'balances-2026-11.csv'), join(dir, 'dec.csv')]);
    expect(again.code).toBe(64);
    expect(again.stderr).toContain('--balances-in: ACME, GLOBEX already have invoices in the ledger');
  });
});
