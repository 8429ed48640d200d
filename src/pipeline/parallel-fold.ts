/**
 * `--jobs N` (issue #5): a large usage file is cut into chunks at line ends, the
 * chunks are rated by worker threads (fold-worker.ts), and the partial folds are
 * merged in file order. The main thread reads the file once: it hashes it, checks
 * its encoding, reads the header, cuts and hands out the chunks, and keeps the
 * table of record-id hashes.
 *
 * Why the result is that of one thread:
 * - The state merges exactly and in any order (usage-state.ts); counts add up.
 * - Replies are applied in chunk order, so rejects come out in line order, each
 *   put on its file line by adding the line breaks of the chunks before it.
 * - A chunk is taken for starting at a record boundary. That is true of the first
 *   (after the header, read here) and of every chunk after one that ended at a
 *   record boundary and was read without trouble. So chunks are applied only while
 *   that holds. At the first chunk that did not end cleanly (a quoted field with
 *   line breaks across the cut, or anything the scanner leaves to csv-parse), the
 *   rest of the file, from that chunk's start and line, is read here on the main
 *   thread, exactly as --jobs 1 reads it. Hashes are added only for applied chunks.
 */
import { isUtf8 } from 'node:buffer';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DataError } from '../errors';
import { CsvScanner } from '../io/csv-scanner';
import { detectDelimiter } from '../io/delimiter';
import type { Delimiter } from '../io/delimiter';
import type { Mark } from '../usage/decimal-mark';
import { completeUtf8Length, csvError, InputCheck } from '../io/read-usage';
import type { InputResult } from '../io/read-usage';
import { MAX_RECORD_CHARS, RecordReader } from '../io/record-reader';
import type { RatingContext } from '../rating/rate-record';
import type { IdHashTable } from '../rating/record-id-set';
import type { FoldOptions, FoldOutcome } from '../rating/usage-fold';
import { HashedSeenIds, mergeOutcome, UsageFold } from '../rating/usage-fold';
import { mapHeader } from '../usage/usage-record';
import { addEncodedState } from '../rating/state-codec';
import { customerAcc } from '../rating/usage-state';
import type { CustomerAcc } from '../rating/usage-state';
import { rateChunk, setChunkFilter } from './fold-worker';
import type { ChunkFilter, ChunkReply, ChunkRequest, WorkerMessage, WorkerReady, WorkerSetup } from './fold-worker';
import type { ChunkBilled } from './billed-ids';
import type { SkipCounts } from './record-filter';

/**
 * Files smaller than this are read on the main thread: starting workers would cost more
 * than it saves. A worker's start (its own Node, the bundle, the price list read again)
 * is some 0.1 s of CPU, and the first chunks it rates run while its code is still being
 * compiled, again, for its thread: on two cores threads start to pay at about 40 MB of a
 * usage file, some 650,000 rows (forced threads against --jobs 1, as the bench's
 * `threads` lines time them).
 */
export const PARALLEL_MIN_BYTES = 40 << 20;

/**
 * Above this many records (estimated) the main thread leaves all chunks to workers:
 * it holds the id table, and rating in it as well grows its heap to V8's full young
 * generation (which cannot be bounded for the main thread as it is for workers);
 * the 10M-row month peaked at 248 MB so, against ~200 MB without. A run that long
 * does not feel one more worker's start-up.
 */
export const LOCAL_MAX_RECORDS = 4_000_000;

/**
 * Chunk size: a few chunks per worker for balance, small enough to keep memory
 * flat (each worker holds a chunk's bytes, its text and its records; 4 MiB chunks
 * cost ~25 MB more peak RSS than 1 MiB, for no gain in time).
 */
function chunkBytes(fileBytes: number, workers: number): number {
  const forced = chunkBytesForced();
  if (forced > 0) return forced;
  return Math.min(1 << 20, Math.max(256 << 10, Math.ceil(fileBytes / (workers * 4))));
}

/** CALLBILL_CHUNK_BYTES, the chunk size forced by tests of chunk boundaries on small files (0: none). */
function chunkBytesForced(): number {
  const forced = Number(process.env.CALLBILL_CHUNK_BYTES);
  return Number.isInteger(forced) && forced > 0 ? forced : 0;
}

