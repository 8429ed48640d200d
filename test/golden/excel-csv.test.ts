/**
 * Excel's CSV (docs/reference.md §2.5–§2.7): every shipped usage, extras and balances
 * file re-saved as Excel does in much of Europe (fixtures/excel/, written by
 * test/tools/excel-copy.mjs with csv-parse: `;`, a byte-order mark, CRLF, decimal
 * commas) bills byte for byte as its original; and the messages a finance user meets
 * with such files, each from a small file written here.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { parse } from 'csv-parse/sync';
import { ROOT } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';

const ENV = { ...process.env, NO_COLOR: '1' };
const fx = (p: string): string => join('fixtures', p);
const xl = (p: string): string => join('fixtures', 'excel', p);

/** Runs an invoice on the given files (CSV and table output name no input file). */
async function bill(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const r = await runCliInProcess(['invoice', '--issue-date', '2026-11-05', ...args], { env: ENV, cwd: ROOT });
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
    test.each([['csv', '--detail'], ['table']])('--format %s %s', async (...fmt) => {
      const format = ['--format', ...fmt.filter((x): x is string => typeof x === 'string')];
      const a = await bill([...format, ...args(fx)]);
      const b = await bill([...format, ...args(xl)]);
      expect(a.code).toBe(0);
      expect(b).toEqual(a);
      expect(a.stdout.length).toBeGreaterThan(100);
    });
  });

  test('the service report of the example month reads the Excel copy as the original (--format json)', async () => {
    const report = (f: (p: string) => string) =>
      runCliInProcess(['report', '--period', '2026-10', '--format', 'json', f('example-2026-10/voice.csv'), f('example-2026-10/chat.csv')], { env: ENV, cwd: ROOT });
    const a = await report(fx);
    const b = await report(xl);
    expect(a.code).toBe(0);
    // the control block names the inputs and their hashes, which differ; every figure before it must not
    const figures = (s: string) => JSON.stringify((JSON.parse(s) as { customers: unknown }).customers);
    expect(figures(b.stdout)).toBe(figures(a.stdout));
    expect(figures(a.stdout)).toContain('"offered"');
  });

  test('the service report takes --delimiter and --date-format as invoice does', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-excel-report-'));
    try {
      const iso = join(dir, 'iso.csv');
      const dayFirst = join(dir, 'day-first.csv');
      const rows = Array.from({ length: 40 }, (_, i) => [`r${i}`, i % 3 ? 'ACME' : 'INITECH', 'voice', 1 + (i % 28), 8 + (i % 12), 30 + i * 7, i % 5 ? 'answered' : 'abandoned', i % 5 ? String(5 + (i % 40)) : '']);
      writeFileSync(iso, 'record_id,customer_id,channel,started_at,duration_seconds,status,response_seconds\n' +
        rows.map(([id, c, ch, d, h, dur, st, resp]) => `${id},${c},${ch},2026-10-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:30:00,${dur},${st},${resp}`).join('\n') + '\n');
      writeFileSync(dayFirst, 'record_id;customer_id;channel;started_at;duration_seconds;status;response_seconds\n' +
        rows.map(([id, c, ch, d, h, dur, st, resp]) => `${id};${c};${ch};${String(d).padStart(2, '0')}/10/2026 ${String(h).padStart(2, '0')}:30;${dur};${st};${resp}`).join('\n') + '\n');
      const report = (...args: string[]) => runCliInProcess(['report', '--period', '2026-10', '--format', 'json', ...args], { env: ENV, cwd: ROOT });
      const a = await report(iso);
      const b = await report('--delimiter', ';', '--date-format', 'DD/MM/YYYY HH:MM', dayFirst);
      expect([a.code, b.code]).toEqual([0, 0]);
      const figures = (s: string) => JSON.stringify((JSON.parse(s) as { customers: unknown }).customers);
      expect(figures(b.stdout)).toBe(figures(a.stdout));
      // without the pattern every date is a bad row: the option did the reading
      expect((await report('--delimiter', ';', dayFirst)).code).toBe(65);
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
  const run = (...args: string[]) => runCliInProcess(['invoice', '--issue-date', '2026-11-05', '--format', 'csv', ...args], { env: ENV, cwd: ROOT });

  test('a header with no comma, semicolon or tab says what was tried (65)', async () => {
    const p = write('one.csv', 'record_id|customer_id|channel|started_at|duration_seconds\nr1|ACME|voice|2026-10-01T09:00:00Z|60\n');
    const r = await run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:1: not a readable CSV file: the header line has no comma, semicolon or tab between column names (tried , ; and tab)`);
    expect(r.stdout).toBe('');
  });

  test('--delimiter forces one; a value that is not one is a bad command line (64)', async () => {
    const p = write('semi.csv', `${HEADER}\r\nr1;ACME;voice;2026-10-01T09:00:00Z;60\r\n`);
    expect((await run('--delimiter', ';', p)).code).toBe(0);
    expect((await run('--delimiter', 'tab', p)).code).toBe(65);
    const bad = await run('--delimiter', '|', p);
    expect([bad.code, bad.stderr.trim()]).toEqual([64, 'callbill: --delimiter: expected , or ; or tab, found "|"']);
  });

  test('a --delimiter that does not fit the header says which one does, instead of a missing column per column', async () => {
    const r = await run('--delimiter', ',', '-p', 'fixtures/spec-example/prices.yaml', xl('spec-example/usage.csv'));
    expect(r.code).toBe(65);
    expect(r.stderr).toBe(
      `${xl('spec-example/usage.csv')}:1: the header is separated by semicolons, not by commas: give --delimiter ';', or leave --delimiter out to find it from the header (docs/reference.md §2.5)\n` +
        `callbill: ${xl('spec-example/usage.csv')}: the header cannot be used\n`,
    );
  });

  test('a balance with a thousands separator in a balances file saved by Excel is refused (78), located', async () => {
    const bad = write('balances.csv', '\uFEFFcustomer_id;diversion_balance\r\nACME;1.036,00\r\n');
    const r = await run('--period', '2026-11', '-p', 'fixtures/diversion-chain/prices.yaml', '--balances-in', bad, fx('diversion-chain/nov.csv'));
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(`${bad}:2:2: diversion_balance: a thousands separator is not read`);
  });

  test('a tab-separated copy with decimal commas bills as the original, and so does --delimiter tab', async () => {
    const records = parse(readFileSync(join(ROOT, fx('spec-example/usage.csv'))), { bom: true, skip_empty_lines: true, relax_column_count: true }) as string[][];
    const cell = (c: string): string => {
      const v = /^[0-9]+\.[0-9]+$/.test(c) ? c.replace('.', ',') : c;
      return /[\t"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
    };
    const p = write('tabs.csv', records.map((r) => r.map(cell).join('\t')).join('\n') + '\n');
    expect(readFileSync(p, 'utf8')).toMatch(/\t[0-9]+,[0-9]+\t/);
    const original = await run('--period', '2026-10', '-p', 'fixtures/spec-example/prices.yaml', '--detail', fx('spec-example/usage.csv'));
    expect(original.code).toBe(0);
    expect(await run('--period', '2026-10', '-p', 'fixtures/spec-example/prices.yaml', '--detail', p)).toEqual(original);
    expect(await run('--period', '2026-10', '-p', 'fixtures/spec-example/prices.yaml', '--detail', '--delimiter', 'tab', p)).toEqual(original);
  });

  test('95,2 in a semicolon file is 95.2 seconds: billed as 96 s, as 95.2 is in a comma file', async () => {
    const semi = write('dec-semi.csv', `${HEADER}\nr1;ACME;voice;2026-10-01T09:00:00Z;95,2\n`);
    const comma = write('dec-comma.csv', 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-01T09:00:00Z,95.2\n');
    const a = await run('--detail', semi);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe((await run('--detail', comma)).stdout);
  });

  test('the other decimal mark, or a thousands separator, is a bad row that says so', async () => {
    const p = write('mixed.csv', `${HEADER}\nr1;ACME;voice;2026-10-01T09:00:00Z;95,2\nr2;ACME;voice;2026-10-01T10:00:00Z;1.5\nr3;ACME;voice;2026-10-01T11:00:00Z;1.234,5\n`);
    const r = await run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:3: duration_seconds: this number has a decimal point, but this file writes its numbers with a decimal comma (95,2); a file uses one decimal mark throughout, and a point as a thousands separator is not read ("1.5")`);
    expect(r.stderr).toContain(`${p}:4: duration_seconds: a thousands separator is not read: write the number with a decimal comma only (e.g. 1234,5) ("1.234,5")`);
  });

  test('a decimal comma in a comma-separated file cannot be one, and the message says so', async () => {
    const p = write('quoted.csv', 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-01T09:00:00Z,"95,2"\n');
    const r = await run(p);
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(`${p}:2: duration_seconds: a comma in a number: a decimal comma is read only in files separated by semicolons or tabs, and this file is separated by commas (write 95.2; no thousands separators) ("95,2")`);
  });

  test('day-first dates: one line with the --date-format to try, not one per row; with it, they bill', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => `r${i},ACME,voice,${String(1 + (i % 28)).padStart(2, '0')}/10/2026 15:00,60`);
    const p = write('dayfirst.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = await run(p);
    expect(r.code).toBe(65);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      `60 rows have started_at like "01/10/2026 15:00" (first at ${p}:2): these look like DD/MM/YYYY dates: try --date-format "DD/MM/YYYY HH:MM"`,
      'callbill: 60 bad usage rows; nothing was written (give --rejects FILE to set them aside and bill the good rows)',
    ]);
    const ok = await run('--period', '2026-10', '--date-format', 'DD/MM/YYYY HH:MM', p);
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    // the same records written in ISO 8601 (Europe/Lisbon local time) bill the same
    const iso = write('iso.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows.map((l) => l.replace(/(\d\d)\/10\/2026 15:00/, '2026-10-$1 15:00:00'))].join('\n') + '\n');
    expect(ok.stdout).toBe((await run('--period', '2026-10', iso)).stdout);
  });

  test('month-first dates with a 12-hour clock are recognised too', async () => {
    const rows = Array.from({ length: 5 }, (_, i) => `r${i},ACME,voice,10/${13 + i}/2026 3:00 PM,60`);
    const p = write('us.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = await run(p);
    expect(r.stderr).toContain('these look like MM/DD/YYYY dates: try --date-format "MM/DD/YYYY h:MM AM"');
    expect((await run('--date-format', 'MM/DD/YYYY h:MM AM', p)).code).toBe(0);
  });

  test('most records outside --period: a note with the month they are in; the exit code is unchanged', async () => {
    const rows = ['r0,ACME,voice,2026-09-30T10:00:00Z,60', ...Array.from({ length: 33 }, (_, i) => `r${i + 1},ACME,voice,2026-10-0${1 + (i % 9)}T10:00:00Z,60`)];
    const p = write('wrong-month.csv', ['record_id,customer_id,channel,started_at,duration_seconds', ...rows].join('\n') + '\n');
    const r = await run('--period', '2026-09', p);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('callbill: note: 33 of 34 records are outside the period 2026-09: they are in 2026-10 (33); is --period right?\n');
    expect((await run('--period', '2026-10', p)).stderr).toBe('');
  });
});

