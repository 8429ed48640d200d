import { parse } from 'csv-parse/sync';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderImportPreview } from '../../src/import/render-import-preview';
import { runInProcess } from '../helpers/cli';

/**
 * Issue #6, item 3: everywhere callbill echoes text from its inputs — the invoices CSV,
 * the lines CSV, the rejects file, the balances file, the table and stderr — a hostile
 * name or id can neither run as a spreadsheet formula (OWASP CSV injection, SPEC §5)
 * nor drive the terminal (escape sequences, bidi overrides).
 */

const ESC_NAME = '\u001b[31mRED\u001b[0m\u001b]8;;http://evil.example\u0007click\u001b]8;;\u0007\u001b[2J';
const BIDI_NAME = 'Acme \u202eLTD gnitnuocca\u202c \u2066x\u2069';

// YAML double-quoted escapes: \e is ESC, \a BEL, \t tab, \r CR, \u202e RLO
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
default_plan: p
tax: { name: "VAT\\e[5m", rate: 10 }
invoice_number: "{customer}/{period}"
customers:
  "=HYPERLINK(\\"http://evil.example\\",\\"x\\")": { name: "=HYPERLINK(\\"http://evil.example\\",\\"pay here\\")", plan: p }
  "+1": { name: "+1 555 0100", plan: p }
  "-2": { name: "-2+3", plan: p }
  "@x": { name: "@SUM(1+1)*cmd|' /C calc'!A0", plan: p }
  ESC: { name: "\\e[31mRED\\e[0m\\e]8;;http://evil.example\\aclick\\e]8;;\\a\\e[2J", plan: p }
  BIDI: { name: "Acme \\u202eLTD gnitnuocca\\u202c \\u2066x\\u2069", plan: p }
  TAB: { name: "\\tindented", plan: p }
  CR: { name: "\\rreturn", plan: "\\e]0;title\\a" }
  "'quoted": { name: "'=already quoted", plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.60, increment: { first: 60, next: 60 } }
        diversion:
          fee: 10.00
          mobile: { per_minute: 1.00, increment: { first: 60, next: 60 } }
  "\\e]0;title\\a":
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.60, increment: { first: 60, next: 60 } }
        diversion:
          fee: 10.00
          mobile: { per_minute: 1.00, increment: { first: 60, next: 60 } }
