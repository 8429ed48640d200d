import { Parser as CsvParser } from 'csv-parse';
import type { RecordCallback } from './csv-scanner';
import { NewlineIndex } from './newline-index';
import { CsvScanner } from './csv-scanner';

/** A longer record is not a contact-centre export: stop instead of buffering it whole. */
export const MAX_RECORD_CHARS = 1_048_576;

/** The field delimiters callbill reads (docs/reference.md §2): comma, semicolon, tab. */
export type Delimiter = ',' | ';' | '\t';

export function csvOptions(delimiter: Delimiter = ',') {
  return {
    bom: true,
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    // a file may mix CRLF and LF; csv-parse would otherwise keep the first one it sees
    record_delimiter: ['\r\n', '\n'],
    max_record_size: MAX_RECORD_CHARS,
  };
}

/** A CSV-level problem: the input cannot be read as CSV from this line on. */
export interface CsvProblem {
  line: number;
  message: string;
}

/** csv-parse's synchronous core (what its stream and its sync API both drive). */
interface CsvParseApi {
  parse(buf: Buffer | undefined, end: boolean, push: (r: unknown) => void, close: () => void): (Error & { lines?: number }) | undefined;
}

const NOTHING = (): void => {};

/**
 * The records of one input, in order, with their first lines: the fast scanner
 * while it can decide, then csv-parse from the record where it could not (an
 * error, an unclosed quote, a record near the size limit). csv-parse is then fed
 * as many empty lines as precede that record, so that its line numbers, in records
 * and in error messages, are those of the file (empty lines are skipped, and only
 * counted). Input must be whole UTF-8 characters, in order.
 */
export class RecordReader {
  /** Set when the input is not CSV; no record is passed on after it. */
  problem: CsvProblem | null = null;
  private readonly scanner: CsvScanner;
  private api: CsvParseApi | null = null;
  /** What onRecord threw inside csv-parse, which catches it. */
  private thrown: { e: unknown } | null = null;
  private prevEnd = 0;
  private prevEmpty = 0;
  private readonly newlines = new NewlineIndex();

  /**
   * `line`: start at a record boundary on this line, inside the input (the rest of a file).
   * `ltrim`: blanks before a field are dropped (an import profile's `csv.ltrim`): csv-parse reads it all.
   * `delimiter`: the field delimiter, for the scanner and csv-parse alike.
   */
  constructor(
    private readonly onRecord: RecordCallback,
    line?: number,
    ltrim = false,
    private readonly delimiter: Delimiter = ',',
  ) {
    this.scanner = line === undefined ? new CsvScanner(MAX_RECORD_CHARS, 1, false, delimiter) : new CsvScanner(MAX_RECORD_CHARS, line, true, delimiter);
    if (ltrim) this.startParser(true);
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

  /** Line of the next record the reader would pass on (for problems found outside CSV, e.g. encoding). */
  get line(): number {
    return this.api ? this.lineAt(this.prevEmpty) : this.scanner.line;
  }

  private handOver(): void {
    const stop = this.scanner.stop!;
    this.startParser(false);
    const text = Buffer.from(stop.text, 'utf8');
    const lead = stop.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(stop.line - 1, 10);
    this.fallback(Buffer.concat([lead, text]), false);
  }

  private startParser(ltrim: boolean): void {
    const parser = new CsvParser({
      ...csvOptions(this.delimiter),
      ltrim,
      on_record: (record: string[], ctx: { bytes: number; empty_lines: number }) => {
        // physical lines (LFs) from byte offsets: csv-parse's own count drifts after a CRLF in quotes
        const line = this.lineAt(ctx.empty_lines);
        this.prevEnd = ctx.bytes;
        this.prevEmpty = ctx.empty_lines;
        try {
          this.onRecord(line, record);
        } catch (e) {
          // csv-parse would turn it into a parse error: keep it, and throw it as it is below
          this.thrown = { e };
          throw e;
        }
        return null;
      },
    });
    this.api = (parser as unknown as { api: CsvParseApi }).api;
  }

  /** The line of a record starting after the previous one and `emptyLines` skipped lines. */
  private lineAt(emptyLines: number): number {
    return 1 + this.newlines.before(this.prevEnd) + (emptyLines - this.prevEmpty);
  }

  private fallback(buf: Buffer | undefined, end: boolean): void {
    if (buf) this.newlines.push(buf);
    const err = this.api!.parse(buf, end, NOTHING, NOTHING) as (Error & { bytes_records?: number; empty_lines?: number }) | undefined;
    if (this.thrown) throw this.thrown.e;
    if (err) {
      if (typeof err.bytes_records === 'number') this.prevEnd = Math.max(this.prevEnd, err.bytes_records);
      // csv-parse's own "at line N" counts lines its way: the location is ours
      this.problem = { line: this.lineAt(err.empty_lines ?? this.prevEmpty), message: err.message.replace(/ (at|on) line \d+/g, '') };
    }
  }
}
