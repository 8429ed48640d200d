import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { DataError } from '../errors';
import { RecordReader } from './record-reader';
import { delimiterName, delimiterWords, detectDelimiter } from './delimiter';
import type { Delimiter } from './delimiter';

/** A delimiter as typed in a shell: `';'` quoted, `tab` and `,` as they are. */
function quoteDelimiter(d: Delimiter): string {
  return d === ';' ? "';'" : delimiterName(d);
}
import { completeUtf8Length, countNewlines, firstInvalidUtf8 } from './utf8';

// the parallel fold reads pieces of a file with the same check
export { completeUtf8Length };


/** What the reader hands on, per file: its header, then each record with its first line. */
export interface RowSink {
  /** Returns problems that make the file unreadable (a missing required column…). */
  header(input: number, fields: string[], line: number, delimiter: Delimiter): Array<{ column: number; message: string }>;
  row(input: number, line: number, fields: string[]): void;
  /**
   * Given, takes the common rows as lines instead of `row` (one line, no quotes: its
   * fields are `s.slice(start, end).split(delimiter)`; csv-scanner.ts LineCallback).
   */
  line?(input: number, line: number, s: string, start: number, end: number): void;
}

export interface InputResult {
  sha256: string;
  bytes: number;
}

export interface ReadOptions {
  /** Called with the size of each piece read (the progress bar). */
  onBytes?: (n: number) => void;
  open?: (p: string) => Readable;
  /** Every byte read is also given here, in order (standard input is kept for a second pass). */
  tee?: (chunk: Buffer) => void;
  /** The file's name in messages (default: its path; verify replays under the recorded names). */
  name?: string;
  /** The field delimiter (--delimiter); null or absent: found from the header line (delimiter.ts). */
  delimiter?: Delimiter | null;
}

/** The DataError of a header that cannot be used (SPEC §2: the required columns). */
function headerError(name: string, line: number, problems: Array<{ column: number; message: string }>): DataError {
  return new DataError(
    `${name}: the header cannot be used`,
    problems.map((p) => (p.column > 0 ? `${name}:${line}:${p.column}: ${p.message}` : `${name}:${line}: ${p.message}`)),
  );
}

/** The DataError of input that is not CSV, at the line of the record that is not. */
export function csvError(name: string, problem: { line: number; message: string }): DataError {
  return new DataError(`${name}:${problem.line}: not a readable CSV file: ${problem.message}`);
}

/**
 * Checks the encoding of a file as it passes, piece by piece, and hashes it (the
 * control figures' SHA-256). Hands on the part of each piece that is whole UTF-8
 * characters; at the first byte that is not UTF-8 it hands on what precedes it and
 * no more. The readers give that part to the CSV reader first: a CSV problem found
 * there comes earlier in the file and is the one reported; else the encoding is.
 * So what is reported does not depend on how the file was cut into pieces, nor on
 * --jobs. The encoding error's line is 1 + the LF bytes before the bad byte.
 */
export class InputCheck {
  readonly hash = createHash('sha256');
  bytes = 0;
  /** Offset of the first byte that is not UTF-8, or -1. */
  badAt = -1;
  /** The file ends inside a character. */
  truncated = false;
  private carry: Buffer | null = null;
  /** LF bytes seen so far, kept only when the input cannot be read twice (standard input). */
  lfCount: number | null;

  constructor(countLines: boolean) {
    this.lfCount = countLines ? 0 : null;
  }