/**
 * The threshold, lowered by CALLBILL_CHUNK_BYTES (for tests of chunk boundaries on small
 * files) or set by CALLBILL_PARALLEL_MIN_BYTES (the bench's search for the cross-over).
 */
export function parallelMinBytes(): number {
  if (chunkBytesForced()) return 1;
  const min = Number(process.env.CALLBILL_PARALLEL_MIN_BYTES);
  return Number.isInteger(min) && min > 0 ? min : PARALLEL_MIN_BYTES;
}

/**
 * The threads that rate chunks: `threads` − 1 worker threads and this one, or, when
 * this thread must not take chunks (`local` false), `threads` workers. The main
 * thread takes a chunk itself when every worker already has two waiting: on two
 * cores, --jobs 2 is one worker and the main thread, not two workers beside a main
 * thread that mostly waits (one worker's start-up less: ~0.1 s of CPU, ~30 MB).
 * Each worker answers its requests in order.
 */
export class FoldPool {
  private readonly workers: Worker[];
  private readonly load: number[];
  /** Which workers have read the price list and wait for chunks: until then a worker is given one chunk, not two. */
  private readonly ready: boolean[];
  /** Which workers were given a chunk: one that was not is given its first only while enough of the file is left (`rate`). */
  private readonly engaged: boolean[];
  /**
   * Bytes of a file that must be left to hand out for a worker to be given its first
   * chunk: with less, its share would not pay for the time its first chunks take (its
   * code still cold), and this thread rates the rest (a small file after a large one, say).
   * Half the threshold; none when the threshold is forced down (tests, the bench's forced
   * threads). With chunk sizes forced (tests of chunk boundaries on small files) chunks go
   * to workers as before, two to each whether it is ready or not, to be rated there, as
   * the tests mean.
   */
  private readonly minLeft = parallelMinBytes() / 2;
  private readonly waitForReady = chunkBytesForced() === 0;
  /** CALLBILL_TIMING=1: when things happened, in ms since the process started, printed to stderr at close. */
  private readonly timing: { started: number; ready: number[]; first: number; here: number; there: number; waited: number; foldStart: number; foldEnd: number } | null =
    process.env.CALLBILL_TIMING === '1' ? { started: performance.now(), ready: [], first: -1, here: 0, there: 0, waited: 0, foldStart: -1, foldEnd: -1 } : null;
  private readonly waiting = new Map<number, { resolve: (r: ChunkReply) => void; reject: (e: Error) => void; worker: number }>();
  private nextId = 0;
  private failure: Error | null = null;
  private local: ((req: ChunkRequest) => ChunkReply) | null = null;

