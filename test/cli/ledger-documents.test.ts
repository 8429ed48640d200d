/**
 * The ledger commands with services on request, documents, a correction's files and the
 * audit of an issue run, through the BUILT cli: October issued with extras and documents;
 * `ledger show --documents` writes the same bytes again; November's extras hold a late
 * October row (extras_late, a notice naming the correct command) and its usage an October
 * record again (already billed); `verify` replays both runs (November's from the ledger as
 * it was); `correct --extras` bills the late row with a credit note naming the invoice it
 * reverses, its files (--out, --format csv) and documents; a glyph the font lacks stores nothing.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import type { CliResult } from '../helpers/run-cli';
import { flat, pdfText } from '../documents/text-of';
import { withoutUnlistedNotice } from '../helpers/unlisted';

let dir: string;
let db: string;
const VOICE = join(ROOT, 'fixtures/example-2026-10/voice.csv');
const CHAT = join(ROOT, 'fixtures/example-2026-10/chat.csv');
const EXTRAS_HEADER = 'customer_id,date,service,quantity,reference';

function cb(args: string[]): Promise<CliResult> {
  return runCliInProcess([...args, '--ledger', db], { cwd: dir });
}
const P = () => ['-p', join(dir, 'prices.yaml')];
const files = (d: string) => Object.fromEntries(readdirSync(d).sort().map((f) => [f, readFileSync(join(d, f))]));

interface Inv {
  invoice_number: string;
  customer_id: string;
  total: string;
  kind?: string;
  credits?: string;
  lines: Array<{ code: string; quantity: string; amount: string }>;
}
interface Run {
  invoices: Inv[];
  control: Record<string, number>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-ledger-docs-'));
  db = join(dir, 'books.db');
  writeFileSync(join(dir, 'prices.yaml'), readFileSync(join(ROOT, 'price-lists/default.yaml'), 'utf8').replace('invoice_number: "{customer}-{period}"', 'invoice_number: "INV-{year}-{seq:5}"'));
  // October's extras as first exported: one recording copy for ACME (2.50)
  writeFileSync(join(dir, 'oct-extras.csv'), `${EXTRAS_HEADER}\nACME,2026-10-06,recording,,ticket 4411\n`);
  // November's export: a late October recording of ACME, a November transcript, and an October call again
  writeFileSync(join(dir, 'nov-extras.csv'), `${EXTRAS_HEADER}\nACME,2026-10-28,recording,2,late ticket\nACME,2026-11-03,transcript,2,nov\n`);
  const octRow = readFileSync(VOICE, 'utf8').split('\n').find((l) => l.includes(',ACME,') && l.includes('2026-10-0'))!;
  // the header of voice.csv decides the columns; the November call written in them
  const header = readFileSync(VOICE, 'utf8').split('\n')[0]!.split(',');
  const cell = (k: string) => ({ record_id: 'N-1', customer_id: 'ACME', channel: 'voice', started_at: '2026-11-05T10:00:00Z', duration_seconds: '300', response_seconds: '5', status: 'answered' })[k] ?? '';
  writeFileSync(join(dir, 'nov.csv'), `${header.join(',')}\n${octRow}\n${header.map(cell).join(',')}\n`);
  writeFileSync(join(dir, 'oct-extras-complete.csv'), `${EXTRAS_HEADER}\nACME,2026-10-06,recording,,ticket 4411\nACME,2026-10-28,recording,2,late ticket\n`);
  expect(await runCliInProcess(['ledger', 'init', '-q', '--ledger', db])).toMatchObject({ code: 0 });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let oct: Run;
describe('issue with --extras and --documents', () => {
  it('issues October with its extras, writes documents and files after the commit', async () => {
    const r = await cb(['issue', ...P(), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--extras', join(dir, 'oct-extras.csv'), '-o', join(dir, 'out-oct'), '--documents', join(dir, 'docs-oct'), VOICE, CHAT]);
    expect(withoutUnlistedNotice(r.stderr)).toBe(''); // UMBRELLA is billed under default_plan: that notice only
    expect(r.code).toBe(0);
    oct = JSON.parse(r.stdout) as Run;
    const acme = oct.invoices.find((i) => i.customer_id === 'ACME')!;
    expect(acme.invoice_number).toBe('INV-2026-00001');
    expect(acme.lines.filter((l) => l.code === 'service.recording')).toEqual([expect.objectContaining({ quantity: '1', amount: '2.50' })]);
    expect(oct.control).toMatchObject({ extras_read: 1, extras_billed: 1, extras_late: 0, records_late: 0 });
    expect(Object.keys(files(join(dir, 'docs-oct')))).toEqual(oct.invoices.flatMap((i) => [`${i.invoice_number}.html`, `${i.invoice_number}.pdf`]).sort());
    const audit = (JSON.parse(readFileSync(join(dir, 'out-oct', 'invoices.json'), 'utf8')) as { audit: { command: string; ledger: { numbers: string[] } } }).audit;
    expect(audit.command).toBe('issue');
    expect(audit.ledger.numbers).toEqual(oct.invoices.map((i) => i.invoice_number));
  });

  it('ledger show --documents writes the same bytes as issue --documents did', async () => {
    for (const inv of oct.invoices.slice(0, 2)) {
      const again = join(dir, `again-${inv.invoice_number}`);
      const r = await cb(['ledger', 'show', inv.invoice_number, '--format', 'json', '--documents', again]);
      expect([r.code, r.stderr]).toEqual([0, '']);
      const want = files(join(dir, 'docs-oct'));
      const have = files(again);
      expect(Object.keys(have)).toEqual([`${inv.invoice_number}.html`, `${inv.invoice_number}.pdf`]);
      for (const [n, b] of Object.entries(have)) expect(b.equals(want[n]!)).toBe(true);
    }
  });

  it('verify checks the October issue run: everything matches', async () => {
    const r = await runCliInProcess(['verify', join(dir, 'out-oct')], { cwd: dir });
    expect(r.stdout).toContain('everything matches');
    expect(r.code).toBe(0);
  });
});

let nov: Run;
describe('late extras and overlapping records in November', () => {
  it('counts the late October extras row and the October call again, with notices; the identities hold', async () => {
    const r = await cb(['issue', ...P(), '--period', '2026-11', '--issue-date', '2026-12-01', '--format', 'json', '--extras', join(dir, 'nov-extras.csv'), '-o', join(dir, 'out-nov'), join(dir, 'nov.csv')]);
    expect(r.code).toBe(0);
    nov = JSON.parse(r.stdout) as Run;
    const c = nov.control;
    expect(c).toMatchObject({ records_read: 2, records_billed: 1, records_already_billed: 1, records_late: 0, extras_read: 2, extras_billed: 1, extras_late: 1 });
    expect(c.records_read).toBe(c.records_billed! + c.records_rejected! + c.records_outside_period! + c.records_already_billed! + c.records_late!);
    expect(c.extras_read).toBe(c.extras_billed! + c.extras_rejected! + c.extras_outside_period! + c.extras_late!);
    expect(r.stderr).toContain('1 late extras row of 2026-10 for ACME not billed');
    expect(r.stderr).toContain('callbill correct --period 2026-10 --customer ACME --extras');
    const acme = nov.invoices.find((i) => i.customer_id === 'ACME')!;
    expect(acme.lines.filter((l) => l.code.startsWith('service.'))).toEqual([expect.objectContaining({ code: 'service.transcript', quantity: '2', amount: '2.00' })]);
  });

  it('the ledger records the extras files of a run and their control figures (ledger runs)', async () => {
    const r = await cb(['ledger', 'runs', '--format', 'json']);
    expect(r.code).toBe(0);
    const runs = (JSON.parse(r.stdout) as { runs: Array<{ command: string; extras: Array<{ path: string; rows: number }>; control: Record<string, number> }> }).runs;
    expect(runs.map((x) => [x.command, x.extras.map((e) => [e.path, e.rows])])).toEqual([
      ['issue', [[join(dir, 'oct-extras.csv'), 1]]],
      ['issue', [[join(dir, 'nov-extras.csv'), 2]]],
    ]);
    expect(runs[1]!.control).toMatchObject({ extras_read: 2, extras_billed: 1, extras_late: 1, records_already_billed: 1 });
  });

  it('verify replays the November run from the ledger as it was, and says the ledger is missing without it', async () => {
    const ok = await runCliInProcess(['verify', join(dir, 'out-nov')], { cwd: dir });
    expect(ok.stdout).toContain('replayed as it was after run 1');
    expect(ok.stdout).toContain('everything matches');
    expect(ok.code).toBe(0);
    const gone = await runCliInProcess(['verify', join(dir, 'out-nov'), '--ledger', join(dir, 'no-such.db')], { cwd: dir });
    expect(gone.stdout).toContain('MISSING  ledger');
    expect(gone.code).toBe(66);
  });
});

describe('correct with --extras, --out, --format csv and --documents', () => {
  it('refuses --documents with --dry-run and stores nothing', async () => {
    const r = await cb(['correct', ...P(), '--period', '2026-10', '--dry-run', '--documents', join(dir, 'dry'), VOICE, CHAT]);
    expect(r.code).toBe(64);
    expect(existsSync(join(dir, 'dry'))).toBe(false);
  });

  it('bills the late extras row: a credit note naming the invoice it reverses and a replacement, as files and documents', async () => {
    const r = await cb(['correct', ...P(), '--period', '2026-10', '--issue-date', '2026-12-02', '--customer', 'ACME', '--format', 'csv', '--extras', join(dir, 'oct-extras-complete.csv'), '-o', join(dir, 'out-cor'), '--documents', join(dir, 'docs-cor'), VOICE, CHAT]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'out-cor', 'invoices.json'), 'utf8')) as Run & { totals: Record<string, { total: string }> };
    const original = oct.invoices.find((i) => i.customer_id === 'ACME')!;
    expect(j.invoices.map((i) => [i.invoice_number, i.kind ?? 'invoice', i.credits ?? null])).toEqual([
      ['CN-2026-00001', 'credit_note', 'INV-2026-00001'],
      [expect.stringMatching(/^INV-2026-\d{5}$/), 'invoice', null],
    ]);
    const [cn, rep] = j.invoices as [Inv, Inv];
    expect(cn.total).toBe('-' + original.total);
    // the replacement bills the late row too: 2 recordings at 3.00 (the version from 2026-10-15), 6.00 more
    // before tax; VAT 23 % of 6.00 is 1.38 exactly, so 7.38 more in all: the net of the two documents
    expect(rep.lines.filter((l) => l.code === 'service.recording')).toEqual([
      expect.objectContaining({ quantity: '1', amount: '2.50' }),
      expect.objectContaining({ quantity: '2', amount: '6.00' }),
    ]);
    expect(j.totals.EUR!.total).toBe('7.38');
    // stdout (--format csv) is the --out folder's invoices.csv: one row per document, the credit note's amounts negative
    expect(r.stdout).toBe(readFileSync(join(dir, 'out-cor', 'invoices.csv'), 'utf8'));
    const rows = r.stdout.trim().split('\n');
    expect(rows[0]).toBe('invoice_number,customer_id,customer_name,period_start,period_end,currency,subtotal,tax,total,diversion_fees_charged,diversion_closing_balance,tax_note');
    expect(rows[1]!.split(',')[8]).toBe('-' + original.total);
    expect(readFileSync(join(dir, 'out-cor', 'invoice-lines.csv'), 'utf8').split('\n').filter((l) => l.startsWith('CN-2026-00001,')).length).toBe(original.lines.length);
    // the documents: the credit note titled so, naming the invoice it reverses
    expect(Object.keys(files(join(dir, 'docs-cor')))).toEqual(['CN-2026-00001.html', 'CN-2026-00001.pdf', `${rep.invoice_number}.html`, `${rep.invoice_number}.pdf`].sort());
    const text = flat(pdfText(readFileSync(join(dir, 'docs-cor', 'CN-2026-00001.pdf'))).text);
    expect(text).toContain('Credit note');
    expect(text).toContain('Reverses invoice INV-2026-00001');
    // written again from the ledger: the same bytes
    const again = join(dir, 'again-cn');
    expect(await cb(['ledger', 'show', 'CN-2026-00001', '--documents', again])).toMatchObject({ code: 0 });
    for (const n of ['CN-2026-00001.html', 'CN-2026-00001.pdf']) expect(readFileSync(join(again, n)).equals(readFileSync(join(dir, 'docs-cor', n)))).toBe(true);
  });

  it('verify still replays November after the correction (later runs left out); a correction folder has no audit', async () => {
    const ok = await runCliInProcess(['verify', join(dir, 'out-nov')], { cwd: dir });
    expect(ok.stdout).toContain('everything matches');
    expect(ok.code).toBe(0);
    const cor = await runCliInProcess(['verify', join(dir, 'out-cor')], { cwd: dir });
    expect(cor.code).toBe(65);
    expect(cor.stderr).toContain('correct --out writes none');
  });

  it('ledger export: every invoices.csv row has the cells its header names (the tax note among them)', async () => {
    const out = join(dir, 'export');
    expect(await cb(['ledger', 'export', '--out', out])).toMatchObject({ code: 0 });
    // no cell of this price list holds a comma or a quote: a plain split counts the cells
    const rows = readFileSync(join(out, 'invoices.csv'), 'utf8').trim().split('\n').filter((l) => !l.includes('"'));
    expect(rows[0]).toBe('invoice_number,customer_id,customer_name,period_start,period_end,currency,subtotal,tax,total,diversion_fees_charged,diversion_closing_balance,tax_note,issue_date,due_date,status,credited_by');
    expect(rows.length).toBeGreaterThan(3);
    for (const r of rows) expect([r, r.split(',').length]).toEqual([r, 16]);
  });

  it('a character the font lacks stops issue before anything is stored (78), naming it', async () => {
    const before = (await cb(['ledger', 'invoices', '--format', 'json'])).stdout;
    writeFileSync(join(dir, 'dec.csv'), 'record_id,customer_id,channel,started_at,duration_seconds\nD-1,東京,voice,2026-12-03T10:00:00Z,60\n');
    const r = await cb(['issue', ...P(), '--period', '2026-12', '--issue-date', '2027-01-02', '--documents', join(dir, 'docs-dec'), join(dir, 'dec.csv')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain('U+6771 "東"');
    expect(existsSync(join(dir, 'docs-dec'))).toBe(false);
    expect((await cb(['ledger', 'invoices', '--format', 'json'])).stdout).toBe(before);
  });
});

describe('hostile names on the documents of issue and correct', () => {
  it('the invoice and its credit note show markup, a formula and a bidi override as text', async () => {
    const hdir = join(dir, 'hostile');
    const hdb = join(hdir, 'h.db');
    mkdirSync(hdir);
    writeFileSync(
      join(hdir, 'prices.yaml'),
      `currency: EUR
timezone: UTC
rounding: half-up
invoice_number: "INV-{seq:3}"
credit_note_number: "CN-{seq:3}"
customers:
  IMG: { name: "<img src=x onerror=alert(1)>", plan: p }
  HYP: { name: "=HYPERLINK(\\"http://evil.example\\",\\"pay\\")", plan: p }
  RLO: { name: "Acme \\u202eLTD gnitnuocca\\u202c", plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1.00, increment: { first: 60, next: 60 } }
`,
    );
    const rows = (late: boolean) =>
      'record_id,customer_id,channel,started_at,duration_seconds\n' +
      ['IMG', 'HYP', 'RLO'].map((c, i) => `${c}-1,${c},voice,2026-10-0${i + 1}T10:00:00Z,60\n` + (late ? `${c}-2,${c},voice,2026-10-2${i + 1}T10:00:00Z,120\n` : '')).join('');
    writeFileSync(join(hdir, 'oct.csv'), rows(false));
    writeFileSync(join(hdir, 'oct-complete.csv'), rows(true));
    const h = (args: string[]) => runCliInProcess([...args, '--ledger', hdb, '-p', join(hdir, 'prices.yaml')], { cwd: hdir });
    expect(await runCliInProcess(['ledger', 'init', '-q', '--ledger', hdb])).toMatchObject({ code: 0 });
    expect(await h(['issue', '--period', '2026-10', '--issue-date', '2026-11-01', '-q', '--documents', join(hdir, 'inv'), join(hdir, 'oct.csv')])).toMatchObject({ code: 0, stderr: '' });
    expect(await h(['correct', '--period', '2026-10', '--issue-date', '2026-11-02', '-q', '--documents', join(hdir, 'cor'), join(hdir, 'oct-complete.csv')])).toMatchObject({ code: 0, stderr: '' });
    // numbers in customer order: HYP, IMG, RLO; the correction: CN-001 reverses INV-001 (HYP), and so on
    expect(readdirSync(join(hdir, 'cor')).filter((f) => f.endsWith('.pdf')).sort()).toEqual(['CN-001.pdf', 'CN-002.pdf', 'CN-003.pdf', 'INV-004.pdf', 'INV-005.pdf', 'INV-006.pdf']);
    for (const [folder, file] of [['inv', 'INV-002'], ['cor', 'CN-002']] as const) {
      const html = readFileSync(join(hdir, folder, `${file}.html`), 'utf8');
      expect(html).not.toMatch(/<img/);
      expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    }
    const cnRlo = readFileSync(join(hdir, 'cor', 'CN-003.html'), 'utf8');
    expect(cnRlo).not.toContain('\u202e');
    expect(cnRlo).toContain('Acme \\u202eLTD gnitnuocca\\u202c');
    const cnHyp = flat(pdfText(readFileSync(join(hdir, 'cor', 'CN-001.pdf'))).text);
    expect(cnHyp).toContain('=HYPERLINK("http://evil.example","pay")');
    expect(cnHyp).toContain('Reverses invoice INV-001');
    expect(cnHyp).not.toContain('\u202e');
  });
});
