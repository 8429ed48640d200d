import { closeSync, createReadStream, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** Standard input as read, kept in a temporary file for a second reading. */
export class Spool {
  private readonly onSignal: (sig: NodeJS.Signals) => void;

  private constructor(private readonly dir: string, private readonly file: string, private fd: number) {
    // a copy of someone's usage must not outlive an interrupted run: remove it, then
    // end as the signal would have ended the process
    this.onSignal = (sig) => {
      this.remove();
      process.kill(process.pid, sig);
    };
    for (const sig of SIGNALS) process.once(sig, this.onSignal);
  }

  static create(): Spool | null {
    try {
      const dir = mkdtempSync(join(tmpdir(), 'callbill-stdin-'));
      const file = join(dir, 'stdin.csv');
      return new Spool(dir, file, openSync(file, 'w', 0o600));
    } catch {
      return null;
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

  read(): Readable {
    if (this.fd >= 0) {
      closeSync(this.fd);
      this.fd = -1;
    }
    return createReadStream(this.file, { highWaterMark: 1 << 20 });
  }

  remove(): void {
    for (const sig of SIGNALS) process.removeListener(sig, this.onSignal);
    try {
      if (this.fd >= 0) closeSync(this.fd);
      this.fd = -1;
      rmSync(this.dir, { recursive: true, force: true });
    } catch {
      // a temporary folder left behind is not worth failing the run for
    }
  }
}
