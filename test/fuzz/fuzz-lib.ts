/**
 * Input fuzzing of callbill (issue #6): mutated and random usage CSV, price-list YAML
 * and balances CSV are fed to the CLI, and every outcome must be one of the exit codes
 * a script can act on — 0, 64, 65, 66, 78 — with a located message, never exit 70, a
 * stack trace, a hang or unbounded memory.
 *
 * Two ways to run a case: in-process through `main()` with fake stdout/stderr (fast:
 * thousands of cases a minute), and as a real `node bin/callbill.js` subprocess with a
 * time limit and a heap cap (what a user runs; catches hangs and memory blow-ups that
 * an in-process run cannot interrupt).
 *
 * Used by test/fuzz/fuzz.test.ts (CI, fixed seed, well under a minute) and by
 * test/fuzz/long.fuzz.ts (`npm run fuzz`, random seed, as long as FUZZ_SECONDS says).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Outcome } from '../helpers/cli';
import { ROOT, runInProcess, runSubprocess } from '../helpers/cli';

const ALLOWED_EXITS = new Set([0, 64, 65, 66, 78]);

/** A small deterministic PRNG (mulberry32): a failing case is reproduced from its seed. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    let t = (this.s = (this.s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
}

/** Values that have broken parsers before: prototype names, number look-alikes, controls, formulas. */
const NASTY: readonly string[] = [
  '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype',
  '1e3', '0x10', 'Infinity', '-Infinity', 'NaN', '-0', '+0', '١٢٣', '１２３', '0o17', '0b11', '1_000', '.5', '5.', '1,5',
  '9'.repeat(400), '0.' + '1'.repeat(400), '-1', '1e-7', '4294967296', '9007199254740993',
  '', ' ', '\t', '""', "'", '"', '\\', '\u0000', '\u001b[2J\u001b[H', '\u001b]8;;http://x\u0007link\u001b]8;;\u0007', '\u202eevil', '\u2066x\u2069',
  '=HYPERLINK("http://x","y")', '+1', '-2', '@x', '=1+1', '\r', '\n', '\r\n', '\ufeff', '\ud800', '\uffff', '💥',
  'true', 'false', 'null', '~', 'yes', 'no', '[]', '{}', '&a', '*a', '<<', '!!binary', '%YAML 1.1', '---', '...',
  '2026-10-01T09:15:00Z', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59+14:00', '2026-10-25T01:30:00',
  '2026-03-29T01:30:00', '24:00', '2026-13-01', 'voice', 'chat', 'VOICE', 'abandoned', 'mobile', 'international', 'none',
  '+44 20 7946 0000', '00 1242 555', '()', 'a'.repeat(5000),
];

export const COLUMNS = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'response_seconds', 'status', 'diversion', 'destination', 'diverted_seconds'];

const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/**
 * What every outcome must satisfy; returns the violations (empty when the outcome is fine).
 * `format` is the --format of the run, to check that stdout is what was asked for.
 */
