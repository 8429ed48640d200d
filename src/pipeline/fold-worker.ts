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
import { decodeUtf8 } from '../io/utf8';
import { parsePriceList } from '../pricing/parse-price-list';
import { RatingContext } from '../rating/rate-record';
import type { InputReading } from '../rating/rate-record';
import type { Delimiter } from '../io/delimiter';
import type { Mark } from '../usage/decimal-mark';
import { HashList } from '../rating/record-id-set';
import type { FoldOutcome } from '../rating/usage-fold';
import { CollectedSeenIds, UsageFold } from '../rating/usage-fold';
import { encodeState } from '../rating/state-codec';
import type { EncodedState } from '../rating/state-codec';
import { emptyState } from '../rating/usage-state';
import type { Period } from '../time/period';

/** What a worker is started with: the price list, which it reads itself (a PriceList holds classes). */
export interface WorkerSetup {
  pricesText: string;
  pricesPath: string;
  /** --delimiter, --date-format. */
  reading: InputReading;
}

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
}

const list = new HashList();

/** Rates one chunk: in a worker, or on the main thread when it takes a share (FoldPool). */
export function rateChunk(ctx: RatingContext, req: ChunkRequest): ChunkReply {
  list.count = 0;
  const fold = new UsageFold(ctx, { period: req.period, inputNames: [], keepRejects: req.keepRejects, statistics: req.statistics, seenIds: new CollectedSeenIds(list) });
  fold.header(req.input, req.header, req.delimiter, req.mark);
  const scanner = new CsvScanner(MAX_RECORD_CHARS, 1, true, req.delimiter);
  const text = decodeUtf8(Buffer.from(req.buf, req.from, req.to - req.from));
  const input = req.input;
  const ok = scanner.feed(text, req.last, (line, fields) => fold.row(input, line, fields), Infinity, (line, s, a, b) => fold.line(input, line, s, a, b));
  if (!ok || !scanner.atBoundary) return { id: req.id, clean: false, breaks: 0, part: null, encoded: null, mark: req.mark, buf: req.buf, hashCount: 0 };
  const encoded = encodeState(fold.state);
  const part: FoldOutcome = { state: encoded ? emptyState() : fold.state, counts: fold.counts, rejects: fold.rejects, recordsPerInput: fold.recordsPerInput, headers: [] };
  let buf = req.buf;
  if (list.count * 8 > buf.byteLength) buf = new ArrayBuffer(list.count * 8); // cannot happen with valid records; be safe
  new Uint32Array(buf, 0, 2 * list.count).set(list.pairs.subarray(0, 2 * list.count));
  return { id: req.id, clean: true, breaks: scanner.line - 1, part, encoded, mark: fold.decimalMark, buf, hashCount: list.count };
}

if (parentPort) {
  const port = parentPort;
  const setup = workerData as WorkerSetup;
  const ctx = new RatingContext(parsePriceList(setup.pricesText, setup.pricesPath), setup.reading);
  port.on('message', (req: ChunkRequest) => {
    const reply = rateChunk(ctx, req);
    const e = reply.encoded;
    const moved = e ? [reply.buf, e.nums.buffer as ArrayBuffer, e.costs.buffer as ArrayBuffer, ...(e.stats ? [e.stats.nums.buffer as ArrayBuffer, e.stats.sums.buffer as ArrayBuffer] : [])] : [reply.buf];
    port.postMessage(reply, moved);
  });
}