`;

const HEAD = 'record_id,customer_id,channel,started_at,duration_seconds,diversion,diverted_seconds,"=HYPERLINK(""http://evil.example"")"\n';
function row(id: string, customer: string, extra = ''): string {
  const cell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [id, customer, 'voice', '2026-10-05T10:00:00Z', '120', 'mobile', '150', extra].map(cell).join(',') + '\n';
}

const FORMULA_IDS = ['=HYPERLINK("http://evil.example","x")', '+1', '-2', '@x', "'quoted"];
const USAGE =
  HEAD +
  FORMULA_IDS.map((id, i) => row(`ok-${i}`, id, '=1+1')).join('') +
  row('ok-esc', 'ESC') +
  row('ok-bidi', 'BIDI') +
  row('ok-tab', 'TAB') +
  row('ok-cr', 'CR') +
  // rejected rows: ids holding controls, and cells that are formulas
  row('bad-1', '\u001b[2JWIPE') +
  row('bad-2', 'A\tB') +
  row('bad-3', 'A\rB') +
  row('bad-4', 'EVIL\u202eXXX') +
  row('=cmd|"/C calc"!A0', '\u0000NUL') +
  row('bad-6', '@SUM(A1)', '-5').replace('voice', 'fax');

let dir: string;
const p = (name: string) => join(dir, name);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-hostile-'));
  writeFileSync(p('prices.yaml'), PRICES);
  writeFileSync(p('usage.csv'), USAGE);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const invoice = (...args: string[]) =>
  runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', '--period', '2026-10', '--rejects', p('rejects.csv'), ...args, p('usage.csv')]);

/** SPEC §5: a cell that begins with =, +, -, @, a tab or a CR is either a figure or prefixed with '. */
function formulaCells(csv: string): string[] {
  const rows = parse(csv) as string[][];
  return rows.flat().filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?[0-9]+(\.[0-9]+)?$/.test(c));
}

const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('CSV outputs are spreadsheet-safe (SPEC §5)', () => {
  let stdoutCsv: string;
  let linesCsv: string;
  beforeAll(async () => {
    const o = await invoice('--format', 'csv', '--out', p('out'), '--balances-out', p('balances.csv'));
    expect(o.code).toBe(0);
    stdoutCsv = o.stdout;
    linesCsv = (await invoice('--format', 'csv', '--detail')).stdout;
  });

  it('invoices CSV (stdout and --out): no cell can run as a formula, and the names come back whole after the prefix', () => {
    for (const csv of [stdoutCsv, readFileSync(p('out/invoices.csv'), 'utf8')]) {
      expect(formulaCells(csv)).toEqual([]);
      const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
      const byName = Object.fromEntries(rows.map((r) => [r.customer_id!, r]));
      expect(byName[`'=HYPERLINK("http://evil.example","x")`]!.customer_name).toBe(`'=HYPERLINK("http://evil.example","pay here")`);
      expect(byName[`'=HYPERLINK("http://evil.example","x")`]!.invoice_number).toBe(`'=HYPERLINK("http://evil.example","x")/2026-10`);
      expect(byName["'+1"]!.customer_name).toBe("'+1 555 0100");
      expect(byName["'-2"]!.customer_name).toBe("'-2+3");
      expect(byName["'@x"]!.customer_name).toBe("'@SUM(1+1)*cmd|' /C calc'!A0");
      expect(byName.TAB!.customer_name).toBe("'\tindented");
      expect(byName.CR!.customer_name).toBe("'\rreturn");
      // a name that already begins with ' is not a formula: left as it is
      expect(byName["'quoted"]!.customer_name).toBe("'=already quoted");
      // 120 s at 0.60 = 1.20, one diversion fee 10.00 (a 150 s transfer bills 180 s at 1.00 = 3.00), VAT 10 %
      expect([byName.ESC!.subtotal, byName.ESC!.tax, byName.ESC!.total, byName.ESC!.diversion_closing_balance]).toEqual(['11.20', '1.12', '12.32', '7.00']);
    }
  });

  it('the exact row of a formula name: quoted, doubled quotes, one leading apostrophe', () => {
    expect(stdoutCsv.split('\n')).toContain(
      `"'=HYPERLINK(""http://evil.example"",""x"")/2026-10","'=HYPERLINK(""http://evil.example"",""x"")","'=HYPERLINK(""http://evil.example"",""pay here"")",2026-10-01,2026-10-31,EUR,11.20,1.12,12.32,1,7.00,`,
    );
  });

  it('lines CSV (--detail and invoice-lines.csv in --out)', () => {
    for (const csv of [linesCsv, readFileSync(p('out/invoice-lines.csv'), 'utf8')]) {
      expect(formulaCells(csv)).toEqual([]);
      expect(csv).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")/2026-10","'=HYPERLINK(""http://evil.example"",""x"")",voice.usage,"Voice, per minute (from 2026-01-01)",120,2,minute,0.60,1.20\n`);
    }
  });

  it('the rejects file: original cells, header names, source and error are all formula-safe', () => {
    const csv = readFileSync(p('rejects.csv'), 'utf8');
    expect(formulaCells(csv)).toEqual([]);
    const rows = parse(csv) as string[][];
    expect(rows[0]).toEqual(['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'diversion', 'diverted_seconds', `'=HYPERLINK("http://evil.example")`, 'source', 'error']);
    expect(rows.slice(1).map((r) => r[1])).toEqual(['\u001b[2JWIPE', 'A\tB', 'A\rB', 'EVIL\u202eXXX', '\u0000NUL', "'@SUM(A1)"]);
    expect(rows[5]![0]).toBe(`'=cmd|"/C calc"!A0`);
    expect(rows[6]![7]).toBe("'-5");
    expect(rows[1]![9]).toBe('customer_id: contains the control character U+001B (a damaged export?) ("\\u001b[2JWIPE")');
  });

  it('the balances file writes formula ids safely and --balances-in reads them back as they were', async () => {
    const bal = readFileSync(p('balances.csv'), 'utf8');
    expect(formulaCells(bal)).toEqual([]);
    expect(bal).toBe(
      'customer_id,diversion_balance\n' +
        `''quoted,7.00\n` +
        `'+1,7.00\n` +
        `'-2,7.00\n` +
        `"'=HYPERLINK(""http://evil.example"",""x"")",7.00\n` +
        `'@x,7.00\n` +
        'BIDI,7.00\nCR,7.00\nESC,7.00\nTAB,7.00\n',
    );
    writeFileSync(p('empty.csv'), HEAD);
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-12-01', '--period', '2026-10', '--balances-in', p('balances.csv'), '--format', 'json', p('usage.csv'), '--rejects', p('rejects2.csv')]);
    expect(o.code).toBe(0);
    const opening = Object.fromEntries((JSON.parse(o.stdout) as { invoices: Array<{ customer_id: string; diversion: { opening_balance: string } }> }).invoices.map((i) => [i.customer_id, i.diversion.opening_balance]));
    for (const id of [...FORMULA_IDS, 'ESC', 'BIDI', 'TAB', 'CR']) expect([id, opening[id]]).toEqual([id, '7.00']);
  });
});

