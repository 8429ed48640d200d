import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

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

  static create(): Spool | null {
    let dir: string | null = null;
    try {
      dir = mkdtempSync(join(tmpdir(), 'callbill-stdin-'));
      const fd = openSync(join(dir, 'stdin.csv'), 'w+', 0o600);
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
