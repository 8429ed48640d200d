/**
 * A worker thread of `--jobs` (parallel-fold.ts): rates chunks of a usage file and
 * sends back, per chunk, the partial fold (plain data: the state merges exactly),
 * the hashes of its record ids, and how many line breaks it read, so that the main
 * thread can put its rejects on the file's lines.
 *
 * A chunk starts at a line start that the main thread takes for a record start.
 * That holds when the chunk before ended at a record boundary; a chunk that does
 * not (a quoted field running on over its end) or that the scanner cannot decide
 * (anything csv-parse would refuse) is answered `clean: false`, and the main thread
 * reads the file on from there itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { CsvScanner } from '../io/csv-scanner';
import { MAX_RECORD_CHARS } from '../io/record-reader';
import { forEachTextPiece } from '../io/utf8';
import { parsePriceList } from '../pricing/parse-price-list';
import { RatingContext } from '../rating/rate-record';
import type { InputReading, RatedRecord } from '../rating/rate-record';
import type { Delimiter } from '../io/delimiter';
import type { Mark } from '../usage/decimal-mark';
import { HashList, HashSet64 } from '../rating/record-id-set';
import type { FoldOutcome } from '../rating/usage-fold';
import { CollectedSeenIds, UsageFold } from '../rating/usage-fold';
import { encodeState } from '../rating/state-codec';
import type { EncodedState } from '../rating/state-codec';
import { emptyState } from '../rating/usage-state';
import type { Period } from '../time/period';
import { BilledCollector } from './billed-ids';
import type { ChunkBilled } from './billed-ids';
import { emptyCounts, recordFilter } from './record-filter';
import type { SkipCounts } from './record-filter';

/** What a worker is started with: the price list, which it reads itself (a PriceList holds classes). */
export interface WorkerSetup {
  pricesText: string;
  pricesPath: string;
  /** --delimiter, --date-format. */
  reading: InputReading;
}

/**
 * `issue`'s record filter (record-filter.ts), for the chunks of a run: sent once, before
 * them. A chunk holding a record whose id's hash is among the ledger's billed fingerprints
 * is answered `clean: false` (`billedHit`): only the thread with the ledger can look the
 * exact id up, so the main thread reads the file on from that chunk. The ids billed are
 * collected and sent back with each chunk.
 */
export interface ChunkFilter {
  /** The slots of the ledger's fingerprints of billed ids (HashSet64 in shared memory), or null when it has none. */
  billed: SharedArrayBuffer | null;
  /** The months already issued (record-filter.ts monthKey). */
  issued: string[];
}

/** A worker's first message: it has read the price list and takes chunks (`at`: performance.timeOrigin + now, for CALLBILL_TIMING). */
export interface WorkerReady {
  ready: true;
  at: number;
}

/** A message to a worker: a chunk, or the record filter of the chunks that follow (null: none). */
export type WorkerMessage = ChunkRequest | { filter: ChunkFilter | null };

export interface ChunkRequest {
  id: number;
  period: Period | null;
  keepRejects: number;
  /** Collect the service report's statistics too. */
  statistics: boolean;
  input: number;
  header: string[];
  /** The file's field delimiter (found from its header by the main thread). */
  delimiter: Delimiter;
  /**
   * The file's decimal mark as the main thread knows it when it hands the chunk out (null:
   * not decided yet). A chunk given null decides from its own first number with a mark, and
   * the main thread checks that against the file's when it applies the chunk.
   */
  mark: Mark;
  /** The chunk is the end of the file. */
  last: boolean;
  /** The chunk is bytes [from, to) of the buffer. */
  buf: ArrayBuffer;
  from: number;
  to: number;
}

export interface ChunkReply {
  id: number;
  /** The chunk was read to its end as whole records; when false only `buf` is set. */
  clean: boolean;
  /** Line breaks in the chunk (csv-parse's count): the next chunk starts that many lines further. */
  breaks: number;
  /** Counts and rejects of the chunk; its state travels as `encoded` when it fits (state-codec.ts), else here. */
  part: FoldOutcome | null;
  encoded: EncodedState | null;
  /** The decimal mark at the end of the chunk. */
  mark: Mark;
  /**
   * The chunk's buffer, sent back to be read into again (no new buffer per chunk,
   * which the main thread's GC would free late), holding now the id hashes as
   * `hashCount` pairs (low, high) of 32-bit words: a record of at least 28 bytes
   * leaves room for its 8.
   */
  buf: ArrayBuffer;
  hashCount: number;
  /** With a record filter: what it skipped, and the ids billed with their customers, in order. */
  skipped?: SkipCounts;
  billed?: ChunkBilled;
}

