import { Parser as CsvParser } from 'csv-parse';
import type { LineCallback, RecordCallback } from './csv-scanner';
import { NewlineIndex } from './newline-index';
import { CsvScanner } from './csv-scanner';
import { forEachTextPiece } from './utf8';
import { detectDelimiter, firstLineEnd } from './delimiter';
import type { Delimiter } from './delimiter';

export type { Delimiter } from './delimiter';

/** A longer record is not a contact-centre export: stop instead of buffering it whole. */
export const MAX_RECORD_CHARS = 1_048_576;

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
  private scanner: CsvScanner | null = null;
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
   * `onLine`: takes the scanner's common records as lines (csv-scanner.ts LineCallback).
   */
  constructor(
    private readonly onRecord: RecordCallback,
    private readonly startLine?: number,
    private readonly ltrim = false,
    delimiter: Delimiter | null = ',',
    private readonly onLine?: LineCallback,
  ) {
    this.delimiter = delimiter;
    if (delimiter !== null) this.start(delimiter);
  }

  /**
   * The field delimiter: as given, or, given null, found from the first line
   * (null until that line has been read whole; delimiter.ts).
   */
  delimiter: Delimiter | null;
  /** The text read before the first line was whole (only while the delimiter is being found). */
  private waiting: Buffer[] = [];
  private waitingChars = 0;

  private start(delimiter: Delimiter): void {
    this.delimiter = delimiter;
    const line = this.startLine;
    this.scanner = line === undefined ? new CsvScanner(MAX_RECORD_CHARS, 1, false, delimiter) : new CsvScanner(MAX_RECORD_CHARS, line, true, delimiter);
    if (this.ltrim) this.startParser(true);
  }

  /** Finds the delimiter from the first line once it is whole (or the input ends); false while waiting or on a problem. */
  private detect(chunk: Buffer | null): boolean {
    if (chunk) {
      this.waiting.push(chunk);
      this.waitingChars += chunk.length;
    }
    const all = Buffer.concat(this.waiting);
    const text = all.toString('utf8');
    // a first line longer than a record may be is not waited for: found from what there is
    if (chunk && firstLineEnd(text) < 0 && this.waitingChars <= MAX_RECORD_CHARS) return false;
    this.waiting = [];
    if (text.replace(/^\uFEFF/, '').trim() === '') {
      this.start(','); // an empty input: the reader's callers say so
    } else {
      const found = detectDelimiter(text);
      if (!found.ok) {
        this.problem = { line: 1 + leadingLines(text), message: found.message };
        return false;
      }
      this.start(found.delimiter);
    }
    this.feed(all);
    return true;
  }

  /** Reads the next piece. */
  write(chunk: Buffer): void {
    if (this.problem) return;
    if (!this.scanner && !this.api) {
      this.detect(chunk);
      return;
    }
    this.feed(chunk);
  }

  private feed(chunk: Buffer): void {
    if (this.problem) return;
    if (this.api) {
      this.fallback(chunk, false);
      return;
    }
    // in pieces cut at line ends, small enough for V8's young generation, where they are freed
    // by the cheap collections (a text of a megabyte goes to the large-object space instead)
    const refused = forEachTextPiece(chunk, (text) => this.scanner!.feed(text, false, this.onRecord, Infinity, this.onLine));
    if (refused >= 0) {
      this.handOver();
      // csv-parse reads on from the record where the scanner stopped, through the rest of the chunk
      if (refused < chunk.length && !this.problem) this.fallback(chunk.subarray(refused), false);
    }
  }

  /** The input is complete. */
  end(): void {
    if (this.problem) return;
    if (!this.scanner && !this.api && !this.detect(null)) return;
    if (!this.api && !this.scanner!.feed('', true, this.onRecord, Infinity, this.onLine)) this.handOver();
    if (this.api) this.fallback(undefined, true);
  }

  /** csv-parse has taken over (the scanner could not decide at some record). */
  get handedOver(): boolean {
    return this.api !== null;
  }

  /** Line of the next record the reader would pass on (for problems found outside CSV, e.g. encoding). */
  get line(): number {
    return this.api ? this.lineAt(this.prevEmpty) : (this.scanner?.line ?? this.startLine ?? 1);
  }

  private handOver(): void {
    const stop = this.scanner!.stop!;
    this.startParser(false);
    const text = Buffer.from(stop.text, 'utf8');
    const lead = stop.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(stop.line - 1, 10);
    this.fallback(Buffer.concat([lead, text]), false);
  }

  private startParser(ltrim: boolean): void {
    const parser = new CsvParser({
      ...csvOptions(this.delimiter ?? ','),
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

/** Empty lines (LFs) before the first line with something on it. */
function leadingLines(text: string): number {
  let n = 0;
  for (let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) n++;
    else if (c !== 13) break;
  }
  return n;
}
