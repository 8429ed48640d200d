/**
 * The fold driver: reads a job's usage inputs in order (files, standard input, through
 * an import profile or not, on one thread or with a worker pool) and folds every row.
 */
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Readable } from 'node:stream';
import { DataError, fsErrorText, InputError } from '../errors';
import { ImportHeaderError } from '../import';
import type { ImportProfile } from '../import';
import { readProfiledInput } from '../io/read-profiled';
import { openUsage, readUsageInput } from '../io/read-usage';
import type { Delimiter } from '../io/delimiter';
import type { PriceList } from '../pricing/types';
import { PLAIN_READING, RatingContext } from '../rating/rate-record';
import type { InputReading, RatedRecord } from '../rating/rate-record';
import { IdHashTable } from '../rating/record-id-set';
import { emptyOutcome, HashedSeenIds, MapSeenIds, mergeOutcome, settleHeld, sortRejects, SPILL_KEEP, SuspectSeenIds, UniqueIds, UsageFold } from '../rating/usage-fold';
import type { FoldOptions, FoldOutcome, RejectSink, SeenIds } from '../rating/usage-fold';
import { MAX_REPORTED } from '../render/rejected-rows';
import type { Period } from '../time/period';
import { COLUMNS } from '../usage/usage-record';
import { checkInputs } from './load-inputs';
import type { ChunkFilter } from './fold-worker';
import type { ChunkBilled } from './billed-ids';
import type { SkipCounts } from './record-filter';
import { FoldPool, foldFileInParallel, LOCAL_MAX_RECORDS, parallelMinBytes } from './parallel-fold';
import { startProgress, wantProgress } from './progress';
import { Spool } from './spool';

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
  /** The ledger's per-record filter (SPEC §7); with `onRated`, rates everything on this thread unless `chunks` is given. */
  skip?: FoldOptions['skip'];
  /**
   * `skip` and `onRated` as worker threads apply them (`issue`): the filter they are sent,
   * and what each chunk they rated skipped and billed, in file order. Without it a run
   * with `skip` or `onRated` reads on this thread.
   */
  chunks?: { filter: ChunkFilter; take: (skipped: SkipCounts, billed: ChunkBilled) => void };
  /**
   * Called before a second pass over the inputs (a record id hashed twice): whoever
   * collects per record (`skip`, `onRated`) starts again. Given, `skip` and `onRated`
   * see the first pass too, which is then the result when no record id repeats.
   */
  onRestart?: () => void;
  /**
   * Keep every rejected row here instead of in memory (--rejects: reject-spool.ts); one
   * per pass over the inputs. The result's `fold.spill` is the last pass's; the caller removes it.
   */
  spill?: () => RejectSink & { remove(): void };
  /** Also collect the service report's statistics (the fold's `state.stats`). */
  statistics?: boolean;
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
  const names = inputNames(opts.names ?? paths, opts.profile);
  const watched = Boolean(((opts.skip || opts.onRated) && !opts.onRestart) || opts.onRejected || opts.onHeader || opts.onRow || opts.alsoInto?.length);
  const stdin = paths.includes('-');
  const spool = stdin && !opts.open ? Spool.create() : null;
  try {
    // no temporary file for a copy of stdin: one pass, ids compared exactly (a repeated id's later copies rejected)
    if (stdin && !opts.open && !spool) return await foldPass(paths, names, ctx, opts, new MapSeenIds(), { spill: opts.spill?.() });
    // a profile reads through its own reader, which cannot keep a copy of stdin as it goes: copy it first
    const filled = spool !== null && opts.profile !== undefined;
    if (filled) await spool.fill(process.stdin);
    const table = new IdHashTable(estimateRecords(paths));
    // a pool rates what is filtered or collected per record only as `chunks` says
    const pool = opts.profile || ((opts.skip || opts.onRated) && !opts.chunks) ? null : (opts.pool ?? null);
    pool?.rateHereWith(ctx);
    pool?.setFilter(opts.chunks?.filter ?? null);
    // callers that watch rows or records as they are folded see only the second pass,
    // which knows which ids repeat: the first one finds them by hash
    // (a ledger run that can start again, `onRestart`, sees both passes and forgets the first)
    const quiet: FoldRunOptions = watched ? { ...opts, onRated: undefined, skip: undefined, onRejected: undefined, onHeader: undefined, onRow: undefined, alsoInto: undefined } : opts;
    const firstSpill = opts.spill?.();
    const first = await foldPass(paths, names, ctx, quiet, new HashedSeenIds(table), { table, pool, tee: filled ? null : spool, replay: filled ? spool : null, spill: firstSpill });
    if (table.suspects === 0 && !watched) return first;
    if (table.suspects > 0) opts.onPass?.('record ids seen twice, checking');
    firstSpill?.remove();
    if (!watched) opts.onRestart?.();
    const second = await foldPass(paths, names, ctx, opts, table.suspects === 0 ? new UniqueIds() : new SuspectSeenIds(table), { replay: spool, spill: opts.spill?.() });
    // the second reading must see what the first saw, or a record could be billed twice
    first.inputs.forEach((inp, i) => {
      if (second.inputs[i]?.sha256 !== inp.sha256) {
        throw new DataError(`${inp.path}: changed while it was read (it was read twice to check repeated record ids, and the two readings differ); run again on a file that is not being written to`);
      }
    });
    return second;
  } finally {
    spool?.remove();
  }
}

