import { closeSync, createReadStream, mkdtempSync, openSync, readFileSync, readSync, realpathSync, rmSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { DataError, InputError, UsageError } from '../errors';
import { utf8Text } from '../io/utf8';
import type { Dec } from '../money/decimal';
import { parsePriceList } from '../pricing/parse-price-list';
import type { PriceList } from '../pricing/types';
import type { Period, RatedRecord, RatingContext } from '../rating/rate-record';
import type { IdHashTable } from '../rating/record-id-set';
import type { FoldOptions, FoldOutcome, RejectedRow, SeenIds, UsageFold } from '../rating/usage-fold';
import type { ImportProfile } from '../import';
import type { FoldPool } from './parallel-fold';
import { shownValue } from '../render/terminal-safe';
import { localDate } from '../time/dates';
import { DAY_MS, daysInMonth, isoDateOfDay, isValidDate, utcMs, Zone } from '../time/zone';

export interface LoadedPrices {
  prices: PriceList;
  path: string;
  /** The text as read (worker threads parse it again themselves). */
  text: string;
  sha256: string;
}

function readInputFile(path: string, what: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: cannot open ${what}: it is a folder`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot open ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

/** The price list file's bytes (exit 66 when it cannot be read). */
export function readPrices(path: string): Buffer {
  return readInputFile(path, 'the price list');
}

function sha256Of(buf: Buffer): string {
  // required here: `check` does not load the hashing code
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(buf).digest('hex');
}

/** The price list; `shownAs` names it in messages and control figures (verify: the recorded path). */
export function loadPrices(path: string, shownAs = path, bytes?: Buffer): LoadedPrices {
  const buf = bytes ?? readInputFile(path, 'the price list');
  const text = utf8Text(buf, shownAs);
  const prices = parsePriceList(text, shownAs);
  let hash: string | null = null;
  return {
    prices,
    path: shownAs,
    text,
    // only `invoice` shows it
    get sha256() {
      return (hash ??= sha256Of(buf));
    },
  };
}

export function loadBalances(path: string | undefined, prices: PriceList): Map<string, Dec> {
  return loadBalancesFile(path, prices).balances;
}

export interface LoadedBalances {
  balances: Map<string, Dec>;
  /** null when no --balances-in was given. */
  path: string | null;
  sha256: string | null;
}

/** `--balances-in`, with the file's SHA-256 for the audit. */
export function loadBalancesFile(path: string | undefined, prices: PriceList, shownAs = path): LoadedBalances {
  if (path === undefined) return { balances: new Map(), path: null, sha256: null };
  const { parseBalances } = require('../io/read-balances') as typeof import('../io/read-balances');
  const name = shownAs ?? path;
  const buf = readInputFile(path, 'the balances file');
  return { balances: parseBalances(utf8Text(buf, name), name, prices), path: name, sha256: sha256Of(buf) };
}

/** `--period YYYY-MM`: the local calendar month in the price list's zone. */
export function parsePeriod(text: string, zone: Zone): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]), mo = Number(m?.[2]);
  if (!m || !isValidDate(y, mo, 1)) throw new UsageError(`--period: expected a month YYYY-MM, found ${shownValue(text)}`);
  const last = daysInMonth(y, mo);
  const ny = mo === 12 ? y + 1 : y, nmo = mo === 12 ? 1 : mo + 1;
  return {
    startMs: zone.fromLocal(utcMs(y, mo, 1)),
    endMs: zone.fromLocal(utcMs(ny, nmo, 1)),
    start: `${m[1]}-${m[2]}-01`,
    end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`,
    label: text,
  };
}

export function parseIssueDate(text: string | undefined, zone: Zone, now: number): string {
  if (text === undefined) return localDate(zone, now);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new UsageError(`--issue-date: expected a date YYYY-MM-DD, found ${shownValue(text)}`);
  }
  return text;
}

/** Without --period: one period from the first to the last billed record's local date. */
export function spanPeriod(firstMs: number, lastMs: number, zone: Zone): Period | null {
  if (Number.isNaN(firstMs)) return null;
  const startDay = Math.floor(zone.toLocal(firstMs) / DAY_MS);
  const endDay = Math.floor(zone.toLocal(lastMs) / DAY_MS);
  const start = isoDateOfDay(startDay);
  const end = isoDateOfDay(endDay);
  return {
    startMs: zone.fromLocal(startDay * DAY_MS),
    endMs: zone.fromLocal((endDay + 1) * DAY_MS),
    start,
    end,
    label: `${start}_${end}`,
  };
}

