import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { completeUtf8Length, countNewlines, firstInvalidUtf8 } from './utf8';

// the import-profile reader (read-profiled.ts) shares these
export { completeUtf8Length, countNewlines, firstInvalidUtf8 };
import type { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { DataError } from '../errors';

/** What the reader hands on, per file: its header, then each record with its first line. */
export interface RowSink {
  /** Returns problems that make the file unreadable (a missing required column…). */
  header(input: number, fields: string[], line: number): Array<{ column: number; message: string }>;
  row(input: number, line: number, fields: string[]): void;
}

export interface InputResult {
  sha256: string;
  bytes: number;
}

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

/**
 * Streams one usage file (or stdin for `-`) through csv-parse into the sink, hashing
 * the bytes as they pass (the control figures' SHA-256). Never holds the file.
 * A file-level problem (not CSV, not UTF-8, missing columns) is a DataError naming
 * file:line.
 */
export async function readUsageInput(
  path: string,
  input: number,
  sink: RowSink,
  onBytes?: (n: number) => void,
  open?: (p: string) => Readable,
  /** The file's name in messages (default: its path). */
  name: string = path,
): Promise<InputResult> {
  const openFile = open ?? ((p: string) => (p === '-' ? process.stdin : createReadStream(p, { highWaterMark: 1 << 20 })));
  const hash = createHash('sha256');
  let bytes = 0;
  // Line numbers are counted here, as \n in the bytes fed to the parser: csv-parse counts a
  // lone CR as a line and a CRLF inside a quoted field as two, so its numbers drift after
  // every multi-line cell of a Windows export (and `sed -n Np` would show another row).
  const newlines = new NewlineIndex();
  let prevEnd = 0;
  let prevEmpty = 0;
  let headerSeen = false;
  let failure: DataError | null = null;
  const fail = (line: number, message: string): void => {
    failure ??= new DataError(`${name}:${line}: ${message}`);
  };
  // the physical line on which a record starts: after the previous record's end and the empty lines skipped since
  const startLine = (emptyLines: number): number => 1 + newlines.before(prevEnd) + (emptyLines - prevEmpty);
  const parser = parse({
    ...csvOptions(),
    on_record: (record: string[], ctx: { bytes: number; empty_lines: number }) => {
      if (failure) return null;
      const line = startLine(ctx.empty_lines);
      prevEnd = ctx.bytes;
      prevEmpty = ctx.empty_lines;
      if (!headerSeen) {
        headerSeen = true;
        const problems = sink.header(input, record, line);
        if (problems.length > 0) {
          failure = new DataError(
            `${name}: the header cannot be used`,
            problems.map((p) => (p.column > 0 ? `${name}:${line}:${p.column}: ${p.message}` : `${name}:${line}: ${p.message}`)),
          );
        }
        return null;
      }
      sink.row(input, line, record);
      return null;
    },
  });
  parser.on('error', (e: Error & { bytes_records?: number; empty_lines?: number }) => {
    if (typeof e.bytes_records === 'number') prevEnd = Math.max(prevEnd, e.bytes_records);
    // csv-parse's own "at line N" counts lines its way: the location is ours
    fail(startLine(e.empty_lines ?? prevEmpty), `not a readable CSV file: ${e.message.replace(/ (at|on) line \d+/g, '')}`);
  });
  parser.resume();

  const stream = openFile(path);
  let carry: Buffer | null = null;
  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      const chunk: Buffer = carry ? Buffer.concat([carry, raw]) : raw;
      hash.update(raw);
      bytes += raw.length;
      onBytes?.(raw.length);
      // keep an incomplete UTF-8 sequence at the end for the next chunk
      const cut = completeUtf8Length(chunk);
      const whole = cut === chunk.length ? chunk : chunk.subarray(0, cut);
      carry = cut === chunk.length ? null : Buffer.from(chunk.subarray(cut));
      if (!isUtf8(whole)) {
        fail(1 + newlines.fed + countNewlines(whole, firstInvalidUtf8(whole)), 'not valid UTF-8 (save the export as UTF-8)');
      }
      if (failure) break;
      newlines.push(whole);
      parser.write(whole);
      // csv-parse fails inside write() but emits 'error' only on the next tick: without
      // this check a 100 MB line past the 1 MiB cap was read (and kept) to the end
      if (failure || parser.errored) break;
    }
    if (parser.errored && !failure) await new Promise<void>((resolve) => setImmediate(resolve));
    if (!failure && carry) fail(1 + newlines.fed, 'not valid UTF-8: the file ends inside a character');
    if (!failure) await new Promise<void>((resolve) => parser.end(resolve));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw e;
    fail(1 + newlines.fed, `cannot be read: ${(e as Error).message}`);
  } finally {
    if (path !== '-') stream.destroy();
  }
  if (failure) throw failure;
  if (!headerSeen) throw new DataError(`${name}:1: empty file: a header row is required (SPEC §2)`);
  return { sha256: hash.digest('hex'), bytes };
}

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