  /** Takes a piece as read; returns its whole characters to parse (after a bad byte: those before it, then nothing). */
  take(raw: Buffer): Buffer {
    this.hash.update(raw);
    const start = this.bytes;
    this.bytes += raw.length;
    if (this.badAt >= 0) return EMPTY;
    const chunk: Buffer = this.carry ? Buffer.concat([this.carry, raw]) : raw;
    const chunkStart = start - (this.carry ? this.carry.length : 0);
    // keep an incomplete UTF-8 sequence at the end for the next piece
    const cut = completeUtf8Length(chunk);
    const whole = cut === chunk.length ? chunk : chunk.subarray(0, cut);
    this.carry = cut === chunk.length ? null : Buffer.from(chunk.subarray(cut));
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole);
      this.badAt = chunkStart + at;
      if (this.lfCount !== null) this.lfCount += countNewlines(whole, at);
      return whole.subarray(0, at);
    }
    if (this.lfCount !== null) this.lfCount += countNewlines(whole, whole.length);
    return whole;
  }

  get bad(): boolean {
    return this.badAt >= 0;
  }

  /** At the end of the input. */
  finish(): void {
    if (this.badAt < 0 && this.carry) {
      this.truncated = true;
      this.badAt = this.bytes - this.carry.length;
    }
  }

  /** The encoding problem, if any, as the DataError to report. `path` is re-read to count lines unless they were counted. */
  problem(path: string, name = path): DataError | null {
    if (this.badAt < 0) return null;
    const line = 1 + (this.lfCount ?? countLfInFile(path, this.badAt));
    return new DataError(`${name}:${line}: ${this.truncated ? 'not valid UTF-8: the file ends inside a character' : 'not valid UTF-8 (save the export as UTF-8)'}`);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

const EMPTY = Buffer.alloc(0);

export function openUsage(p: string): Readable {
  return p === '-' ? process.stdin : createReadStream(p, { highWaterMark: 1 << 20 });
}

/** Called with each record and its first line; a DataError returned stops reading and is the file's problem. */
export type RecordSink = (line: number, fields: string[], delimiter: Delimiter) => DataError | undefined | void;

/** A common record as a line (see RowSink.line); the same as RecordSink otherwise. */
type LineSink = (line: number, s: string, start: number, end: number, delimiter: Delimiter) => DataError | undefined | void;

/**
 * Streams one input (or stdin for `-`) record by record into `onRecord`, never
 * holding the file: the one read loop of usage files and platform exports. The
 * first file-level problem by position (not CSV, not UTF-8, or what `onRecord`
 * returns) is a DataError naming name:line, and reading stops there. `tee` sees
 * every byte read, in order (standard input is kept for a second pass). What
 * `onRecord` throws is thrown as it is.
 */
export async function readRecords(path: string, onRecord: RecordSink, opts: ReadOptions & { ltrim?: boolean; onLine?: LineSink } = {}): Promise<InputResult & { records: number }> {
  const name = opts.name ?? path;
  const { onBytes, tee, onLine } = opts;
  const open = opts.open ?? openUsage;
  // lines of an encoding error are counted as the bytes pass only when they cannot be read again
  const check = new InputCheck(path === '-' || opts.open !== undefined);
  let records = 0;
  let failure: DataError | null = null;
  let thrown: unknown = undefined;
  const reader = new RecordReader(
    (line, fields) => {
      if (failure) return;
      records++;
      try {
        failure = onRecord(line, fields, reader.delimiter ?? ',') ?? null;
      } catch (e) {
        thrown = e;
        throw e;
      }
    },
    undefined,
    opts.ltrim ?? false,
    opts.delimiter ?? null,
    onLine === undefined
      ? undefined
      : (line, s, start, end) => {
          if (failure) return;
          records++;
          try {
            failure = onLine(line, s, start, end, reader.delimiter ?? ',') ?? null;
          } catch (e) {
            thrown = e;
            throw e;
          }
        },
  );
  const stream = open(path);
  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      onBytes?.(raw.length);
      tee?.(raw);
      const whole = check.take(raw);
      if (whole.length > 0) reader.write(whole);
      // a record over the size limit, or a byte that is not UTF-8: stop now; the first of them in the file is reported
      if (failure || reader.problem || check.bad) break;
    }
    if (!failure && !reader.problem && !check.bad) {
      check.finish();
      if (!check.bad) reader.end();
    }
  } catch (e) {
    if (e === thrown || (e as NodeJS.ErrnoException).code) throw e;
    failure ??= new DataError(`${name}:${reader.line}: cannot be read: ${(e as Error).message}`);
  } finally {
    if (path !== '-') stream.destroy();
  }
  if (failure) throw failure;
  if (reader.problem) throw csvError(name, reader.problem);
  const bad = check.problem(path, name);
  if (bad) throw bad;
  return { sha256: check.sha256(), bytes: check.bytes, records };
}

/** A usage file (SPEC §2): its header, checked by the sink, then its rows. */
export async function readUsageInput(path: string, input: number, sink: RowSink, opts: ReadOptions = {}): Promise<InputResult> {
  const name = opts.name ?? path;
  let headerSeen = false;
  const onRecord: RecordSink = (line, fields, delimiter) => {
    if (!headerSeen) {
      headerSeen = true;
      const problems = sink.header(input, fields, line, delimiter);
      if (problems.length > 0 && fields.length === 1) {
        // one column: the file is separated by another delimiter than the one forced (--delimiter)
        const other = detectDelimiter(fields[0]!);
        if (other.ok && other.delimiter !== delimiter) {
          // instead of a missing column per column
          problems.length = 0;
          problems.push({ column: 0, message: `the header is separated by ${delimiterWords(other.delimiter)}, not by ${delimiterWords(delimiter)}: give --delimiter ${quoteDelimiter(other.delimiter)}, or leave --delimiter out to find it from the header (docs/reference.md §2.5)` });
        }
      }
      return problems.length > 0 ? headerError(name, line, problems) : undefined;
    }
    sink.row(input, line, fields);
    return undefined;
  };
  const onLine: LineSink | undefined =
    sink.line === undefined
      ? undefined
      : (line, s, start, end, delimiter) => {
          if (!headerSeen) return onRecord(line, s.slice(start, end).split(delimiter), delimiter);
          sink.line!(input, line, s, start, end);
          return undefined;
        };
  const r = await readRecords(path, onRecord, { ...opts, onLine });
  if (!headerSeen) throw new DataError(`${name}:1: empty file: a header row is required (docs/reference.md §2)`);
  return { sha256: r.sha256, bytes: r.bytes };
}

/** LF bytes in the first `end` bytes of a file (only for the line of an encoding error). */
function countLfInFile(path: string, end: number): number {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.allocUnsafe(1 << 20);
    let n = 0;
    let pos = 0;
    while (pos < end) {
      const got = readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (got <= 0) break;
      n += countNewlines(buf, got);
      pos += got;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}
