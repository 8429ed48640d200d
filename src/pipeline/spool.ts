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
  static create(what: 'stdin' | 'stdout' = 'stdin'): Spool | null {
    let dir: string | null = null;
    try {
      dir = mkdtempSync(join(tmpdir(), `callbill-${what}-`));
      const fd = openSync(join(dir, what === 'stdin' ? 'stdin.csv' : 'stdout.txt'), 'w+', 0o600);
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
  private pieces: string[] = [];
  private chars = 0;
  private file: Spool | null = null;
  private tried = false;

  write(text: string): void {
    this.pieces.push(text);
    this.chars += text.length;
    if (this.chars >= IN_MEMORY_CHARS && (this.file !== null || !this.tried)) this.spill();
  }

  private spill(): void {
    if (!this.tried) {
      this.tried = true;
      this.file = Spool.create('stdout');
      if (this.file === null) return;
    }
    const buf = Buffer.from(this.pieces.join(''), 'utf8');
    this.pieces = [];
    this.chars = 0;
    try {
      this.file!.write(buf);
    } catch (e) {
      this.discard();
      throw new WriteError(`cannot keep standard output's text in the temporary folder ${tmpdir()}: ${fsErrorText(e)}; nothing was written`);
    }
  }

  /** The text written, in order, in pieces; the temporary file goes once it has been read (or the reading stops). */
  *chunks(): Generator<string> {
    try {
      if (this.file !== null) {
        const decoder = new StringDecoder('utf8');
        for (const b of this.file.readBack()) yield decoder.write(b);
        yield decoder.end();
      }
      yield* this.pieces;
    } finally {
      this.discard();
    }
  }

  discard(): void {
    this.file?.remove();
    this.file = null;
    this.pieces = [];
  }
}