function violations(o: Outcome, opts: { format?: string; paths?: readonly string[]; command?: string } = {}): string[] {
  const v: string[] = [];
  if (!ALLOWED_EXITS.has(o.code)) v.push(`exit ${o.code} is not one of 0, 64, 65, 66, 78`);
  if (/internal error|THROWN OUT OF main|FUZZ: killed/.test(o.stderr)) v.push('internal error, exception or hang');
  if (/^\s+at .+\(.*:\d+:\d+\)$/m.test(o.stderr) || /^\s+at .+:\d+:\d+$/m.test(o.stderr)) v.push('a stack trace on stderr');
  if (CONTROL.test(o.stderr)) v.push('a control character or bidi override reached stderr (terminal injection)');
  // explain prints why a rejected record is not billed, then exits 65 (its --help says so)
  if (o.code !== 0 && o.stdout !== '' && opts.command !== 'explain') v.push('stdout is not empty after a failure');
  if (o.code !== 0) {
    const lines = o.stderr.split('\n').filter((l) => l !== '');
    // explain's answer for a rejected record is its explanation on stdout, with the file:line to blame
    // (the table says `file:line: column: …`, the JSON `"source": "file:line"`)
    const located = /:\d+: /.test(o.stdout) || /"source": "[^"]*:\d+"/.test(o.stdout);
    if (lines.length === 0 && !(opts.command === 'explain' && o.code === 65 && located)) v.push('a failure without a message');
    else {
      const stray = lines.find((l) => !l.startsWith('callbill: ') && !LOCATED.test(l) && !MORE.test(l));
      if (stray !== undefined) v.push(`an unlocated message: ${JSON.stringify(stray)}`);
    }
    if (o.code === 65 || o.code === 66 || o.code === 78) {
      // located: the message names one of the run's files, with a line when a line is to blame
      const named = (l: string) => (opts.paths ?? []).some((p) => l.replace(/^callbill: /, '').startsWith(p + ':') || l.includes(` ${p} `) || l.endsWith(` ${p}`));
      const explained = opts.command === 'explain' && (opts.paths ?? []).some((p) => o.stdout.includes(p));
      if (opts.paths && !lines.some(named) && !explained) v.push(`exit ${o.code} without a message naming the file to blame`);
      if ((o.code === 65 || o.code === 78) && !explained && !lines.some((l) => /^(callbill: )?\S.*?:\d+(:\d+)?: /.test(l)) && !lines.some((l) => WHOLE_FILE.test(l))) {
        v.push(`exit ${o.code} without a file:line location`);
      }
    }
  }
  if (o.code === 0 && opts.format === 'json') {
    try {
      JSON.parse(o.stdout);
    } catch {
      v.push('stdout of --format json does not parse');
    }
  }
  if (o.code === 0 && opts.format === 'table' && CONTROL.test(o.stdout)) v.push('a control character or bidi override reached the table output');
  return v;
}

/**
 * SPEC §5 on what was written: every CSV output (stdout with --format csv, the --out
 * files, --rejects, --balances-out) parses, and no cell of it can run as a formula;
 * invoices.json parses.
 */
function outputViolations(o: Outcome, dir: string, format?: string): string[] {
  const v: string[] = [];
  const csvs: Array<[string, string]> = [];
  if (o.code === 0 && format === 'csv') csvs.push(['stdout', o.stdout]);
  for (const name of ['rejects.out.csv', 'balances.out.csv', 'rated.out.csv', 'out/invoices.csv', 'out/invoice-lines.csv']) {
    const f = join(dir, name);
    if (existsSync(f)) csvs.push([name, readFileSync(f, 'utf8')]);
  }
  for (const [name, text] of csvs) {
    let rows: string[][];
    try {
      rows = parse(text, { relax_column_count: false }) as string[][];
    } catch (e) {
      v.push(`${name} is not valid CSV: ${(e as Error).message}`);
      continue;
    }
    const bad = rows.flat().find((c) => /^[=+\-@\t\r]/.test(c) && !/^-?[0-9]+(\.[0-9]+)?$/.test(c));
    if (bad !== undefined) v.push(`${name} has a cell that a spreadsheet would run: ${JSON.stringify(bad.slice(0, 60))}`);
  }
  const json = join(dir, 'out', 'invoices.json');
  if (existsSync(json)) {
    try {
      JSON.parse(readFileSync(json, 'utf8'));
    } catch {
      v.push('out/invoices.json does not parse');
    }
  }
  if (o.code !== 0) {
    // SPEC §6: nothing is written when the run fails
    for (const name of ['rejects.out.csv', 'balances.out.csv', 'rated.out.csv', 'out/invoices.json']) if (existsSync(join(dir, name))) v.push(`${name} was written by a failed run`);
  }
  if (existsSync(dir)) {
    const leftovers = [...readdirSync(dir), ...(existsSync(join(dir, 'out')) && statSync(join(dir, 'out')).isDirectory() ? readdirSync(join(dir, 'out')) : [])].filter((f) => f.startsWith('.callbill-tmp-'));
    if (leftovers.length) v.push(`temporary files left behind: ${leftovers.join(', ')}`);
  }
  return v;
}

