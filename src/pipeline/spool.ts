import { closeSync, createReadStream, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { fsErrorText, WriteError } from '../errors';

/**
 * Standard input as read, kept in a temporary file for a second reading.
 *
 * The file has no name while it is used: it is created in a private folder and the
 * folder is removed at once, so only the open descriptor reaches the bytes. A copy of
 * someone's usage therefore never outlives the run, whatever ends it (an interrupt, a
 * crash, `kill -9`): the system frees the space when the process goes.
 */
export class Spool {
  private constructor(private fd: number) {}

  /** `what` names the private folder while it exists (a moment). */
  static create(what: 'stdin' | 'stdout' | 'ledger' = 'stdin'): Spool | null {
    let dir: string | null = null;
    try {
      dir = mkdtempSync(join(tmpdir(), `callbill-${what}-`));
      const fd = openSync(join(dir, what === 'stdin' ? 'stdin.csv' : `${what}.txt`), 'w+', 0o600);
      return new Spool(fd);
    } catch {
      return null;
    } finally {
      if (dir !== null) rmSync(dir, { recursive: true, force: true });
    }
  }

  write(b: Buffer): void {
    let off = 0;
    while (off < b.length) off += writeSync(this.fd, b, off, b.length - off);
  }

  /** Copies the whole stream here before anything reads it (a reader that cannot keep a copy as it goes). */
  async fill(from: Readable): Promise<void> {
    for await (const chunk of from) this.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  }

  /** The bytes written so far, from the first; may be called again for another reading. */
  read(): Readable {
    return createReadStream('', { fd: this.fd, start: 0, autoClose: false, highWaterMark: 1 << 20 });
  }

  /** The bytes written so far, from the first, read on this thread in pieces of 1 MiB. */
  *readBack(): Generator<Buffer> {
    const buf = Buffer.allocUnsafe(1 << 20);
    for (let pos = 0; ; ) {
      const n = readSync(this.fd, buf, 0, buf.length, pos);
      if (n === 0) return;
      pos += n;
      yield buf.subarray(0, n);
    }
  }

  remove(): void {
    if (this.fd < 0) return;
    try {
      closeSync(this.fd);
    } catch {
      // already closed: nothing is left to free
    }
    this.fd = -1;
  }
}

/** Text kept in memory up to this many characters; past it, on disk. */
const IN_MEMORY_CHARS = 1 << 20;

/**
 * Standard output's text, held until the run has written its files (SPEC §6: nothing is
 * shown of a run that fails), and then handed out in pieces. A month of a million
 * customers is more text than memory should hold: past 1 M characters it goes to a
 * temporary file without a name (see Spool), and when none can be made it stays in memory.
 */
export class TextSpool {
  private held: string[] = [];
  private chars = 0;
  private file: Spool | null = null;
  private tried = false;

  /** `what` names the text in a message; `tag` the temporary folder while it exists. */
  constructor(private readonly what = "standard output's text", private readonly tag: 'stdout' | 'ledger' = 'stdout') {}

  write(text: string): void {
    this.held.push(text);
    this.chars += text.length;
    if (this.chars >= IN_MEMORY_CHARS && (this.file !== null || !this.tried)) this.spill();
  }

  private spill(): void {
    if (!this.tried) {
      this.tried = true;
      this.file = Spool.create(this.tag);
      if (this.file === null) return;
    }
    const buf = Buffer.from(this.held.join(''), 'utf8');
    this.held = [];
    this.chars = 0;
    try {
      this.file!.write(buf);
    } catch (e) {
      this.discard();
      throw new WriteError(`cannot keep ${this.what} in the temporary folder ${tmpdir()}: ${fsErrorText(e)}; nothing was written`);
    }
  }

  /** The text written, in order, in pieces; the temporary file goes once it has been read (or the reading stops). */
  *chunks(): Generator<string> {
    try {
      yield* this.pieces();
    } finally {
      this.discard();
    }
  }

  /** The same, which may be read again. */
  *pieces(): Generator<string> {
    if (this.file !== null) {
      const decoder = new StringDecoder('utf8');
      for (const b of this.file.readBack()) yield decoder.write(b);
      yield decoder.end();
    }
    yield* this.held;
  }

  discard(): void {
    this.file?.remove();
    this.file = null;
    this.held = [];
  }
}

/**
 * Records kept for a second reading, one JSON text a line: in memory up to 1 M
 * characters, past that in a temporary file without a name (see Spool), or in memory
 * when none can be made. `encode` makes a record plain JSON data, `decode` takes it
 * back; the records may be read any number of times, in the order added.
 */
export class RecordSpool<T> implements Iterable<T> {
  private readonly text: TextSpool;

  /** `what` names the records in a message. */
  constructor(what: string, private readonly encode: (r: T) => unknown, private readonly decode: (data: unknown) => T) {
    this.text = new TextSpool(what, 'ledger');
  }

  add(r: T): void {
    this.text.write(JSON.stringify(this.encode(r)) + '\n');
  }

  *[Symbol.iterator](): Generator<T> {
    let rest = '';
    for (const piece of this.text.pieces()) {
      const parts = (rest + piece).split('\n');
      rest = parts.pop()!;
      for (const line of parts) yield this.decode(JSON.parse(line));
    }
  }

  discard(): void {
    this.text.discard();
  }
}