describe('a day-first copy of the example (fixtures/dayfirst/, written by test/tools/dayfirst-copy.mjs)', () => {
  const DAY = ['dayfirst/example-2026-10/voice.csv', 'dayfirst/example-2026-10/chat.csv'].map((p) => join('fixtures', p));
  const ORIGINAL = [fx('example-2026-10/voice.csv'), fx('example-2026-10/chat.csv')];

  test('the committed copies are what the tool writes from the originals', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'test', 'tools', 'dayfirst-copy.mjs'), '--check'], { encoding: 'utf8' });
    expect([r.status, r.stderr]).toEqual([0, '']);
  });

  test.each([['csv', '--detail'], ['table']])('with --date-format "DD/MM/YYYY HH:MM:SS" it bills as the original (--format %s %s)', async (...fmt) => {
    const format = ['--format', ...fmt.filter((x): x is string => typeof x === 'string')];
    const a = await bill(['--period', '2026-10', ...format, '--date-format', 'DD/MM/YYYY HH:MM:SS', ...DAY]);
    expect(a.code).toBe(0);
    expect(a).toEqual(await bill(['--period', '2026-10', ...format, ...ORIGINAL]));
  });

  test('without it: one line per file kind of problem, with the pattern to try, instead of a line per row', async () => {
    const r = await bill(['--period', '2026-10', ...DAY]);
    expect(r.code).toBe(65);
    const lines = r.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^\d+ rows have started_at like "18\/10\/2026 15:00:00" \(first at fixtures\/dayfirst\/example-2026-10\/voice\.csv:2\): these look like DD\/MM\/YYYY dates: try --date-format "DD\/MM\/YYYY HH:MM:SS"$/);
    expect(lines).toHaveLength(2);
  });

  test('with --rejects the run goes on, and the same line comes as a note after the count', async () => {
    const rejects = join(mkdtempSync(join(tmpdir(), 'callbill-dayfirst-rejects-')), 'r.csv');
    try {
      const r = await bill(['--period', '2026-10', '--rejects', rejects, DAY[0]!]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(
        `callbill: 63 bad usage rows written to ${rejects}\n` +
          `callbill: note: 63 rows have started_at like "18/10/2026 15:00:00" (first at ${DAY[0]}:2): these look like DD/MM/YYYY dates: try --date-format "DD/MM/YYYY HH:MM:SS"\n`,
      );
    } finally {
      rmSync(join(rejects, '..'), { recursive: true, force: true });
    }
  });

  test('explain reads it with the same option', async () => {
    const r = await runCliInProcess(['explain', '--period', '2026-10', '--record', 'A-V13', '--date-format', 'DD/MM/YYYY HH:MM:SS', ...DAY], { env: ENV, cwd: ROOT });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('18/10/2026 15:00:00');
  });

  test('explain of a record outside --period reads its start with --date-format (and its decimal comma)', async () => {
    const r = await runCliInProcess(['explain', '--period', '2026-09', '--record', 'A-V13', '--date-format', 'DD/MM/YYYY HH:MM:SS', ...DAY], { env: ENV, cwd: ROOT });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('2026-10-18 15:00:00 (Europe/Lisbon) is after the period 2026-09');
    const x = await runCliInProcess(['explain', '--period', '2026-09', '--record', 'I-V05', xl('example-2026-10/voice.csv')], { env: ENV, cwd: ROOT });
    expect([x.code, x.stderr]).toEqual([0, '']);
    expect(x.stdout).toContain('is after the period 2026-09');
  });

  test('the audit of --out records --date-format, and verify re-runs with it', async () => {
    const out = mkdtempSync(join(tmpdir(), 'callbill-dayfirst-out-'));
    try {
      const r = await bill(['--period', '2026-10', '--date-format', 'DD/MM/YYYY HH:MM:SS', '--delimiter', ',', '-o', out, ...DAY]);
      expect(r.code).toBe(0);
      const audit = JSON.parse(readFileSync(join(out, 'invoices.json'), 'utf8')).audit as { options: Record<string, unknown> };
      expect(audit.options).toMatchObject({ date_format: 'DD/MM/YYYY HH:MM:SS', delimiter: ',' });
      const v = await runCliInProcess(['verify', out], { env: ENV, cwd: ROOT });
      expect([v.code, v.stdout]).toEqual([0, expect.stringContaining('invoices.csv')]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });

  test('--date-format with --import, or a pattern that is not one, is a bad command line (64)', async () => {
    expect((await bill(['--date-format', 'DD/MM/YYYY HH:MM', '--import', 'asterisk', ...DAY])).code).toBe(64);
    const r = await bill(['--date-format', 'DD/QQ/YYYY', ...DAY]);
    expect([r.code, r.stderr.trim()]).toEqual([64, 'callbill: --date-format: unknown element "Q" in date pattern "DD/QQ/YYYY" (use YYYY, MM, DD, HH or h with AM, MM, SS, Z and separators)']);
  });
});

describe('--jobs on a semicolon file with decimal commas: what --jobs 1 gives, chunk boundaries everywhere', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'callbill-excel-jobs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const env = { ...ENV, CALLBILL_CHUNK_BYTES: '1024' };

  /**
   * n rows, `;`, CRLF, a BOM; `duration(i)` writes row i's duration; `notes`: a quoted note with a line
   * break now and then (a chunk cut inside one is read on from there on the main thread).
   */
  function file(name: string, n: number, duration: (i: number) => string, notes = true): string {
    const rows = Array.from({ length: n }, (_, i) => {
      const note = notes && i % 37 === 0 ? '"a note; with\r\na line break"' : i % 11 === 0 ? '"quoted; plain"' : 'plain';
      const day = String(1 + (i % 28)).padStart(2, '0');
      return `r${i};${['ACME', 'GLOBEX', 'INITECH'][i % 3]};${i % 4 === 0 ? 'chat' : 'voice'};2026-10-${day}T${String(8 + (i % 10)).padStart(2, '0')}:15:00Z;${duration(i)};${i % 5};${note}`;
    });
    const p = join(dir, name);
    writeFileSync(p, '\uFEFF' + ['record_id;customer_id;channel;started_at;duration_seconds;response_seconds;notes', ...rows].join('\r\n') + '\r\n');
    return p;
  }
  const run = async (jobs: number, p: string, rejects: string) => {
    rmSync(rejects, { force: true });
    const r = await runCliInProcess(['invoice', '-p', 'price-lists/default.yaml', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--rejects', rejects, p, '--jobs', String(jobs)], { env, cwd: ROOT });
    const stderr = r.stderr.replace(/^callbill: --jobs \d+: using \d+, the threads this machine can run at once\n/m, '');
    let written = '';
    try {
      written = readFileSync(rejects, 'utf8');
    } catch {
      written = '(none)';
    }
    return { code: r.code, stdout: r.stdout, stderr, written };
  };

  test('decimal commas throughout', async () => {
    const p = file('commas.csv', 5000, (i) => `${30 + (i % 900)},${i % 10}`);
    const one = await run(1, p, join(dir, 'r1.csv'));
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).control.records_billed).toBe(5000);
    expect(await run(3, p, join(dir, 'r1.csv'))).toEqual(one);
  });

  test('the mark decided in a later chunk (whole numbers first), then rows with the other mark: the same rows are bad as with one thread', async () => {
    // (a chunk after the first fills its buffer, about 65 kB: 20,000 rows make some 20 chunks)
    // rows before 6,000 have no decimal mark; row 6,000 decides the point; after it commas, every 7th a point:
    // the chunks handed out before row 6,000's is applied decide the comma on their own, and are read again.
    // No multi-line notes: every chunk is rated by a thread until then.
    const n = 20_000;
    const p = file('late-mark.csv', n, (i) => (i < 6000 ? String(40 + (i % 500)) : i === 6000 ? '61.5' : i % 7 === 0 ? `${i % 900}.5` : `${i % 900},5`), false);
    const one = await run(1, p, join(dir, 'r2.csv'));
    expect(one.code).toBe(0);
    const rejected = JSON.parse(one.stdout).control.records_rejected as number;
    // every comma row after row 6,000 (whose point decided the file's mark) is bad, saying so
    let commaRows = 0;
    for (let i = 6001; i < n; i++) if (i % 7 !== 0) commaRows++;
    expect(rejected).toBe(commaRows);
    expect(one.written).toContain('this number has a decimal comma, but this file writes its numbers with a decimal point');
    expect(await run(2, p, join(dir, 'r2.csv'))).toEqual(one);
  });
});
