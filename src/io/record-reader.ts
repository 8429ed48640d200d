import type { Parser } from 'csv-parse';
import type { RecordCallback } from './csv-scanner';
import { CsvScanner } from './csv-scanner';
import { countNewlines } from './utf8';

/** A longer record is not a contact-centre export: stop instead of buffering it whole. */
export const MAX_RECORD_CHARS = 1_048_576;

export function csvOptions() {
  return {
    bom: true,
    relax_column_count: true,
    skip_empty_lines: true,
    // a file may mix CRLF and LF; csv-parse would otherwise keep the first one it sees
    record_delimiter: ['\r\n', '\n'],
    max_record_size: MAX_RECORD_CHARS,
  };
}

/** A CSV-level problem: the input cannot be read as CSV from the record on this line. */
export interface CsvProblem {
  line: number;
  /** csv-parse's words, without its own "at line N" (it counts lines its own way). */
  message: string;
}

/** csv-parse's synchronous core (what its stream and its sync API both drive). */
interface CsvParseApi {
  parse(buf: Buffer | undefined, end: boolean, push: (r: unknown) => void, close: () => void): (Error & { empty_lines?: number }) | undefined;
}

const NOTHING = (): void => {};

/**
 * The records of one input, in order, with the line each starts on: the fast
 * scanner while it can decide, then csv-parse from the record where it could not
 * (an error, an unclosed quote, a record near the size limit).
 *
 * Lines are physical: 1 + the LF bytes before the record (what `grep -n` and
 * `sed -n Np` show). csv-parse counts a lone CR as a line and a CRLF inside a
 * quoted field as two, so its own numbers drift after every multi-line cell of a
 * Windows export: once it has taken over, a record's line is worked out from the
 * byte offset csv-parse reports (`info.bytes`) and the LFs of the bytes fed to it,
 * and "at line N" is taken out of its messages. Input must be whole UTF-8
 * characters, in order.
 */
export class RecordReader {
  /** Set when the input is not CSV; no record is passed on after it. */
  problem: CsvProblem | null = null;
  private readonly scanner: CsvScanner;
  private api: CsvParseApi | null = null;
  /** Since csv-parse took over: the line it started on, the LFs fed to it, where the last record ended. */
  private baseLine = 1;
  private readonly newlines = new NewlineIndex();
  private prevEnd = 0;
  private prevEmpty = 0;

  /** `line`: start at a record boundary on this line, inside the input (the rest of a file). */
  constructor(private readonly onRecord: RecordCallback, line?: number) {
    this.scanner = line === undefined ? new CsvScanner(MAX_RECORD_CHARS) : new CsvScanner(MAX_RECORD_CHARS, line, true);
  }

  /** Reads the next piece. */
  write(chunk: Buffer): void {
    if (this.problem) return;
    if (this.api) {
      this.fallback(chunk, false);
      return;
    }
    if (!this.scanner.feed(chunk.toString('utf8'), false, this.onRecord)) this.handOver();
  }

  /** The input is complete. */
  end(): void {
    if (this.problem) return;
    if (!this.api && !this.scanner.feed('', true, this.onRecord)) this.handOver();
    if (this.api) this.fallback(undefined, true);
  }

  /** csv-parse has taken over (the scanner could not decide at some record). */
  get handedOver(): boolean {
    return this.api !== null;
  }

  /** Line of the next record the reader would pass on (for problems found outside CSV). */
  get line(): number {
    return this.api ? this.startLine(this.prevEmpty) : this.scanner.line;
  }

  private startLine(emptyLines: number): number {
    return this.baseLine + this.newlines.before(this.prevEnd) + (emptyLines - this.prevEmpty);
  }

  private handOver(): void {
    const stop = this.scanner.stop!;
    // loaded only for the rare input the scanner leaves to it: start-up stays light
    const { Parser: CsvParser } = require('csv-parse') as { Parser: typeof Parser };
    const parser = new CsvParser({
      ...csvOptions(),
      // it starts at a record inside the input, where a byte-order mark is data
      bom: stop.bom,
      on_record: (record: string[], ctx: { bytes: number; empty_lines: number }) => {
        const line = this.startLine(ctx.empty_lines);
        this.prevEnd = ctx.bytes;
        this.prevEmpty = ctx.empty_lines;
        this.onRecord(line, record);
        return null;
      },
    });
    this.api = (parser as unknown as { api: CsvParseApi }).api;
    this.baseLine = stop.line;
    const text = Buffer.from(stop.text, 'utf8');
    this.fallback(stop.bom ? Buffer.concat([BOM, text]) : text, false);
  }

  private fallback(buf: Buffer | undefined, end: boolean): void {
    if (buf) this.newlines.push(buf);
    const err = this.api!.parse(buf, end, NOTHING, NOTHING);
    if (err) {
      this.problem = { line: this.startLine(err.empty_lines ?? this.prevEmpty), message: err.message.replace(/ (at|on) line \d+/g, '') };
    }
  }
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Counts \n in a stream of chunks: `before(offset)` is the number of newlines in the
 * bytes before `offset`. Offsets asked for never decrease, so a cursor walks the chunks
 * once and drops the ones it has passed: linear time, and only the unread tail is kept.
 */
export class NewlineIndex {
  private readonly chunks: Buffer[] = [];
  /** Absolute offset of chunks[0]. */
  private chunkStart = 0;
  private cursor = 0;
  private count = 0;
  /** Newlines in every byte pushed so far. */
  fed = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.fed += countNewlines(b, b.length);
  }

  before(offset: number): number {
    while (this.cursor < offset && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const stop = Math.min(offset - this.chunkStart, c.length);
      this.count += countNewlines(c.subarray(this.cursor - this.chunkStart, stop), stop - (this.cursor - this.chunkStart));
      this.cursor = this.chunkStart + stop;
      if (stop === c.length) {
        this.chunkStart += c.length;
        this.chunks.shift();
      }
    }
    return this.count;
  }
}
