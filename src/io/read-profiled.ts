import type { Readable } from 'node:stream';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { parse } from 'csv-parse';
import { DataError } from '../errors';
import { applyProfile, recordMapper } from '../import';
import type { ImportProfile, MappedRecord, RawRecord } from '../import';
import { csvOptions, InputCheck, NewlineIndex, openUsage } from './read-usage';
import { RecordReader } from './record-reader';
import { completeUtf8Length, countNewlines, firstInvalidUtf8 } from './utf8';
import type { InputResult } from './read-usage';

/**
 * Reads one platform export (issue #8) through an import profile: the file's raw
 * records (with the line each starts on) go through `applyProfile`, which yields rows
 * in the SPEC §2 columns. Bytes are hashed and checked as UTF-8 like a usage file.
 * Single-threaded: a profile may buffer rows (Connect's de-duplication).
 */
export async function readProfiledInput(
  path: string,
  profile: ImportProfile,
  onMapped: (m: MappedRecord) => void,
  onHeader: (fields: string[]) => void,
  onBytes?: (n: number) => void,
  /** Opens the input (default: the file, or stdin for `-`); explain replays stdin from memory. */
  open?: (path: string) => Readable,
  /** The file's name in messages (default: its path). */
  name: string = path,
): Promise<InputResult> {
  const map = recordMapper(profile);
  // the common case (no de-duplication, plain RFC 4180): the fast reader of usage files
  if (map && !profile.csv.ltrim) return readMapped(path, profile, map, onMapped, onHeader, onBytes, open, name);
  const hash = createHash('sha256');
  let bytes = 0;
  const batches = rawBatches(path, profile, hash, (n) => {
    bytes += n;
    onBytes?.(n);
  }, onHeader, open, name);
  if (map) {
    // no de-duplication: map each record as it comes, without a promise per record
    for await (const batch of batches) {
      for (const rec of batch) {
        const m = map(rec);
        if (m) onMapped(m);
      }
    }
  } else {
    for await (const m of applyProfile(profile, flatten(batches))) onMapped(m);
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Reads with the usage files' scanner and maps each record in its callback: no promise per record. */
async function readMapped(
  path: string,
  profile: ImportProfile,
  map: (rec: RawRecord) => MappedRecord | null,
  onMapped: (m: MappedRecord) => void,
  onHeader: (fields: string[]) => void,
  onBytes: ((n: number) => void) | undefined,
  open: ((path: string) => Readable) | undefined,
  name: string,
): Promise<InputResult> {
  const check = new InputCheck(path === '-' || open !== undefined);
  let first = true;
  const reader = new RecordReader((line, fields) => {
    if (first) {
      first = false;
      onHeader(profile.hasHeader ? fields : [...profile.columnNames]);
    }
    const m = map({ fields, line });
    if (m) onMapped(m);
  });
  const stream = (open ?? openUsage)(path);
  try {
    for await (const raw of stream as AsyncIterable<Buffer>) {
      onBytes?.(raw.length);
      const whole = check.take(raw);
      if (whole.length > 0 && !reader.problem) reader.write(whole);
      // a record over the size limit, or a byte that is not UTF-8: stop now; the first of them in the file is reported
      if (reader.problem || check.bad) break;
    }
    if (!reader.problem && !check.bad) {
      check.finish();
      if (!check.bad) reader.end();
    }
  } finally {
    if (path !== '-') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  if (reader.problem) throw new DataError(`${name}:${reader.problem.line}: not a readable CSV file: ${reader.problem.message}`);
  const bad = check.problem(path, name);
  if (bad) throw bad;
  if (first && profile.hasHeader) throw new DataError(`${name}:1: empty file: a header row is required`);
  return { sha256: check.sha256(), bytes: check.bytes };
}

async function* flatten(batches: AsyncIterable<RawRecord[]>): AsyncGenerator<RawRecord> {
  for await (const b of batches) yield* b;
}

/** The file's raw records, a chunk's worth at a time. */
async function* rawBatches(
  path: string,
  profile: ImportProfile,
  hash: ReturnType<typeof createHash>,
  onBytes: (n: number) => void,
  onHeader: (fields: string[]) => void,
  open: ((path: string) => Readable) | undefined,
  name: string,
): AsyncGenerator<RawRecord[]> {
  // lines are counted as in read-usage.ts: csv-parse's own count drifts after a CRLF in a quoted cell
  const newlines = new NewlineIndex();
  let prevEnd = 0;
  let prevEmpty = 0;
  const startLine = (emptyLines: number): number => 1 + newlines.before(prevEnd) + (emptyLines - prevEmpty);
  let first = true;
  let batch: RawRecord[] = [];
  let failure: DataError | null = null;
  const parser = parse({
    ...csvOptions(),
    ltrim: profile.csv.ltrim,
    on_record: (record: string[], ctx: { bytes: number; empty_lines: number }) => {
      const line = startLine(ctx.empty_lines);
      prevEnd = ctx.bytes;
      prevEmpty = ctx.empty_lines;
      if (first) {
        first = false;
        onHeader(profile.hasHeader ? record : [...profile.columnNames]);
      }
      batch.push({ fields: record, line });
      return null;
    },
  });
  parser.on('error', (e: Error & { bytes_records?: number; empty_lines?: number }) => {
    if (typeof e.bytes_records === 'number') prevEnd = Math.max(prevEnd, e.bytes_records);
    failure ??= new DataError(`${name}:${startLine(e.empty_lines ?? prevEmpty)}: not a readable CSV file: ${e.message.replace(/ (at|on) line \d+/g, '')}`);
  });
  parser.resume();
  const stream = open ? open(path) : path === '-' ? process.stdin : createReadStream(path, { highWaterMark: 1 << 20 });
  let carry: Buffer | null = null;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      onBytes(chunk.length);
      const all: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
      const cut = completeUtf8Length(all);
      const whole = all.subarray(0, cut);
      carry = cut === all.length ? null : Buffer.from(all.subarray(cut));
      if (!isUtf8(whole)) {
        throw new DataError(`${name}:${1 + newlines.fed + countNewlines(whole, firstInvalidUtf8(whole))}: not valid UTF-8 (save the export as UTF-8)`);
      }
      newlines.push(whole);
      parser.write(whole);
      // csv-parse reports its error a tick late: stop reading now (a 100 MB line would be read to its end)
      if (!failure && parser.errored) await new Promise<void>((r) => setImmediate(r));
      if (failure) throw failure;
      if (batch.length > 0) {
        yield batch;
        batch = [];
      }
    }
    if (carry) throw new DataError(`${name}:${1 + newlines.fed}: not valid UTF-8: the file ends inside a character`);
    await new Promise<void>((resolve) => parser.end(resolve));
    if (failure) throw failure;
    if (batch.length > 0) yield batch;
  } finally {
    if (path !== '-') (stream as ReturnType<typeof createReadStream>).destroy();
  }
  if (first && profile.hasHeader) throw new DataError(`${name}:1: empty file: a header row is required`);
}
