import { createHash } from 'node:crypto';
import { closeSync, createReadStream, openSync, readSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import type { Readable } from 'node:stream';
import { DataError } from '../errors';
import { RecordReader } from './record-reader';
import { completeUtf8Length, countNewlines, firstInvalidUtf8 } from './utf8';

export { completeUtf8Length, countNewlines, firstInvalidUtf8 };

export { csvOptions, MAX_RECORD_CHARS } from './record-reader';

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

export interface ReadOptions {
  /** Called with the size of each piece read (the progress bar). */
  onBytes?: (n: number) => void;
  open?: (p: string) => Readable;
  /** Every byte read is also given here, in order (standard input is kept for a second pass). */
  tee?: (chunk: Buffer) => void;
  /** The file's name in messages (default: its path; verify replays under the recorded names). */
  name?: string;
}

/** The DataError of a header that cannot be used (SPEC §2: the required columns). */
export function headerError(path: string, line: number, problems: Array<{ column: number; message: string }>): DataError {
  return new DataError(
    `${path}: the header cannot be used`,
    problems.map((p) => (p.column > 0 ? `${path}:${line}:${p.column}: ${p.message}` : `${path}:${line}: ${p.message}`)),
  );
}

/**
 * Checks the encoding of a file as it passes, piece by piece, and hashes it (the
 * control figures' SHA-256). A file that is not UTF-8 is reported as such, at the
 * line of its first bad byte, whatever else is wrong with it: so the message does
 * not depend on how the file was cut into pieces, nor on --jobs.
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

  /** Takes a piece as read; returns the part made of whole UTF-8 characters to parse, or null once the input is known to be bad. */
  take(raw: Buffer): Buffer | null {
    this.hash.update(raw);
    const start = this.bytes;
    this.bytes += raw.length;
    if (this.badAt >= 0) return null;
    const chunk: Buffer = this.carry ? Buffer.concat([this.carry, raw]) : raw;
    const chunkStart = start - (this.carry ? this.carry.length : 0);
    // keep an incomplete UTF-8 sequence at the end for the next piece
    const cut = completeUtf8Length(chunk);
    const whole = cut === chunk.length ? chunk : chunk.subarray(0, cut);
    this.carry = cut === chunk.length ? null : Buffer.from(chunk.subarray(cut));
    if (!isUtf8(whole)) {
      const at = firstInvalidUtf8(whole);
      this.badAt = chunkStart + at;
      if (this.lfCount !== null) this.lfCount += countLf(whole, 0, at);
      return null;
    }
    if (this.lfCount !== null) this.lfCount += countLf(whole, 0, whole.length);
    return whole;
  }

  /** At the end of the input. */
  finish(): void {
    if (this.badAt < 0 && this.carry) {
      this.truncated = true;
      this.badAt = this.bytes - this.carry.length;
    }
  }

  /** The encoding problem, if any, as the DataError to report. `path` is re-read to count lines unless they were counted. */
  problem(path: string, name: string = path): DataError | null {
    if (this.badAt < 0) return null;
    const line = 1 + (this.lfCount ?? countLfInFile(path, this.badAt));
    return new DataError(`${name}:${line}: ${this.truncated ? 'not valid UTF-8: the file ends inside a character' : 'not valid UTF-8 (save the export as UTF-8)'}`);
  }

  sha256(): string {
    return this.hash.digest('hex');
  }
}

export function openUsage(p: string): Readable {
  return p === '-' ? process.stdin : createReadStream(p, { highWaterMark: 1 << 20 });
}

/**
 * Streams one usage file (or stdin for `-`) into the sink, never holding the file.
 * A file-level problem (not CSV, not UTF-8, missing columns) is a DataError naming
 * file:line; once one is found the rest is only checked for encoding.
 */
export async function readUsageInput(path: string, input: number, sink: RowSink, opts: ReadOptions = {}): Promise<InputResult> {
  const name = opts.name ?? path;
  // lines are counted as read when the input cannot be read again by its path
  const check = new InputCheck(path === '-' || opts.open !== undefined);
  let headerSeen = false;
  let failure: DataError | null = null;
  const reader = new RecordReader((line, fields) => {
    if (failure) return;
    if (!headerSeen) {
      headerSeen = true;
      const problems = sink.header(input, fields, line);
      if (problems.length > 0) failure = headerError(name, line, problems);
      return;
    }
    sink.row(input, line, fields);
  });
  const stream = (opts.open ?? openUsage)(path);
  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      opts.onBytes?.(raw.length);
      opts.tee?.(raw);
      const whole = check.take(raw);
      if (whole && !failure && !reader.problem) reader.write(whole);
      // a record over the size limit, or a bad header: stop now (a 100 MB line is not read to its end)
      if (failure || reader.problem) break;
    }
    check.finish();
    if (check.badAt < 0 && !failure && !reader.problem) reader.end();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code) throw e;
    failure ??= new DataError(`${name}:${reader.line}: cannot be read: ${(e as Error).message}`);
  } finally {
    if (path !== '-') stream.destroy();
  }
  const bad = check.problem(path, name);
  if (bad) throw bad;
  if (failure) throw failure;
  if (reader.problem) throw new DataError(`${name}:${reader.problem.line}: not a readable CSV file: ${reader.problem.message}`);
  if (!headerSeen) throw new DataError(`${name}:1: empty file: a header row is required (SPEC §2)`);
  return { sha256: check.sha256(), bytes: check.bytes };
}

/** LF bytes in [from, to) of a buffer. */
function countLf(b: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = b.indexOf(10, from); i >= 0 && i < to; i = b.indexOf(10, i + 1)) n++;
  return n;
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
      n += countLf(buf, 0, got);
      pos += got;
    }
    return n;
  } finally {
    closeSync(fd);
  }
}

export { NewlineIndex } from './newline-index';
