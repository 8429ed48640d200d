/**
 * Excel's CSV (docs/reference.md §2.5–§2.7): every shipped usage, extras and balances
 * file re-saved as Excel does in much of Europe (fixtures/excel/, written by
 * test/tools/excel-copy.mjs with csv-parse: `;`, a byte-order mark, CRLF, decimal
 * commas) bills byte for byte as its original; and the messages a finance user meets
 * with such files, each from a small file written here.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ROOT, runCli } from '../helpers/run-cli';

const ENV = { ...process.env, NO_COLOR: '1' };
const fx = (p: string): string => join('fixtures', p);
const xl = (p: string): string => join('fixtures', 'excel', p);

/** Runs an invoice on the given files; the output minus the inputs' names and hashes (which must differ). */
function bill(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = runCli(['invoice', '--issue-date', '2026-11-05', ...args], { env: ENV, cwd: ROOT });
  return { code: r.code, stdout: r.stdout, stderr: r.stderr };
}

const CASES: Array<{ name: string; args: (f: (p: string) => string) => string[] }> = [
  {
    name: 'the example month with extras',
    args: (f) => ['--period', '2026-10', '--extras', f('example-2026-10/extras.csv'), f('example-2026-10/voice.csv'), f('example-2026-10/chat.csv')],
  },
  { name: 'the specification example', args: (f) => ['--period', '2026-10', '-p', 'fixtures/spec-example/prices.yaml', f('spec-example/usage.csv')] },
  { name: 'the diversion chain, October', args: (f) => ['--period', '2026-10', '-p', 'fixtures/diversion-chain/prices.yaml', f('diversion-chain/oct.csv')] },
  {
    name: 'the diversion chain, November with opening balances',
    args: (f) => ['--period', '2026-11', '-p', 'fixtures/diversion-chain/prices.yaml', '--balances-in', f('diversion-chain/balances-2026-10.csv'), f('diversion-chain/nov.csv')],
  },
  ...['bands-new-york', 'graduated-kolkata', 'sla-minimum-bhd', 'volume-jpy'].map((t) => ({
    name: `terms: ${t}`,
    args: (f: (p: string) => string) => ['-p', `fixtures/terms/${t}/prices.yaml`, f(`terms/${t}/usage.csv`)],
  })),
];

