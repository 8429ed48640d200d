import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PARALLEL_MIN_BYTES } from '../../src/pipeline/parallel-fold';
import { runCli } from '../helpers/run-cli';
import type { CliResult } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import { generateUsage } from '../helpers/usage-gen';

/**
 * --jobs (issue #5): worker threads must not change a byte of what callbill says.
 * Each case runs the built CLI with --jobs 1 and with more threads on the same
 * generated file and compares stdout, stderr, exit code and the --rejects file.
 * The runs with threads are `node bin/callbill.js` in a subprocess; the --jobs 1 run
 * they are compared with is the built main() in this process (runCliInProcess, the
 * same bytes as the shipped bin: test/golden/cli.test.ts).
 * Not timed: speed is measured by `npm run bench`.
 */
const PRICES = ['-p', 'price-lists/default.yaml'];
const MONTH = ['--period', '2026-10', '--issue-date', '2026-11-01'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-jobs-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  rejects: string | null;
}

async function run(args: string[], jobs: number, opts: { env?: NodeJS.ProcessEnv; input?: string } = {}): Promise<Run> {
  const rejectsIndex = args.indexOf('--rejects');
  const rejectsFile = rejectsIndex >= 0 ? args[rejectsIndex + 1]! : null;
  if (rejectsFile) rmSync(rejectsFile, { force: true });
  const all = [...args, '--jobs', String(jobs)];
  const r: CliResult = jobs === 1 && opts.input === undefined ? await runCliInProcess(all, { env: opts.env }) : runCli(all, opts);
  // more threads than the machine runs at once are capped, with a note: the rest must not change
  r.stderr = r.stderr.replace(/^callbill: --jobs \d+: using \d+, the threads this machine can run at once\n/m, '');
  let rejects: string | null = null;
  try {
    rejects = rejectsFile ? readFileSync(rejectsFile, 'utf8') : null;
  } catch {
    rejects = null;
  }
  return { ...r, rejects };
}

/** Bad rows spread over the file, more than the 50 the report lists. */
const spread = (rows: number, n: number) => Array.from({ length: n }, (_, k) => Math.floor(((k + 0.5) * rows) / n));

describe('a file large enough to be split across threads', () => {
  // The one case run with callbill's own chunk size, on a file above a threshold lowered to
  // 8 MiB (CALLBILL_PARALLEL_MIN_BYTES: the default is several times that, a file that takes
  // seconds to rate twice). Everything else about threads is checked below on small files with
  // small chunks (CALLBILL_CHUNK_BYTES changes only the two sizes, not how chunks are rated and merged).
  const rows = 130_000;
  const threshold = 8 << 20;
  const env = { CALLBILL_PARALLEL_MIN_BYTES: String(threshold) };
  let file: string;
  beforeAll(() => {
    file = join(dir, 'big.csv');
    writeFileSync(
      file,
      generateUsage({
        rows,
        bad: spread(rows, 80),
        // a duplicate across chunks, and one id used three times
        duplicates: [
          [5, 120_000],
          [64_000, 64_001],
          [64_000, 129_990],
        ],
      }),
    );
  });

  it('is above the size from which workers are used here, and the default size is larger', () => {
    expect(statSync(file).size).toBeGreaterThan(threshold);
    expect(PARALLEL_MIN_BYTES).toBeGreaterThan(threshold);
  });

  it('gives byte-identical JSON and --rejects file with --jobs 1 and --jobs 2', async () => {
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', '--rejects', join(dir, 'rejects.csv'), file];
    const one = await run(args, 1, { env });
    const two = await run(args, 2, { env });
    expect(one.code).toBe(0);
    expect(one.rejects).not.toBeNull();
    // 80 bad rows and 5 copies of duplicated ids (2 + 3), in line order, each naming the other places
    expect(one.rejects!.split('\n').filter((l) => /duplicate record id, also at/.test(l))).toHaveLength(5);
    expect(one.stderr).toMatch(/85 bad usage rows written/);
    expect(two).toEqual(one);
  });
});