  constructor(threads: number, setup: WorkerSetup, readonly local_: boolean = true) {
    const file = join(__dirname, 'fold-worker.js');
    const n = local_ ? Math.max(1, threads - 1) : threads;
    this.load = new Array<number>(n).fill(0);
    this.ready = new Array<boolean>(n).fill(false);
    this.engaged = new Array<boolean>(n).fill(false);
    this.workers = Array.from({ length: n }, (_, i) => {
      // A worker holds a chunk and its records, no more. Left to V8's defaults (sized
      // from the machine's memory) each kept ~30 MB more garbage about; these limits
      // keep the 10M-row run under its memory target, at no cost in time measured.
      const w = new Worker(file, { workerData: setup, resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 1024 } });
      w.on('message', (reply: ChunkReply | WorkerReady) => {
        if ('ready' in reply) {
          this.ready[i] = true;
          this.timing?.ready.push(reply.at - performance.timeOrigin);
          return;
        }
        const entry = this.waiting.get(reply.id);
        if (!entry) return;
        this.waiting.delete(reply.id);
        this.load[i]!--;
        entry.resolve(reply);
      });
      w.on('error', (e) => this.fail(e));
      w.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`a worker thread stopped (exit ${code})`));
      });
      return w;
    });
  }

  /** The record filter of the chunks that follow (fold-worker.ts ChunkFilter; null: none), in every thread that rates them. */
  setFilter(f: ChunkFilter | null): void {
    setChunkFilter(f);
    for (const w of this.workers) w.postMessage({ filter: f } satisfies WorkerMessage);
  }

  /** Lets this thread rate chunks too, with its own rating context (if the pool was made for it). */
  rateHereWith(ctx: RatingContext): void {
    if (!this.local_) return;
    this.local = (req) => rateChunk(ctx, req);
  }

  /**
   * Chunks handed out and not yet applied. Replies are applied in order, so when
   * the oldest is a worker's, this thread waits for it; room for a few more lets it
   * rate chunks of its own meanwhile (each is a buffer of a chunk's size).
   */
  get capacity(): number {
    return 2 * this.workers.length + (this.local ? 4 : 0);
  }

  /** CALLBILL_TIMING: the time this thread spent waiting for a reply, and when a file's fold ended. */
  waitedFor(since: number): void {
    if (!this.timing) return;
    const now = performance.now();
    this.timing.waited += now - since;
    this.timing.foldEnd = now;
  }

  /**
   * Rates a chunk: in the least loaded worker that can take it, or here. A worker still
   * starting takes one chunk, to begin with the moment it is ready (two waiting would
   * make this thread wait for a late worker's second before its own); once ready, two.
   * A worker that has had nothing yet takes its first only while at least `minLeft`
   * bytes of the file (`left`, from this chunk on) remain: a file nearly done by then is
   * finished here. This thread rates whatever the workers cannot take, so it waits for a
   * starting worker only after rating a window's worth of its own (`capacity`: about
   * 0.1 s of work, about as long as a worker takes to start). Without this thread
   * rating, the workers take every chunk.
   */
  rate(req: Omit<ChunkRequest, 'id'>, left: number): Promise<ChunkReply> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.timing && this.timing.foldStart < 0) this.timing.foldStart = performance.now();
    let best = -1;
    for (let i = 0; i < this.load.length; i++) {
      const can = !this.local || !this.waitForReady || ((this.ready[i] || this.load[i]! === 0) && (this.engaged[i] || left >= this.minLeft));
      if (can && (best < 0 || this.load[i]! < this.load[best]!)) best = i;
    }
    const id = this.nextId++;
    if (this.local && (best < 0 || this.load[best]! >= 2)) {
      if (this.timing) this.timing.here++;
      try {
        return Promise.resolve(this.local({ ...req, id }));
      } catch (e) {
        return Promise.reject(e as Error);
      }
    }
    this.load[best]!++;
    this.engaged[best] = true;
    if (this.timing) {
      this.timing.there++;
      if (this.timing.first < 0) this.timing.first = performance.now();
    }
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, worker: best });
      this.workers[best]!.postMessage({ ...req, id }, [req.buf]);
    });
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const [, w] of this.waiting) w.reject(this.failure);
    this.waiting.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error('closed');
    const t = this.timing;
    if (t) {
      const ms = (x: number): string => x.toFixed(0);
      process.stderr.write(`callbill timing: pool started ${ms(t.started)} ms, workers ready ${t.ready.map(ms).join(' ') || '-'}, first chunk to a worker ${t.first < 0 ? '-' : ms(t.first)}, chunks here ${t.here} / to workers ${t.there}, fold ${ms(t.foldStart)}–${ms(t.foldEnd)} ms (waited for workers ${ms(t.waited)} ms), closed ${ms(performance.now())} ms${threadTimes()}\n`);
    }
    // (the commands close the pool in a `finally`: live workers hold the process)
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** CALLBILL_TIMING: CPU time of each thread that used any, this one first (Linux /proc), e.g. ` | cpu 0.81 0.30 0.05 s`. */
function threadTimes(): string {
  try {
    const times = readdirSync('/proc/self/task').map((t) => {
      const stat = readFileSync(`/proc/self/task/${t}/stat`, 'latin1');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return { main: Number(t) === process.pid, s: (Number(f[11]) + Number(f[12])) / 100 };
    });
    times.sort((x, y) => Number(y.main) - Number(x.main) || y.s - x.s);
    return ' | cpu ' + times.filter((t) => t.s > 0).map((t) => t.s.toFixed(2)).join(' ') + ' s';
  } catch {
    return '';
  }
}

export interface FileFoldOptions {
  ctx: RatingContext;
  fold: Omit<FoldOptions, 'seenIds'>;
  table: IdHashTable;
  /** The file's name in messages (default: its path). */
  name?: string;
  onBytes?: (n: number) => void;
  onRecords?: (n: number) => void;
  /** With the pool's record filter (FoldPool.setFilter): what each applied chunk skipped and billed, in order. */
  take?: (skipped: SkipCounts, billed: ChunkBilled) => void;
}

