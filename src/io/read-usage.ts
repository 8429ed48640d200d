import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
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
  open: (p: string) => Readable = (p) => (p === '-' ? process.stdin : createReadStream(p, { highWaterMark: 1 << 20 })),
): Promise<InputResult> {
  const hash = createHash('sha256');
  let bytes = 0;
  let prevLines = 0;
  let prevEmpty = 0;
  let headerSeen = false;
  let failure: DataError | null = null;
  const fail = (line: number, message: string): void => {
    failure ??= new DataError(`${path}:${line}: ${message}`);
  };
  const parser = parse({
    ...csvOptions(),
    on_record: (record: string[], ctx: { lines: number; empty_lines: number }) => {
      if (failure) return null;
      const line = prevLines + (ctx.empty_lines - prevEmpty) + 1;
      prevLines = ctx.lines;
      prevEmpty = ctx.empty_lines;
      if (!headerSeen) {
        headerSeen = true;
        const problems = sink.header(input, record, line);
        if (problems.length > 0) {
          failure = new DataError(
            `${path}: the header cannot be used`,
            problems.map((p) => (p.column > 0 ? `${path}:${line}:${p.column}: ${p.message}` : `${path}:${line}: ${p.message}`)),
          );
        }
        return null;
      }
      sink.row(input, line, record);
      return null;
    },
  });
  parser.on('error', (e: Error & { lines?: number; code?: string }) => {
    fail(e.lines ?? prevLines + 1, `not a readable CSV file: ${e.message}`);
  });
  parser.resume();

  const stream = open(path);
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
        fail(prevLines + 1 + countNewlines(whole, firstInvalidUtf8(whole)), 'not valid UTF-8 (save the export as UTF-8)');
      }
      if (failure) break;
      parser.write(whole);
      if (failure) break;
    }
    if (!failure && carry) fail(prevLines + 1, 'not valid UTF-8: the file ends inside a character');
    if (!failure) await new Promise<void>((resolve) => parser.end(resolve));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw e;
    fail(prevLines + 1, `cannot be read: ${(e as Error).message}`);
  } finally {
    if (path !== '-') stream.destroy();
  }
  if (failure) throw failure;
  if (!headerSeen) throw new DataError(`${path}:1: empty file: a header row is required (SPEC §2)`);
  return { sha256: hash.digest('hex'), bytes };
}

/** Length of the longest prefix that does not end inside a UTF-8 sequence. */
export function completeUtf8Length(b: Buffer): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

export function firstInvalidUtf8(b: Buffer): number {
  let lo = 0, hi = b.length;
  // isUtf8 of a prefix can fail only at or after the first bad byte
  while (hi - lo > 4) {
    const mid = (lo + hi) >> 1;
    if (isUtf8(b.subarray(0, completeUtf8Length(b.subarray(0, mid))))) lo = mid;
    else hi = mid;
  }
  return lo;
}

export function countNewlines(b: Buffer, end: number): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}