describe('chunk boundaries everywhere (small chunks forced by CALLBILL_CHUNK_BYTES)', () => {
  const env = { CALLBILL_CHUNK_BYTES: '2048' };
  // Each against --jobs 1, with a different number of threads. JSON only: it holds every
  // figure of the invoices, and the CSV is rendered from the same invoices after the fold.
  const cases: Array<[string, number, Parameters<typeof generateUsage>[0]]> = [
    ['quoted notes with line breaks, CRLF and LF mixed, a BOM', 3, { rows: 1500, multiline: 0.05, eol: 'mixed', bom: true, bad: [3, 700, 1499], duplicates: [[10, 1400]] }],
    ['CRLF only, bad rows near the start', 2, { rows: 1200, eol: 'crlf', bad: [0, 1, 2, 40], duplicates: [[2, 3]] }],
    ['many multi-line notes', 4, { rows: 800, multiline: 0.5, seed: 11 }],
  ];
  it.each(cases)('%s: --jobs %d gives what --jobs 1 gives', async (name, jobs, gen) => {
    const file = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(file, generateUsage(gen));
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', '--rejects', join(dir, 'r.csv'), file];
    const one = await run(args, 1, { env });
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout).invoices.length).toBeGreaterThan(0);
    expect(await run(args, jobs, { env })).toEqual(one);
  });

  describe('more bad rows than the report lists, spread over many chunks', () => {
    const rows = 2000;
    let file: string;
    beforeAll(() => {
      file = join(dir, 'many-bad.csv');
      // (no duplicate ids: those are checked with --jobs above and below, and how many rows a
      // duplicate id makes bad is not what this case is about)
      writeFileSync(file, generateUsage({ rows, bad: spread(rows, 80) }));
    });

    it('reports the same first 50 bad rows, then the same count, without --rejects', async () => {
      const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', file];
      const one = await run(args, 1, { env });
      const three = await run(args, 3, { env });
      expect(one.code).toBe(65);
      expect(one.stdout).toBe('');
      expect(one.stderr.split('\n').filter((l) => /many-bad\.csv:\d+: /.test(l))).toHaveLength(50);
      expect(one.stderr).toMatch(/\.\.\. and 30 more bad rows/);
      expect(three).toEqual(one);
    });

    it('check says the same with --jobs 1 and --jobs 3', async () => {
      const one = await run(['check', ...PRICES, '--period', '2026-10', file], 1, { env });
      const three = await run(['check', ...PRICES, '--period', '2026-10', file], 3, { env });
      expect(one.code).toBe(65);
      expect(one.stderr).toMatch(/many-bad\.csv:\d+: /);
      expect(three).toEqual(one);
    });
  });

  it('an unclosed quote is the same error, at the same line, with any --jobs', async () => {
    const file = join(dir, 'unclosed.csv');
    const text = generateUsage({ rows: 600 });
    writeFileSync(file, text + 'R-9,ACME,voice,2026-10-05T10:00:00Z,60,1,,,,,"no end\n');
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', file];
    const one = await run(args, 1, { env });
    expect(one.code).toBe(65);
    // csv-parse's words, at the line of the record's start
    const last = text.split('\n').length;
    expect(one.stderr).toContain(`unclosed.csv:${last}: not a readable CSV file: Quote Not Closed: the parsing is finished with an opening quote\n`);
    expect(await run(args, 2, { env })).toEqual(one);
  });

  it('bytes that are not UTF-8 late in the file are the same error with any --jobs', async () => {
    const file = join(dir, 'latin1.csv');
    const text = generateUsage({ rows: 600, bad: [10] });
    writeFileSync(file, Buffer.concat([Buffer.from(text), Buffer.from('R-x,ACME,voice,2026-10-05T10:00:00Z,60,1,,,,,caf\xe9\n', 'latin1')]));
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', file];
    const one = await run(args, 1, { env });
    expect(one.code).toBe(65);
    expect(one.stderr).toMatch(/latin1\.csv:\d+: not valid UTF-8/);
    expect(await run(args, 2, { env })).toEqual(one);
  });

  it.each([
    ['a CSV error before a byte that is not UTF-8 is the one reported', 100, 500, /csv\.csv:\d+: not a readable CSV file: Invalid Opening Quote/],
    ['a byte that is not UTF-8 before a CSV error is the one reported', 500, 100, /csv\.csv:\d+: not valid UTF-8/],
  ])('%s, with any --jobs', async (_name, quoteRow, badRow, want) => {
    const file = join(dir, 'csv.csv');
    const lines = generateUsage({ rows: 600 }).split('\n');
    lines[quoteRow] = 'R"' + lines[quoteRow]!; // a quote inside an unquoted cell
    const bytes = lines.map((l, i) => (i === badRow ? Buffer.concat([Buffer.from(l), Buffer.from([0xff])]) : Buffer.from(l)));
    writeFileSync(file, Buffer.concat(bytes.flatMap((b) => [b, Buffer.from('\n')])));
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', file];
    const one = await run(args, 1, { env });
    expect(one.code).toBe(65);
    expect(one.stderr).toMatch(want);
    expect(await run(args, 3, { env })).toEqual(one);
  });

  it('standard input (one thread, duplicates checked through a kept copy) gives what the file gives', async () => {
    const text = generateUsage({ rows: 900, duplicates: [[1, 800]], bad: [5] });
    const file = join(dir, 'stdin-same.csv');
    writeFileSync(file, text);
    const fromFile = await run(['invoice', ...PRICES, ...MONTH, '--format', 'json', '--rejects', join(dir, 'r.csv'), file], 2, { env });
    const fromStdin = await run(['invoice', ...PRICES, ...MONTH, '--format', 'json', '--rejects', join(dir, 'r.csv'), '-'], 2, { env, input: text });
    expect(fromStdin.code).toBe(0);
    expect(JSON.parse(fromStdin.stdout).invoices).toEqual(JSON.parse(fromFile.stdout).invoices);
    // the same rows and messages; only the name differs (`-`, which a spreadsheet-safe cell quotes)
    expect(fromStdin.rejects!.replaceAll("'-:", '-:').replaceAll('-:', 'X:')).toBe(fromFile.rejects!.replaceAll(`${file}:`, 'X:'));
    expect(fromStdin.rejects).toMatch(/also at -:3/);
  });
});