/** `file:line: …`, `file:line:column: …` or, for a whole-file problem, `file: …`. */
const LOCATED = /^\S.*?:\d+(:\d+)?: |^\S[^:]*: /;
/** Problems of a whole file, which have no line to name. */
const WHOLE_FILE = /: (the same file as .*, given twice|no record of \d{4}-\d{2}|cannot open)|no record with record_id .* in /;
/** SPEC §6: the bad rows are listed up to 50, then a count of the rest. */
const MORE = /^\.\.\. and \d+ more bad rows$/;

// ---------------------------------------------------------------------------------
// Seeds and mutations

export function fixture(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}

const PRICE_SEEDS = ['fixtures/spec-example/prices.yaml', 'price-lists/default.yaml', 'fixtures/diversion-chain/prices.yaml'];
const USAGE_SEEDS = ['fixtures/spec-example/usage.csv', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv', 'fixtures/diversion-chain/oct.csv'];
const BALANCE_SEEDS = ['fixtures/diversion-chain/balances-2026-10.csv'];

function splice(s: string, at: number, del: number, ins: string): string {
  return s.slice(0, at) + ins + s.slice(at + del);
}

/** One random edit of a text: bytes, cells, lines or a nasty value somewhere. */
function mutateText(r: Rng, s: string, kind: 'csv' | 'yaml'): string {
  const at = r.int(s.length + 1);
  switch (r.int(kind === 'csv' ? 12 : 15)) {
    case 0:
      return splice(s, at, 1, r.pick([',', '"', '\n', '\r', '\r\n', '\u0000', ' ', ':', '-', '#', '&', '*', '{', '[', '\t', '\u001b']));
    case 1:
      return splice(s, at, r.int(20), '');
    case 2: {
      const len = r.int(80);
      return splice(s, at, 0, s.slice(at, at + len));
    }
    case 3:
      return s.slice(0, at);
    case 4:
      return splice(s, at, 0, r.pick(NASTY));
    case 5: {
      const lines = s.split('\n');
      const i = r.int(lines.length);
      const j = r.int(lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
      return lines.join('\n');
    }
    case 6: {
      const lines = s.split('\n');
      const i = r.int(lines.length);
      lines.splice(i, 0, lines[r.int(lines.length)]!);
      return lines.join('\n');
    }
    case 7: {
      const lines = s.split('\n');
      lines.splice(r.int(lines.length), 1);
      return lines.join('\n');
    }
    case 8:
      // replace a token (a cell, or a scalar after ': ') by a nasty value
      return replaceToken(r, s, kind);
    case 9:
      return replaceToken(r, replaceToken(r, s, kind), kind);
    case 10:
      return '\ufeff' + s;
    case 11:
      return s.replace(/\n/g, r.pick(['\r\n', '\r', '\n\n']));
    case 12:
    case 13: {
      // keep the YAML valid but push a number to an edge
      const spots = [...s.matchAll(/(?<=: |- |\[|, |\{ )[0-9]+(\.[0-9]+)?(?=[,\]\}\s])/g)];
      if (spots.length === 0) return s;
      const m = r.pick(spots);
      return splice(s, m.index!, m[0].length, r.pick(['0', '0.0', '1', '0.001', '0.005', '0.015', '0.5', '86400', '99999999999999999999', '0.33333333333333333', '100', '100.01', '3650']));
    }
    default: {
      // YAML: indent or dedent a line, or insert an anchor / alias / merge key
      const lines = s.split('\n');
      const i = r.int(lines.length);
      const l = lines[i] ?? '';
      const op = r.int(4);
      if (op === 0) lines[i] = '  ' + l;
      else if (op === 1) lines[i] = l.replace(/^ {1,2}/, '');
      else if (op === 2) lines[i] = l.replace(/: (\S)/, ': &a $1');
      else lines[i] = l.replace(/: (\S.*)$/, r.pick([': *a', ': { <<: *a }', ': [*a, *a]']));
      return lines.join('\n');
    }
  }
}

function replaceToken(r: Rng, s: string, kind: 'csv' | 'yaml'): string {
  const re = kind === 'csv' ? /[^,\n]+/g : /(?<=: |- |\[|, |\{ )[^,\]\}\n#]+/g;
  const spots = [...s.matchAll(re)];
  if (spots.length === 0) return s;
  const m = r.pick(spots);
  const value = r.pick(NASTY);
  const text = kind === 'csv' && /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
  return splice(s, m.index!, m[0].length, text);
}

/** A random CSV from scratch: maybe our columns, maybe not, rows of nasty and plausible cells. */
function randomCsv(r: Rng): string {
  const cols = r.chance(0.7) ? [...COLUMNS] : Array.from({ length: 1 + r.int(12) }, () => (r.chance(0.5) ? r.pick(COLUMNS) : r.pick(NASTY)));
  if (r.chance(0.3)) cols.push(r.pick(NASTY));
  if (r.chance(0.2)) cols.push(r.pick(cols));
  const cell = (v: string) => (/[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
  const plausible: Record<string, () => string> = {
    record_id: () => `r${r.int(50)}`,
    customer_id: () => r.pick(['ACME', 'GLOBEX', 'INITECH', '__proto__', '=cmd', 'X']),
    channel: () => r.pick(['voice', 'chat', 'Voice']),
    started_at: () => `2026-${r.pick(['09', '10', '11'])}-${String(1 + r.int(31)).padStart(2, '0')}T${String(r.int(24)).padStart(2, '0')}:${String(r.int(60)).padStart(2, '0')}:00${r.pick(['Z', '', '+01:00'])}`,
    duration_seconds: () => String(r.int(5000)) + (r.chance(0.2) ? '.5' : ''),
    response_seconds: () => (r.chance(0.3) ? '' : String(r.int(120))),
    status: () => r.pick(['', 'answered', 'abandoned']),
    diversion: () => r.pick(['', '', 'none', 'mobile', 'international']),
    destination: () => r.pick(['', '+44 20 7946 0000', '+1 242 555 0100', '351 21']),
    diverted_seconds: () => (r.chance(0.5) ? '' : String(r.int(4000))),
  };
  let out = cols.map(cell).join(',') + '\n';
  const rows = r.int(30);
  for (let i = 0; i < rows; i++) {
    const width = r.chance(0.9) ? cols.length : r.int(cols.length + 3);
    const cells: string[] = [];
    for (let j = 0; j < width; j++) {
      const name = cols[j] ?? '';
      const gen = Object.hasOwn(plausible, name) ? plausible[name] : undefined;
      cells.push(cell(gen && r.chance(0.85) ? gen() : r.pick(NASTY)));
    }
    out += cells.join(',') + r.pick(['\n', '\n', '\r\n']);
  }
  return out;
}

/** A random balances file. */
function randomBalances(r: Rng): string {
  let out = r.chance(0.8) ? 'customer_id,diversion_balance\n' : `${r.pick(NASTY)},${r.pick(NASTY)}\n`;
  const n = r.int(6);
  for (let i = 0; i < n; i++) out += `${r.chance(0.6) ? r.pick(['ACME', 'GLOBEX', "'=X", '__proto__']) : r.pick(NASTY)},${r.chance(0.6) ? r.pick(['0', '12.50', '36.00', '1']) : r.pick(NASTY)}\n`;
  return out;
}

/** The bytes of a case, to name its folder and find it again. */
function caseId(files: Record<string, string | Buffer>, args: readonly string[]): string {
  const h = createHash('sha256');
  for (const [k, v] of Object.entries(files)) h.update(k).update('\0').update(v).update('\0');
  h.update(args.join('\0'));
  return h.digest('hex').slice(0, 12);
}

export interface FuzzCase {
  name: string;
  files: Record<string, string | Buffer>;
  /** Arguments; `@name` is replaced by the path of file `name` in the case's folder. */
  args: string[];
  format?: string;
}

/** Writes a case's files to a fresh temp folder and returns the resolved arguments. */
function materialise(c: FuzzCase, base: string): { dir: string; args: string[] } {
  const dir = join(base, caseId(c.files, c.args));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) writeFileSync(join(dir, name), content);
  return { dir, args: c.args.map((a) => (a.startsWith('@') ? join(dir, a.slice(1)) : a)) };
}

export function tempBase(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One random case: a mutated or random input of one kind, the others valid. */
export function randomCase(r: Rng): FuzzCase {
  const prices = fixture(r.pick(PRICE_SEEDS));
  const usage = fixture(r.pick(USAGE_SEEDS));
  const files: Record<string, string | Buffer> = { 'prices.yaml': prices, 'usage.csv': usage };
  const target = r.pick(['usage', 'usage', 'usage', 'random-usage', 'prices', 'prices', 'balances', 'bytes']);
  let name = target;
  const mutations = 1 + r.int(4);
  if (target === 'usage') for (let i = 0; i < mutations; i++) files['usage.csv'] = mutateText(r, files['usage.csv'] as string, 'csv');
  if (target === 'random-usage') files['usage.csv'] = randomCsv(r);
  if (target === 'prices') for (let i = 0; i < mutations; i++) files['prices.yaml'] = mutateText(r, files['prices.yaml'] as string, 'yaml');
  if (target === 'balances') files['balances.csv'] = r.chance(0.5) ? randomBalances(r) : mutateText(r, fixture(r.pick(BALANCE_SEEDS)), 'csv');
  if (target === 'bytes') {
    // raw byte damage: invalid UTF-8, NULs, a cut multi-byte character
    const which = r.pick(['usage.csv', 'prices.yaml']);
    const b = Buffer.from(files[which] as string, 'utf8');
    for (let i = 0; i < mutations; i++) b[r.int(b.length)] = r.pick([0x00, 0xff, 0xc3, 0xe2, 0x80, 0x0d, 0x22]);
    files[which] = b;
    name = `bytes:${which}`;
  }
  if (r.chance(0.15)) files['usage2.csv'] = r.chance(0.5) ? files['usage.csv']! : randomCsv(r);
  const format = r.pick(['json', 'csv', 'table']);
  const command = r.pick(['invoice', 'invoice', 'invoice', 'invoice', 'invoice', 'check', 'explain', 'compare', 'import']);
  if (command === 'import') {
    // a platform export through its built-in profile, mutated like a usage file
    const platform = r.pick(['twilio', 'asterisk', 'five9', 'freeswitch', 'connect']);
    const dir = join(ROOT, 'fixtures', 'import', platform);
    const export_ = readdirSync(dir).find((f) => f !== 'expected-canonical.csv' && /\.(csv|txt)$/.test(f));
    if (export_) {
      let text = readFileSync(join(dir, export_), 'utf8');
      for (let i = 0; i < mutations; i++) text = mutateText(r, text, 'csv');
      const args = r.chance(0.5)
        ? ['import-check', '--import', platform, '@export.csv']
        : ['invoice', '-p', '@prices.yaml', '--issue-date', '2026-11-01', '--format', format, '--import', platform, '--rejects', '@rejects.out.csv', '@export.csv'];
      return { name: `import:${platform}`, files: { 'prices.yaml': prices, 'export.csv': text }, args, format: args[0] === 'invoice' ? format : undefined };
    }
  }
  if (command === 'explain' || command === 'compare') {
    const args =
      command === 'explain'
        ? ['explain', '-p', '@prices.yaml', '--record', r.pick(['SX-001', 'A-V13', 'O-A1', 'r1', '__proto__', '']), '--format', r.pick(['table', 'json'])]
        : ['compare', '-p', '@prices.yaml', '--against', '@b.yaml', '--format', format];
    if (command === 'compare') files['b.yaml'] = r.chance(0.5) ? fixture(r.pick(PRICE_SEEDS)) : mutateText(r, prices, 'yaml');
    if (r.chance(0.5)) args.push('--period', '2026-10');
    args.push('@usage.csv');
    if (files['usage2.csv'] !== undefined) args.push('@usage2.csv');
    return { name: `${command}:${name}`, files, args, format: command === 'compare' ? format : undefined };
  }
  const args = command === 'check' ? ['check', '-p', '@prices.yaml'] : ['invoice', '-p', '@prices.yaml', '--issue-date', '2026-11-01', '--format', format];
  if (args[0] === 'invoice') {
    if (r.chance(0.2)) args.push('--rated', '@rated.out.csv');
    if (format === 'csv' && r.chance(0.5)) args.push('--detail');
    if (r.chance(0.5)) args.push('--period', r.pick(['2026-10', '2026-10', '2026-09', '2026-11']));
    if (r.chance(0.5)) args.push('--rejects', '@rejects.out.csv');
    if (r.chance(0.3)) args.push('--out', '@out');
    if (files['balances.csv'] !== undefined || r.chance(0.1)) {
      files['balances.csv'] ??= fixture(r.pick(BALANCE_SEEDS));
      args.push('--balances-in', '@balances.csv');
    }
    if (r.chance(0.2)) args.push('--balances-out', '@balances.out.csv');
  } else if (r.chance(0.5)) args.push('--period', '2026-10');
  args.push('@usage.csv');
  if (files['usage2.csv'] !== undefined) args.push('@usage2.csv');
  return { name, files, args, format: args[0] === 'invoice' ? format : undefined };
}

/** Keeps a failing case where a person can rerun it. */
export function keepFailure(c: FuzzCase, o: Outcome, problems: string[], dir: string): string {
  const keep = join(ROOT, 'fuzz-failures', caseId(c.files, c.args));
  mkdirSync(keep, { recursive: true });
  for (const [name, content] of Object.entries(c.files)) writeFileSync(join(keep, name), content);
  writeFileSync(
    join(keep, 'README'),
    `${problems.join('\n')}\n\nexit ${o.code} after ${o.ms} ms\nargs (paths in ${dir}): ${JSON.stringify(c.args)}\n\nstderr:\n${o.stderr.slice(0, 5000)}\n`,
  );
  return keep;
}

/** Runs one case (in this process, or as a real subprocess) and checks everything about its outcome. */
export async function checkCase(
  c: FuzzCase,
  base: string,
  opts: { subprocess?: boolean; heapMb?: number; extraPaths?: string[] } = {},
): Promise<{ outcome: Outcome; problems: string[]; dir: string }> {
  const { dir, args } = materialise(c, base);
  const outcome = opts.subprocess ? await runSubprocess(args, { heapMb: opts.heapMb }) : await runInProcess(args);
  const paths = [...Object.keys(c.files).map((f) => join(dir, f)), ...(opts.extraPaths ?? [])];
  const problems = [...violations(outcome, { format: c.format, paths, command: c.args[0] }), ...outputViolations(outcome, dir, c.format)];
  if (outcome.code === 0 && c.args[0] === 'invoice' && c.args.includes('--out')) {
    // every run written with --out verifies against its own audit (issue #6, item 5)
    const v = await runInProcess(['verify', join(dir, 'out')]);
    if (v.code !== 0 || !v.stdout.endsWith('everything matches\n')) problems.push(`verify of the run's --out folder: exit ${v.code}: ${(v.stdout + v.stderr).split('\n').filter((l) => !l.startsWith('ok ')).join(' | ').slice(0, 400)}`);
  }
  return { outcome, problems, dir };
}

/** A usage CSV with one row whose cells are given by name (the others plausible). */
export function usageRow(cells: Partial<Record<string, string>>, header: readonly string[] = COLUMNS): string {
  const base: Record<string, string> = {
    record_id: 'r1',
    customer_id: 'ACME',
    channel: 'voice',
    started_at: '2026-10-05T10:00:00Z',
    duration_seconds: '95',
    response_seconds: '12',
    status: 'answered',
    diversion: '',
    destination: '',
    diverted_seconds: '',
  };
  const cell = (v: string) => (/[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v);
  return header.map(cell).join(',') + '\n' + header.map((h) => cell(Object.hasOwn(cells, h) ? cells[h]! : Object.hasOwn(base, h) ? base[h]! : '')).join(',') + '\n';
}