async function readFull(fh: FileHandle, buf: Buffer, offset: number, length: number, position: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, offset + got, length - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got;
}

/**
 * Folds one file with the pool into `into`. Returns null, having changed nothing,
 * when the file is better read on one thread from the start (its header is not
 * plainly readable in the first chunk: the one-thread reader then says what is wrong).
 */
export async function foldFileInParallel(path: string, input: number, pool: FoldPool, into: FoldOutcome, o: FileFoldOptions): Promise<InputResult | null> {
  const fh = await open(path, 'r');
  try {
    const size = (await fh.stat()).size;
    const step = chunkBytes(size, pool.capacity);
    const check = new InputCheck(false);

    // Chunk buffers go to a worker and come back with its reply, to be read into
    // again: a few buffers for the whole file, not one per chunk for the GC.
    const bufSize = step + (64 << 10);
    const free: ArrayBuffer[] = [];
    const acquire = (): Buffer => Buffer.from(free.pop() ?? new ArrayBuffer(bufSize));

    // The header, from the first chunk.
    let buf = acquire();
    let len = await readFull(fh, buf, 0, step, 0);
    let eof = len < step;
    const head = buf.subarray(0, len);
    const lf = head.lastIndexOf(10);
    if (lf < 0 || !isUtf8Prefix(head.subarray(0, lf + 1))) return null;
    const text = head.toString('utf8', 0, lf + 1);
    // the delimiter: --delimiter, else the header line's (a header without one is left to the one-thread reader, which says so)
    let delimiter = o.ctx.reading.delimiter;
    if (delimiter === null) {
      const found = detectDelimiter(text);
      if (!found.ok) return null;
      delimiter = found.delimiter;
    }
    const scanner = new CsvScanner(MAX_RECORD_CHARS, 1, false, delimiter);
    let header: string[] | null = null;
    if (!scanner.feed(text, false, (_line, fields) => (header = fields), 1) || header === null) return null;
    const headerFields: string[] = header;
    if (!mapHeader(headerFields).ok) return null;
    // the file's decimal mark, as decided by the chunks applied so far (decimal-mark.ts)
    let mark: Mark = delimiter === ',' ? '.' : null;
    const headerBytes = Buffer.byteLength(text.slice(0, text.length - scanner.pendingChars));
    o.onBytes?.(len);
    check.take(head);
    into.headers[input] = headerFields;
    into.recordsPerInput[input] ??= 0;

    let line = scanner.line; // line of the next chunk's first character
    let pos = len; // bytes read (and checked) so far
    let from = headerBytes; // the unsent bytes of `buf` are [from, len)
    let chunkStart = headerBytes; // their offset in the file
    let resume: { byte: number; line: number } | null = null;
    const window: Array<{ reply: Promise<ChunkReply>; start: number }> = [];
    const keep = o.fold.keepRejects;
    const newCustomer = (id: string, plan: string): CustomerAcc => customerAcc(id, o.ctx.prices.plans.get(plan)!);

    const apply = async (entry: { reply: Promise<ChunkReply>; start: number }): Promise<void> => {
      const since = performance.now();
      const r = await entry.reply;
      pool.waitedFor(since);
      free.push(r.buf);
      if (resume) return;
      // a chunk that decided the decimal mark on its own must agree with the file's (else it is read again here)
      const disagrees = r.clean && r.mark !== null && mark !== null && r.mark !== mark;
      if (!r.clean || disagrees) {
        resume = { byte: entry.start, line };
        return;
      }
      mark ??= r.mark;
      const part = r.part!;
      mergeOutcome(into, part, keep, line - 1);
      if (r.encoded) addEncodedState(into.state, r.encoded, newCustomer);
      if (r.skipped && r.billed) o.take?.(r.skipped, r.billed);
      o.table.addAll(new Uint32Array(r.buf, 0, 2 * r.hashCount));
      o.onRecords?.(part.counts.read);
      line += r.breaks;
    };

    // Hand out whole lines, chunk by chunk, until the end, a line longer than a
    // chunk, or a byte that is not UTF-8 (this thread then reads on from there).
    while (!check.bad) {
      let cut: number;
      if (eof) {
        check.finish();
        if (check.bad) break;
        cut = len;
      } else {
        const at = buf.lastIndexOf(10, len - 1);
        if (at < from) break; // a line longer than a chunk: not a usage export
        cut = at + 1;
      }
      const next = eof ? null : acquire();
      if (next) buf.copy(next, 0, cut, len);
      if (cut > from) {
        while (window.length >= pool.capacity) await apply(window.shift()!);
        if (resume) break;
        const reply = pool.rate({ period: o.fold.period, keepRejects: keep, statistics: o.fold.statistics ?? false, input, header: headerFields, delimiter, mark, last: eof, buf: buf.buffer as ArrayBuffer, from, to: cut }, size - chunkStart);
        reply.catch(() => {}); // awaited in order below; a failure left behind must not go unhandled
        window.push({ reply, start: chunkStart });
        chunkStart += cut - from;
      } else {
        free.push(buf.buffer as ArrayBuffer);
      }
      if (!next) {
        chunkStart = -1; // all handed out
        break;
      }
      const carried = len - cut;
      const got = await readFull(fh, next, carried, bufSize - carried, pos);
      eof = got < bufSize - carried;
      buf = next;
      from = 0;
      len = carried + got;
      if (got > 0) {
        o.onBytes?.(got);
        pos += got;
        check.take(next.subarray(carried, len));
      }
    }
    while (window.length > 0) await apply(window.shift()!);
    // this thread reads on from the first chunk that did not end cleanly, or from
    // what was not handed out; there a CSV problem before a bad byte is reported first
    const rest = (resume as { byte: number; line: number } | null) ?? (chunkStart >= 0 ? { byte: chunkStart, line } : null);
    if (rest) await foldRest(fh, path, input, rest.byte, rest.line, pos, check, headerFields, delimiter, mark, into, o);
    return { sha256: check.sha256(), bytes: check.bytes };
  } finally {
    await fh.close();
  }
}