describe('a run that fails with a worker already started (threshold lowered to 1 byte)', () => {
  // The worker is started before the price list is parsed here; a failure must be reported as
  // --jobs 1 reports it, once, and the process must end (a live worker would hold it: timeout).
  const env = { CALLBILL_PARALLEL_MIN_BYTES: '1' };
  const ended = (args: string[], jobs: number): Run => {
    const r = spawnSync(process.execPath, ['bin/callbill.js', ...args, '--jobs', String(jobs)], {
      cwd: join(__dirname, '..', '..'),
      env: { ...process.env, NO_COLOR: '1', CI: '1', ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.signal).toBeNull();
    return { code: r.status, stdout: r.stdout, stderr: r.stderr, rejects: null };
  };

  it('a broken price list: the same message, once, and the process ends', () => {
    const file = join(dir, 'for-bad-prices.csv');
    writeFileSync(file, generateUsage({ rows: 3000 }));
    const prices = join(dir, 'bad-prices.yaml');
    writeFileSync(prices, 'currency: EUR\ntimezone: Europe/Paris\nrounding: half-up\nplans:\n  x: [\n');
    const args = ['invoice', '-p', prices, ...MONTH, '--format', 'json', file];
    const one = ended(args, 1);
    expect(one.code).toBe(78);
    expect(one.stderr.split('\n').filter((l) => l.startsWith(prices))).toHaveLength(1);
    expect(ended(args, 2)).toEqual(one);
  });

  it('a usage file that cannot be read to its end: the same error, and the process ends', () => {
    const file = join(dir, 'late-unclosed.csv');
    writeFileSync(file, generateUsage({ rows: 3000 }) + 'R-9,ACME,voice,2026-10-05T10:00:00Z,60,1,,,,,"no end\n');
    const args = ['invoice', ...PRICES, ...MONTH, '--format', 'json', file];
    const one = ended(args, 1);
    expect(one.code).toBe(65);
    expect(one.stderr).toMatch(/late-unclosed\.csv:\d+: not a readable CSV file: Quote Not Closed/);
    expect(ended(args, 2)).toEqual(one);
  });
});

describe('--jobs itself', () => {
  it.each(['0', 'two', '-1', '1.5'])('refuses --jobs %s as a bad command line', async (v) => {
    const r = await runCliInProcess(['check', ...PRICES, '--jobs', v]);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/--jobs: expected a whole number/);
  });
});