/** The filter of the chunks this thread rates (set by a message before them). */
interface ActiveFilter {
  billed: HashSet64 | null;
  issued: Set<string>;
}

let active: ActiveFilter | null = null;

/** Sets the record filter of the chunks that follow (null: none). */
export function setChunkFilter(f: ChunkFilter | null): void {
  active = f ? { billed: f.billed ? HashSet64.view(f.billed) : null, issued: new Set(f.issued) } : null;
}

const list = new HashList();

/** Rates one chunk: in a worker, or on the main thread when it takes a share (FoldPool). */
export function rateChunk(ctx: RatingContext, req: ChunkRequest): ChunkReply {
  list.count = 0;
  const f = active;
  let billedHit = false;
  const skipped = f ? emptyCounts() : undefined;
  const billed = f ? new BilledCollector() : null;
  const filter = f
    ? {
        skip: recordFilter(
          (_id, h) => {
            if (f.billed?.has(h.lo, h.hi)) billedHit = true;
            return false;
          },
          f.issued,
          ctx.zone,
          skipped!,
        ),
        onRated: (rr: RatedRecord) => billed!.add(rr.record.customerId, rr.record.recordId),
      }
    : {};
  const fold = new UsageFold(ctx, { period: req.period, inputNames: [], keepRejects: req.keepRejects, statistics: req.statistics, seenIds: new CollectedSeenIds(list), ...filter });
  fold.header(req.input, req.header, req.delimiter, req.mark);
  const scanner = new CsvScanner(MAX_RECORD_CHARS, 1, true, req.delimiter);
  const input = req.input;
  const onRow = (line: number, fields: string[]) => fold.row(input, line, fields);
  const onLine = (line: number, s: string, start: number, end: number) => fold.line(input, line, s, start, end);
  const ok = forEachTextPiece(Buffer.from(req.buf, req.from, req.to - req.from), (text, last) => scanner.feed(text, req.last && last, onRow, Infinity, onLine)) < 0;
  if (!ok || !scanner.atBoundary || billedHit) return { id: req.id, clean: false, breaks: 0, part: null, encoded: null, mark: req.mark, buf: req.buf, hashCount: 0 };
  const encoded = encodeState(fold.state);
  const part: FoldOutcome = { state: encoded ? emptyState() : fold.state, counts: fold.counts, rejects: fold.rejects, recordsPerInput: fold.recordsPerInput, headers: [] };
  let buf = req.buf;
  if (list.count * 8 > buf.byteLength) buf = new ArrayBuffer(list.count * 8); // cannot happen with valid records; be safe
  new Uint32Array(buf, 0, 2 * list.count).set(list.pairs.subarray(0, 2 * list.count));
  const reply: ChunkReply = { id: req.id, clean: true, breaks: scanner.line - 1, part, encoded, mark: fold.decimalMark, buf, hashCount: list.count };
  if (f) {
    reply.skipped = skipped;
    reply.billed = billed!.done();
  }
  return reply;
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const ctx = new RatingContext(parsePriceList(setup.pricesText, setup.pricesPath), setup.reading);
  port.postMessage({ ready: true, at: performance.timeOrigin + performance.now() } satisfies WorkerReady);
  port.on('message', (m: WorkerMessage) => {
    if ('filter' in m) {
      setChunkFilter(m.filter);
      return;
    }
    const reply = rateChunk(ctx, m);
    const e = reply.encoded;
    const moved = reply.billed ? [reply.billed.words.buffer as ArrayBuffer] : [];
    moved.push(...(e ? [reply.buf, e.nums.buffer as ArrayBuffer, e.costs.buffer as ArrayBuffer, ...(e.stats ? [e.stats.nums.buffer as ArrayBuffer, e.stats.sums.buffer as ArrayBuffer] : [])] : [reply.buf]));
    port.postMessage(reply, moved);
  });
}