/** Fails with 66 before any reading when an input cannot be opened; 64 for stdin given twice. */
export function checkInputs(paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    if (p === '-') {
      if (seen.has('-')) throw new UsageError('standard input (-) is named twice');
      seen.set('-', p);
      continue;
    }
    let real: string;
    try {
      const st = statSync(p);
      if (st.isDirectory()) throw new InputError(`${p}: cannot open usage file: it is a folder`);
      closeSync(openSync(p, 'r'));
      // the same file under another name: a symlink (same real path) or a hard link (same inode)
      real = st.ino !== 0 ? `inode ${st.dev}:${st.ino}` : realpathSync(p);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${p}: cannot open usage file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const first = seen.get(real);
    if (first !== undefined) throw new DataError(`${p}: the same file as ${first}, given twice; its records would be billed twice`);
    seen.set(real, p);
  }
}

export interface FoldResult {
  fold: FoldOutcome;
  inputs: Array<{ path: string; sha256: string; records: number }>;
  /** Rows an import profile replaced by a later copy of the same record (Connect): not records. */
  superseded: number;
  /** The name of each input number of the fold's rows and rejects. */
  names: string[];
}

export interface FoldRunOptions {
  period: Period | null;
  /** How the inputs are named in messages, control figures and rejects (default: their paths; verify: the recorded ones). */
  names?: readonly string[];
  keepAllRejects: boolean;
  onRated?: (rr: RatedRecord) => void;
  onRejected?: FoldOptions['onRejected'];
  /** Sees each header and row before the fold does (explain looks for one record id). */
  onHeader?: (input: number, fields: string[]) => void;
  onRow?: (input: number, line: number, fields: string[]) => void;
  /** Progress: bytes read, records read (both as increments). */
  onBytes?: (n: number) => void;
  onRecords?: (n: number) => void;
  /** A second pass over the inputs begins. */
  onPass?: (label: string) => void;
  /** Opens an input (default: the file, or stdin for `-`); explain reads stdin once and replays it. */
  open?: (path: string) => Readable;
  /** Read every input through this import profile (issue #8). */
  profile?: ImportProfile;
  /** More folds that see every header and row too (compare: one fold per price list, one read). */
  alsoInto?: readonly UsageFold[];
  /** Threads for large files (--jobs), from `startPool`; none reads everything on this thread. */
  pool?: FoldPool | null;
  /** The ledger's per-record filter (SPEC §7); rates everything on this thread. */
  skip?: FoldOptions['skip'];
}

/**
 * The name of each input number of a fold's rows: the files as given, and with an
 * import profile the same names again for the rows it mapped (see foldInputs).
 * Known before reading, so what sees rows as they are rated (--rated) can name them.
 */
export function inputNames(paths: readonly string[], profile: ImportProfile | undefined): string[] {
  return profile ? [...paths, ...paths] : [...paths];
}

/**
 * Reads every input in order and folds it. Duplicate record ids are found by
 * hash (record-id-set.ts): when a hash repeats, the inputs are read a second time,
 * on one thread, with the suspects compared exactly, so the result is always that
 * of an exact check. Standard input is kept in a temporary file for that second
 * reading (or replayed with `open`). In one pass, with ids compared exactly (memory
 * then grows with the records): when a caller watches rows or records as they are
 * folded (explain, --rated, compare), or stdin cannot be read twice.
 * With `jobs` > 1, files of PARALLEL_MIN_BYTES or more are rated by worker threads
 * (parallel-fold.ts), with the same result.
 */