function isUtf8Prefix(b: Buffer): boolean {
  return isUtf8(b);
}

/**
 * Reads the file on from `start` (a record boundary on `line`) on this thread, as
 * --jobs 1 would: bytes before `checkedTo` were already hashed and checked, the
 * rest are checked here; the first problem by position is the one reported, as
 * readUsageInput does.
 */
async function foldRest(
  fh: FileHandle,
  path: string,
  input: number,
  start: number,
  line: number,
  checkedTo: number,
  check: InputCheck,
  header: string[],
  delimiter: Delimiter,
  mark: Mark,
  into: FoldOutcome,
  o: FileFoldOptions,
): Promise<void> {
  const name = o.name ?? path;
  const seenIds = new HashedSeenIds(o.table);
  const fold = new UsageFold(o.ctx, { ...o.fold, seenIds });
  fold.header(input, header, delimiter, mark);
  const reader = new RecordReader((l, fields) => fold.row(input, l, fields), line, false, delimiter, (l, s, a, b) => fold.line(input, l, s, a, b));
  const buf = Buffer.allocUnsafe(1 << 20);
  let pos = start;
  let pending: Buffer | null = null; // an incomplete character at the end of the last piece
  while (!(check.bad && pos >= check.badAt) && !reader.problem) {
    const got = await readFull(fh, buf, 0, buf.length, pos);
    if (got === 0) break;
    let piece = buf.subarray(0, got);
    if (pos + got > checkedTo) {
      const fresh = piece.subarray(Math.max(0, checkedTo - pos));
      o.onBytes?.(fresh.length);
      check.take(fresh);
      checkedTo = pos + got;
    }
    if (check.bad) piece = piece.subarray(0, Math.max(0, check.badAt - pos));
    pos += got;
    const data: Buffer = pending ? Buffer.concat([pending, piece]) : piece;
    const cut = completeUtf8Length(data);
    pending = cut < data.length ? Buffer.from(data.subarray(cut)) : null;
    const before = fold.counts.read;
    reader.write(data.subarray(0, cut));
    o.onRecords?.(fold.counts.read - before);
  }
  if (reader.problem) throw csvError(name, reader.problem);
  if (!check.bad) check.finish();
  const bad = check.problem(path, name);
  if (bad) throw bad;
  reader.end();
  if (reader.problem) throw csvError(name, reader.problem);
  seenIds.flush();
  mergeOutcome(into, fold, o.fold.keepRejects);
}