describe('an Excel re-save of each shipped fixture bills byte for byte as the original', () => {
  test('the committed copies are what test/tools/excel-copy.mjs writes from the originals', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'test', 'tools', 'excel-copy.mjs'), '--check'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  describe.each(CASES)('$name', ({ args }) => {
    test.each([['csv', '--detail'], ['csv'], ['table']])('--format %s %s', (...fmt) => {
      const format = ['--format', ...fmt.filter((x): x is string => typeof x === 'string')];
      const a = bill([...format, ...args(fx)]);
      const b = bill([...format, ...args(xl)]);
      expect(a.code).toBe(0);
      expect(b).toEqual(a);
      expect(a.stdout.length).toBeGreaterThan(100);
    });
  });

  test('the service report of the example month reads the Excel copy as the original (--format json)', () => {
    const report = (f: (p: string) => string) =>
      runCli(['report', '--period', '2026-10', '--format', 'json', f('example-2026-10/voice.csv'), f('example-2026-10/chat.csv')], { env: ENV, cwd: ROOT });
    const a = report(fx);
    const b = report(xl);
    expect(a.code).toBe(0);
    // the control block names the inputs and their hashes, which differ; every figure before it must not
    const figures = (s: string) => JSON.stringify((JSON.parse(s) as { customers: unknown }).customers);
    expect(figures(b.stdout)).toBe(figures(a.stdout));
    expect(figures(a.stdout)).toContain('"offered"');
  });

  test('the service report takes --delimiter and --date-format as invoice does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-excel-report-'));
    try {
      const iso = join(dir, 'iso.csv');
      const dayFirst = join(dir, 'day-first.csv');
      const rows = Array.from({ length: 40 }, (_, i) => [`r${i}`, i % 3 ? 'ACME' : 'INITECH', 'voice', 1 + (i % 28), 8 + (i % 12), 30 + i * 7, i % 5 ? 'answered' : 'abandoned', i % 5 ? String(5 + (i % 40)) : '']);
      writeFileSync(iso, 'record_id,customer_id,channel,started_at,duration_seconds,status,response_seconds\n' +
        rows.map(([id, c, ch, d, h, dur, st, resp]) => `${id},${c},${ch},2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:30:00,${dur},${st},${resp}`).join('\n') + '\n');
      writeFileSync(dayFirst, 'record_id;customer_id;channel;started_at;duration_seconds;status;response_seconds\n' +
        rows.map(([id, c, ch, d, h, dur, st, resp]) => `${id};${c};${ch};${String(d).padStart(2, '0')}/10/2026 ${String(h).padStart(2, '0')}:30;${dur};${st};${resp}`).join('\n') + '\n');
      const report = (...args: string[]) => runCli(['report', '--period', '2026-10', '--format', 'json', ...args], { env: ENV, cwd: ROOT });
      const a = report(iso);
      const b = report('--delimiter', ';', '--date-format', 'DD/MM/YYYY HH:MM', dayFirst);
      expect([a.code, b.code]).toEqual([0, 0]);
      const figures = (s: string) => JSON.stringify((JSON.parse(s) as { customers: unknown }).customers);
      expect(figures(b.stdout)).toBe(figures(a.stdout));
      // without the pattern every date is a bad row: the option did the reading
      expect(report('--delimiter', ';', dayFirst).code).toBe(65);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('messages about delimiters, decimal marks and dates', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'callbill-excel-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string): string => {
    const p = join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const HEADER = 'record_id;customer_id;channel;started_at;duration_seconds';
  const run = (...args: string[]) => runCli(['invoice', '--issue-date', '2026-11-05', '--format', 'csv', ...args], { env: ENV, cwd: ROOT });

  test('a header with no comma, semicolon or tab says what was tried (65)', () => {
    const p = write('one.csv', 'record_id|customer_id|channel|started_at|duration_seconds\nr1|ACME|voice|2026-10-01T09:00:00Z|60\n');
    const r = run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:1: not a readable CSV file: the header line has no comma, semicolon or tab between column names (tried , ; and tab)`);
    expect(r.stdout).toBe('');
  });

  test('--delimiter forces one; a value that is not one is a bad command line (64)', () => {
    const p = write('semi.csv', `${HEADER}\r\nr1;ACME;voice;2026-10-01T09:00:00Z;60\r\n`);
    expect(run('--delimiter', ';', p).code).toBe(0);
    expect(run('--delimiter', 'tab', p).code).toBe(65);
    const bad = run('--delimiter', '|', p);
    expect([bad.code, bad.stderr.trim()]).toEqual([64, 'callbill: --delimiter: expected , or ; or tab, found "|"']);
  });

  test('95,2 in a semicolon file is 95.2 seconds: billed as 96 s, as 95.2 is in a comma file', () => {
    const semi = write('dec-semi.csv', `${HEADER}\nr1;ACME;voice;2026-10-01T09:00:00Z;95,2\n`);
    const comma = write('dec-comma.csv', 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-01T09:00:00Z,95.2\n');
    const a = run('--detail', semi);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(run('--detail', comma).stdout);
  });

  test('the other decimal mark, or a thousands separator, is a bad row that says so', () => {
    const p = write('mixed.csv', `${HEADER}\nr1;ACME;voice;2026-10-01T09:00:00Z;95,2\nr2;ACME;voice;2026-10-01T10:00:00Z;1.5\nr3;ACME;voice;2026-10-01T11:00:00Z;1.234,5\n`);
    const r = run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:3: duration_seconds: this number has a decimal point, but this file writes its numbers with a decimal comma (95,2); a file uses one decimal mark throughout, and a point as a thousands separator is not read ("1.5")`);
    expect(r.stderr).toContain(`${p}:4: duration_seconds: a thousands separator is not read: write the number with a decimal comma only (e.g. 1234,5) ("1.234,5")`);
  });

  test('a decimal comma in a comma-separated file cannot be one, and the message says so', () => {
    const p = write('quoted.csv', 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-01T09:00:00Z,"95,2"\n');
    const r = run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:2: duration_seconds: a comma in a number: a decimal comma is read only in files separated by semicolons or tabs, and this file is separated by commas (write 95.2; no thousands separators) ("95,2")`);
  });

  test('day-first dates: one line with the --date-format to try, not one per row; with it, they bill', () => {
    const rows = Array.from({ length: 60 }, (_, i) => `r${i},ACME,voice,${String(1 + (i % 28)).padStart(2, '0')}/10/2026 15:00,60`);
    const p = write('dayfirst.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = run(p);
    expect(r.code).toBe(65);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `60 rows have started_at like "01/10/2026 15:00" (first at ${p}:2): these look like DD/MM/YYYY dates: try --date-format "DD/MM/YYYY HH:MM"`,
      'callbill: 60 bad usage rows; nothing was written (give --rejects FILE to set them aside and bill the good rows)',
    ]);
    const ok = run('--period', '2026-10', '--date-format', 'DD/MM/YYYY HH:MM', p);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    // the same records written in ISO 8601 (Europe/Lisbon local time) bill the same
    const iso = write('iso.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows.map((l) => l.replace(/(\d\d)\/10\/2026 15:00/, '2026-10-$1 15:00:00'))].join('\n') + '\n');
    expect(ok.stdout).toBe(run('--period', '2026-10', iso).stdout);
  });

  test('month-first dates with a 12-hour clock are recognised too', () => {
    const rows = Array.from({ length: 5 }, (_, i) => `r${i},ACME,voice,10/${13 + i}/2026 3:00 PM,60`);
    const p = write('us.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = run(p);
    expect(r.stderr).toContain('these look like MM/DD/YYYY dates: try --date-format "MM/DD/YYYY h:MM AM"');
    expect(run('--date-format', 'MM/DD/YYYY h:MM AM', p).code).toBe(0);
  });

  test('most records outside --period: a note with the month they are in; the exit code is unchanged', () => {
    const rows = ['r0,ACME,voice,2026-09-30T10:00:00Z,60', ...Array.from({ length: 33 }, (_, i) => `r${i + 1},ACME,voice,2026-10-0${1 + (i % 9)}T10:00:00Z,60`)];
    const p = write('wrong-month.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = run('--period', '2026-09', p);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('callbill: note: 33 of 34 records are outside the period 2026-09: they are in 2026-10 (33); is --period right?\n');
    expect(run('--period', '2026-10', p).stderr).toBe('');
  });
});