export async function foldInputs(paths: readonly string[], ctx: RatingContext, opts: FoldRunOptions): Promise<FoldResult> {
  checkInputs(paths);
  const { IdHashTable } = require('../rating/record-id-set') as typeof import('../rating/record-id-set');
  const { HashedSeenIds, MapSeenIds, SuspectSeenIds } = require('../rating/usage-fold') as typeof import('../rating/usage-fold');
  const names = inputNames(opts.names ?? paths, opts.profile);
  const watched = Boolean(opts.skip || opts.onRated || opts.onRejected || opts.onHeader || opts.onRow || opts.alsoInto?.length);
  const stdin = paths.includes('-');
  // a profile reads through its own reader, which cannot keep a copy of stdin
  const spool = stdin && !watched && !opts.open && !opts.profile ? Spool.create() : null;
  try {
    if (watched || (stdin && !opts.open && !spool)) return await foldPass(paths, names, ctx, opts, new MapSeenIds(), {});
    const table = new IdHashTable(estimateRecords(paths));
    const pool = opts.profile ? null : (opts.pool ?? null);
    pool?.rateHereWith(ctx);
    const first = await foldPass(paths, names, ctx, opts, new HashedSeenIds(table), { table, pool, tee: spool });
    if (table.suspects === 0) return first;
    opts.onPass?.('record ids seen twice, checking');
    return await foldPass(paths, names, ctx, opts, new SuspectSeenIds(table), { replay: spool });
  } finally {
    spool?.remove();
  }
}

/** Bytes of the inputs that are files (standard input counts 0). */
export function inputBytes(paths: readonly string[]): number {
  return paths.reduce((n, p) => n + fileSize(p), 0);
}

function fileSize(p: string): number {
  try {
    return p === '-' ? 0 : statSync(p).size;
  } catch {
    return 0;
  }
}

/**
 * Worker threads for `--jobs` (parallel-fold.ts), started as soon as the price list
 * is read, so that they read it and load the rating code while this thread does
 * the same. Null when they would not be used: one job, no file large enough, or a
 * run that reads on one thread anyway (import profiles, records watched as rated).
 * The caller closes it.
 */
export function startPool(paths: readonly string[], jobs: number, prices: { text: string; path: string }, oneThread: boolean): FoldPool | null {
  if (jobs <= 1 || oneThread) return null;
  const { FoldPool, LOCAL_MAX_RECORDS, parallelMinBytes } = require('./parallel-fold') as typeof import('./parallel-fold');
  if (!paths.some((p) => fileSize(p) >= parallelMinBytes())) return null;
  return new FoldPool(jobs, { pricesText: prices.text, pricesPath: prices.path }, estimateRecords(paths) <= LOCAL_MAX_RECORDS);
}

interface PassResources {
  table?: IdHashTable;
  pool?: FoldPool | null;
  /** Keep a copy of stdin here as it is read; read stdin from here instead. */
  tee?: Spool | null;
  replay?: Spool | null;
}