/** Bytes of the inputs that are files (standard input counts 0). */
function inputBytes(paths: readonly string[]): number {
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
export function startPool(paths: readonly string[], jobs: number, prices: { text: string; path: string }, oneThread: boolean, reading: InputReading = PLAIN_READING): FoldPool | null {
  if (jobs <= 1 || oneThread) return null;
  if (!paths.some((p) => fileSize(p) >= parallelMinBytes())) return null;
  return new FoldPool(jobs, { pricesText: prices.text, pricesPath: prices.path, reading }, estimateRecords(paths) <= LOCAL_MAX_RECORDS);
}

interface PassResources {
  table?: IdHashTable;
  pool?: FoldPool | null;
  /** Keep a copy of stdin here as it is read; read stdin from here instead. */
  tee?: Spool | null;
  replay?: Spool | null;
  /** Where this pass's rejected rows go (see FoldRunOptions.spill). */
  spill?: RejectSink;
}

async function foldPass(paths: readonly string[], names: string[], ctx: RatingContext, opts: FoldRunOptions, seenIds: SeenIds, res: PassResources): Promise<FoldResult> {
  const keepRejects = opts.keepAllRejects ? Infinity : MAX_REPORTED;
  const foldOptions = { period: opts.period, inputNames: names, keepRejects, onRated: opts.onRated, onRejected: opts.onRejected, skip: opts.skip, spill: res.spill, statistics: opts.statistics };
  const outcome = emptyOutcome();
  if (res.spill) outcome.spill = res.spill;
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
      if (pool && table && fileSize(path) >= parallelMinBytes()) {
        r = await foldFileInParallel(path, i, pool, outcome, { ctx, fold: foldOptions, table, name, onBytes: opts.onBytes, onRecords, take: opts.chunks?.take });
      }
      if (!r) {
        const fold = new UsageFold(ctx, { ...foldOptions, seenIds });
        const folds = [fold, ...also];
        if (opts.profile) {
          // rows the profile mapped are checked, and rejected, in the SPEC §2 columns as read: they go
          // under a second input number whose header is those columns (same file name)
          const mapped = paths.length + i;
          for (const f of folds) f.mappedHeader(mapped, [...COLUMNS]);
          onHeader?.(mapped, [...COLUMNS]);
          for (const f of folds) f.mappedHeader(i, []);
          r = await readProfiledInput(
            path,
            opts.profile,
            ctx.zone,
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
            ctx.reading.delimiter,
          );
        } else {
          const plain = !onHeader && !onRow && !onRecords && also.length === 0;
          const sink = plain
            ? {
                header: (input: number, fields: string[], _line: number, d: Delimiter) => fold.header(input, fields, d),
                row: (input: number, line: number, fields: string[]) => fold.row(input, line, fields),
                line: (input: number, line: number, s: string, start: number, end: number) => fold.line(input, line, s, start, end),
              }
            : {
                header: (input: number, fields: string[], _line: number, d: Delimiter) => {
                  onHeader?.(input, fields);
                  for (const f of also) f.header(input, fields, d);
                  return fold.header(input, fields, d);
                },
                row: (input: number, line: number, fields: string[]) => {
                  onRow?.(input, line, fields);
                  for (const f of folds) f.row(input, line, fields);
                  onRecords?.(1);
                },
                // lines too when nothing but this fold looks at the cells (the progress line counts records)
                line:
                  onRow || also.length > 0
                    ? undefined
                    : (input: number, line: number, s: string, start: number, end: number) => {
                        fold.line(input, line, s, start, end);
                        onRecords?.(1);
                      },
              };
          // a file opened the usual way is read by the reader's own opener, which knows it can be read
          // again (the line of an encoding error is then counted only if there is one, not as bytes pass)
          const ownOpen = opts.open !== undefined || path === '-';
          r = await readUsageInput(path, i, sink, { onBytes: opts.onBytes, tee: path === '-' && tee ? (b) => tee.write(b) : undefined, open: ownOpen ? open : undefined, name, delimiter: ctx.reading.delimiter });
        }
        mergeOutcome(outcome, fold, keepRejects);
      }
      inputs.push({ path: name, sha256: r.sha256, records: (outcome.recordsPerInput[i] ?? 0) + (outcome.recordsPerInput[paths.length + i] ?? 0) });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${name}: cannot read usage file: ${fsErrorText(e)}`);
      if (e instanceof ImportHeaderError) throw new DataError(`${name}:${e.message.replace(/^line (\d+): /, '$1: ')}`);
      throw e;
    }
  }
  // the ids still waiting in a batch go to the table before anyone asks it (foldInputs)
  seenIds.flush?.();
  // held records (ids that may repeat) are decided once every input is read
  if (seenIds instanceof SuspectSeenIds) {
    outcome.spill?.unordered?.();
    mergeOutcome(outcome, settleHeld(seenIds, ctx, { ...foldOptions, seenIds }), Infinity);
    sortRejects(outcome, outcome.spill ? SPILL_KEEP : keepRejects);
  }
  return { fold: outcome, inputs, superseded, names };
}

/** Records in the inputs, guessed from their sizes and the length of the first lines (sizes the id table). */
function estimateRecords(paths: readonly string[]): number {
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

/**
 * The progress line for a run over these inputs (progress.ts decides whether it
 * shows); returns the fold callbacks and the function that clears it.
 */
export function progressFor(paths: readonly string[], quiet: boolean | undefined, stderr: NodeJS.WriteStream, env: NodeJS.ProcessEnv): Pick<FoldRunOptions, 'onBytes' | 'onRecords' | 'onPass'> & { done: () => void } {
  const total = inputBytes(paths);
  if (!wantProgress(quiet, stderr, env, total, paths.includes('-'))) return { done: () => {} };
  const p = startProgress(stderr, paths.includes('-') ? 0 : total);
  return { onBytes: p.bytes, onRecords: p.records, onPass: p.pass, done: p.done };
}

export function newContext(prices: PriceList, reading?: InputReading): RatingContext {
  return new RatingContext(prices, reading);
}