describe('the terminal never receives control sequences', () => {
  it('table output: names, ids, plan and tax names are shown with visible escapes', async () => {
    const o = await invoice('--format', 'table');
    expect(o.code).toBe(0);
    expect(TERMINAL_UNSAFE.test(o.stdout)).toBe(false);
    expect(o.stdout).toContain('ESC/2026-10  \\u001b[31mRED\\u001b[0m\\u001b]8;;http://evil.example\\u0007click\\u001b]8;;\\u0007\\u001b[2J (ESC), plan p');
    expect(o.stdout).toContain('BIDI/2026-10  Acme \\u202eLTD gnitnuocca\\u202c \\u2066x\\u2069 (BIDI), plan p');
    expect(o.stdout).toContain('CR/2026-10  \\u000dreturn (CR), plan \\u001b]0;title\\u0007');
    expect(o.stdout).toContain('  VAT\\u001b[5m 10%');
    expect(ESC_NAME.length + BIDI_NAME.length).toBeGreaterThan(0);
  });

  it('stderr: rejected values, and even the --rejects path, are escaped', async () => {
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', '--rejects', p('rej\u001b[2J.csv'), p('usage.csv')]);
    expect(o.code).toBe(0);
    expect(TERMINAL_UNSAFE.test(o.stderr)).toBe(false);
    expect(o.stderr).toBe(`callbill: 6 bad usage rows written to ${p('rej\\u001b[2J.csv')}\n`);
    const fail = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', p('usage.csv')]);
    expect(fail.code).toBe(65);
    expect(TERMINAL_UNSAFE.test(fail.stderr)).toBe(false);
    expect(fail.stderr).toContain(`usage.csv:15: customer_id: contains the control character U+0000 (a damaged export?) ("\\u0000NUL")`);
  });
});

describe('ids holding control characters are damaged rows, not customers', () => {
  it.each([
    ['ESC', '\u001b[2JWIPE', 'U+001B'],
    ['TAB', 'A\tB', 'U+0009'],
    ['CR', 'A\rB', 'U+000D'],
    ['NUL', '\u0000NUL', 'U+0000'],
    ['RLO', 'EVIL\u202eXXX', 'U+202E'],
  ])('%s in customer_id', async (_n, id, code) => {
    writeFileSync(p('one.csv'), HEAD + row('r1', id));
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', p('one.csv')]);
    expect(o.code).toBe(65);
    expect(o.stderr.split('\n')[0]).toMatch(new RegExp(`one\\.csv:2: customer_id: contains the control character ${code.replace('+', '\\+')} \\(a damaged export\\?\\)`));
  });
  it('in record_id too', async () => {
    writeFileSync(p('one.csv'), HEAD + row('r\u001b1', 'ESC'));
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', p('one.csv')]);
    expect(o.code).toBe(65);
    expect(o.stderr.split('\n')[0]).toBe(`${p('one.csv')}:2: record_id: contains the control character U+001B (a damaged export?) ("r\\u001b1")`);
  });
});

describe('the outputs added by explain, compare, --rated and import-check', () => {
  it('--rated: every cell formula-safe', async () => {
    const o = await invoice('--format', 'csv', '--rated', p('rated.csv'));
    expect(o.code).toBe(0);
    const csv = readFileSync(p('rated.csv'), 'utf8');
    expect(formulaCells(csv)).toEqual([]);
    const rows = parse(csv, { columns: true }) as Array<Record<string, string>>;
    expect(rows.map((r) => r.customer_id)).toContain(`'=HYPERLINK("http://evil.example","x")`);
  });

  it('compare: the CSV is formula-safe and the table terminal-safe', async () => {
    writeFileSync(p('b.yaml'), PRICES.replace(/per_minute: 0\.60/g, 'per_minute: 0.70'));
    const base = ['compare', '-p', p('prices.yaml'), '--against', p('b.yaml'), '--period', '2026-10'];
    writeFileSync(p('good.csv'), HEAD + FORMULA_IDS.map((id, i) => row(`g-${i}`, id)).join('') + row('g-esc', 'ESC') + row('g-bidi', 'BIDI'));
    const csv = await runInProcess([...base, '--format', 'csv', p('good.csv')]);
    expect(csv.code).toBe(0);
    expect(formulaCells(csv.stdout)).toEqual([]);
    expect(csv.stdout).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    const table = await runInProcess([...base, p('good.csv')]);
    expect(table.code).toBe(0);
    expect(TERMINAL_UNSAFE.test(table.stdout)).toBe(false);
    expect(table.stdout).toContain('\\u001b[31mRED');
  });

  it('explain: the row as read and the names are shown with visible escapes', async () => {
    writeFileSync(p('good.csv'), HEAD + row('g-esc', 'ESC', '\u001b]0;owned\u0007') + row('g-bidi', 'BIDI'));
    for (const id of ['g-esc', 'g-bidi']) {
      const o = await runInProcess(['explain', '-p', p('prices.yaml'), '--period', '2026-10', '--record', id, p('good.csv')]);
      expect([id, o.code]).toEqual([id, 0]);
      expect(TERMINAL_UNSAFE.test(o.stdout)).toBe(false);
      expect(TERMINAL_UNSAFE.test(o.stderr)).toBe(false);
    }
  });

  it('import-check: the preview of an export never passes an escape sequence to the terminal (found by this test)', async () => {
    const cells = { record_id: 'r1', customer_id: '\u001b[2JWIPE', channel: 'voice', started_at: '2026-10-05T10:00:00Z', duration_seconds: '60', response_seconds: '', status: '', diversion: '', destination: '\u202eevil', diverted_seconds: '' };
    const text = renderImportPreview(
      [
        { ok: true, row: cells, line: 2 },
        { ok: false, line: 3, fields: [], column: 'duration_seconds', message: 'not a duration', value: '\u001b]8;;http://x\u0007' },
      ] as never,
      10,
    );
    expect(TERMINAL_UNSAFE.test(text)).toBe(false);
    expect(text).toContain('\\u001b[2JWIPE');
    expect(text).toContain('\\u202eevil');
  });
});