async function foldPass(paths: readonly string[], names: string[], ctx: RatingContext, opts: FoldRunOptions, seenIds: SeenIds, res: PassResources): Promise<FoldResult> {
  const { openUsage, readUsageInput } = require('../io/read-usage') as typeof import('../io/read-usage');
  const { UsageFold, emptyOutcome, mergeOutcome } = require('../rating/usage-fold') as typeof import('../rating/usage-fold');
  const { COLUMNS } = require('../usage/usage-record') as typeof import('../usage/usage-record');
  const keepRejects = opts.keepAllRejects ? Infinity : MAX_REPORTED;
  const foldOptions = { period: opts.period, inputNames: names, keepRejects, onRated: opts.onRated, onRejected: opts.onRejected, skip: opts.skip };
  const outcome = emptyOutcome();
  const inputs: FoldResult['inputs'] = [];
  const { onHeader, onRow, onRecords } = opts;
  const also = opts.alsoInto ?? [];
  const { replay, tee, pool, table } = res;
  const open = (p: string): Readable => (p === '-' && replay ? replay.read() : opts.open ? opts.open(p) : openUsage(p));
  let superseded = 0;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const name = names[i] ?? path;
    try {
      let r: { sha256: string } | null = null;
      if (pool && table && fileSize(path) >= (require('./parallel-fold') as typeof import('./parallel-fold')).parallelMinBytes()) {
        const { foldFileInParallel } = require('./parallel-fold') as typeof import('./parallel-fold');
        r = await foldFileInParallel(path, i, pool, outcome, { ctx, fold: foldOptions, table, name, onBytes: opts.onBytes, onRecords });
      }
      if (!r) {
        const fold = new UsageFold(ctx, { ...foldOptions, seenIds });
        const folds = [fold, ...also];
        if (opts.profile) {
          // rows the profile mapped are checked, and rejected, in the SPEC §2 columns as read: they go
          // under a second input number whose header is those columns (same file name)
          const { readProfiledInput } = require('../io/read-profiled') as typeof import('../io/read-profiled');
          const mapped = paths.length + i;
          for (const f of folds) f.mappedHeader(mapped, [...COLUMNS]);
          onHeader?.(mapped, [...COLUMNS]);
          for (const f of folds) f.mappedHeader(i, []);
          r = await readProfiledInput(
            path,
            opts.profile,
            (m) => {
              superseded += m.superseded?.length ?? 0;
              if (m.ok) {
                const cells = COLUMNS.map((c) => m.row[c]);
                onRow?.(mapped, m.line, cells);
                for (const f of folds) f.mappedRow(mapped, m.line, cells, cells);
              } else {
                onRow?.(i, m.line, m.fields);
                for (const f of folds) f.mappedRow(i, m.line, m.fields, null, { column: m.column, message: m.message, value: m.value });
              }
              onRecords?.(1);
            },
            (header) => {
              onHeader?.(i, header);
              for (const f of folds) f.mappedHeader(i, header);
            },
            opts.onBytes,
            open,
            name,
          );
        } else {
          const plain = !onHeader && !onRow && !onRecords && also.length === 0;
          const sink = plain
            ? { header: (input: number, fields: string[]) => fold.header(input, fields), row: (input: number, line: number, fields: string[]) => fold.row(input, line, fields) }
            : {
                header: (input: number, fields: string[]) => {
                  onHeader?.(input, fields);
                  for (const f of also) f.header(input, fields);
                  return fold.header(input, fields);
                },
                row: (input: number, line: number, fields: string[]) => {
                  onRow?.(input, line, fields);
                  for (const f of folds) f.row(input, line, fields);
                  onRecords?.(1);
                },
              };
          r = await readUsageInput(path, i, sink, { onBytes: opts.onBytes, tee: path === '-' && tee ? (b) => tee.write(b) : undefined, open, name });
        }
        mergeOutcome(outcome, fold, keepRejects);
      }
      inputs.push({ path: name, sha256: r.sha256, records: (outcome.recordsPerInput[i] ?? 0) + (outcome.recordsPerInput[paths.length + i] ?? 0) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${name}: cannot read usage file (${code})`);
      const { ImportHeaderError } = require('../import') as typeof import('../import');
      if (e instanceof ImportHeaderError) throw new DataError(`${name}:${e.message.replace(/^line (\d+): /, '$1: ')}`);
      throw e;
    }
  }
  return { fold: outcome, inputs, superseded, names };
}

/** Records in the inputs, guessed from their sizes and the length of the first lines (sizes the id table). */
export function estimateRecords(paths: readonly string[]): number {
  let bytes = 0;
  let sample: string | null = null;
  for (const p of paths) {
    if (p === '-') continue;
    try {
      bytes += statSync(p).size;
      if (sample === null) {
        const fd = openSync(p, 'r');
        try {
          const b = Buffer.alloc(65536);
          sample = b.toString('latin1', 0, readSync(fd, b, 0, b.length, 0));
        } finally {
          closeSync(fd);
        }
      }
    } catch {
      // checkInputs has opened them; a file that changed since is reported when read
    }
  }
  if (bytes === 0 || !sample) return 0;
  const lines = sample.split('\n').length - 1;
  const perRecord = lines > 1 ? sample.lastIndexOf('\n') / lines : 64;
  return Math.ceil((bytes / Math.max(16, perRecord)) * 1.05);
}

/** Standard input as read, kept in a temporary file for a second reading. */
class Spool {
  private readonly onSignal: (sig: NodeJS.Signals) => void;

  private constructor(private readonly dir: string, private readonly file: string, private fd: number) {
    // a copy of someone's usage must not outlive an interrupted run: remove it, then
    // end as the signal would have ended the process
    this.onSignal = (sig) => {
      this.remove();
      process.kill(process.pid, sig);
    };
    for (const sig of SIGNALS) process.once(sig, this.onSignal);
  }

  static create(): Spool | null {
    try {
      const { tmpdir } = require('node:os') as typeof import('node:os');
      const dir = mkdtempSync(join(tmpdir(), 'callbill-stdin-'));
      const file = join(dir, 'stdin.csv');
      return new Spool(dir, file, openSync(file, 'w', 0o600));
    } catch {
      return null;
    }
  }

  write(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  read(): Readable {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
    return createReadStream(this.file, { highWaterMark: 1 << 20 });
  }

  remove(): void {
    for (const sig of SIGNALS) process.removeListener(sig, this.onSignal);
    try {
      if (this.fd >= 0) closeSync(this.fd);
      this.fd = -1;
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // a temporary folder left behind is not worth failing the run for
    }
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The progress line for a run over these inputs (progress.ts decides whether it
 * shows); returns the fold callbacks and the function that clears it.
 */
export function progressFor(paths: readonly string[], quiet: boolean | undefined, stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Pick<FoldRunOptions, 'onBytes' | 'onRecords' | 'onPass'> & { done: () => void } {
  const total = inputBytes(paths);
  const { wantProgress, startProgress } = require('./progress') as typeof import('./progress');
  if (!wantProgress(quiet, stderr, env, total, paths.includes('-'))) return { done: () => {} };
  const p = startProgress(stderr, paths.includes('-') ? 0 : total);
  return { onBytes: p.bytes, onRecords: p.records, onPass: p.pass, done: p.done };
}

/** `--jobs N`: a whole number from 1; the default is every core the process may use. */
export function parseJobs(text: string | undefined): number {
  if (text === undefined) {
    const os = require('node:os') as typeof import('node:os');
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  if (!/^[0-9]{1,4}$/.test(text) || Number(text) < 1) throw new UsageError(`--jobs: expected a whole number of threads from 1, found ${shownValue(text)}`);
  return Number(text);
}

/**
 * A --period month the inputs hold no record of (README decision: 65, not an empty bill).
 * Every input is named with what it holds, so the message points at the file to look at.
 */
export function noRecordOfPeriod(period: Period, inputs: FoldResult['inputs'], c: { read: number; outside: number }): DataError {
  const details = inputs.map((i) => `${i.path}: no record of ${period.label} (${i.records === 0 ? 'no records at all, only a header' : `${i.records} record${i.records === 1 ? '' : 's'} read, all outside the month`})`);
  return new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`, details);
}

/** SPEC §6: bad rows are listed up to 50, then a count of the rest. */
export const MAX_REPORTED = 50;

export function rejectLine(r: RejectedRow, names: readonly string[]): string {
  const value = r.value === '' ? '' : ` (${shownValue(r.value)})`;
  return `${names[r.input] ?? '?'}:${r.line}: ${r.column}: ${r.message}${value}`;
}

export function rejectsError(rejects: readonly RejectedRow[], total: number, names: readonly string[], hint: string): DataError {
  const details = rejects.slice(0, MAX_REPORTED).map((r) => rejectLine(r, names));
  if (total > MAX_REPORTED) details.push(`... and ${total - MAX_REPORTED} more bad rows`);
  return new DataError(`${total} bad usage row${total === 1 ? '' : 's'}; ${hint}`, details);
}

export function newContext(prices: PriceList): RatingContext {
  // the rating code is loaded when usage is read: `check` of a price list alone does not need it
  const { RatingContext } = require('../rating/rate-record') as typeof import('../rating/rate-record');
  return new RatingContext(prices);
}

/** `--import NAME|FILE`: a built-in profile or a profile YAML (exit 78 when invalid, 66 when unreadable). */
export function loadImportProfile(nameOrPath: string | undefined): ImportProfile | undefined {
  if (nameOrPath === undefined) return undefined;
  const { loadProfile } = require('../import') as typeof import('../import');
  return loadProfile(nameOrPath);
}

/** A notice for rows an import profile folded into a later copy of the same record. */
export function supersededNotice(n: number): string | null {
  return n > 0 ? `callbill: ${n} earlier cop${n === 1 ? 'y' : 'ies'} of records replaced by a later copy (import profile de-duplication); they are not counted as records\n` : null;
}
