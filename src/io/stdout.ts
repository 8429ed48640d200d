import { fstatSync, writeSync } from 'node:fs';
import { fsErrorText, WriteError } from '../errors';

/**
 * Writes `chunks` to standard output one after the other, each waiting for the last
 * (memory stays flat however long the output). Resolves when all are written, or
 * when the reader has gone (EPIPE: `callbill … | head`, not an error); rejects with
 * a WriteError (74) when a write fails otherwise: a full disk, /dev/full, a failing device.
 */
export async function writeStdout(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  const fd = (stream as { fd?: unknown }).fd;
  if (typeof fd === 'number' && writesToFile(fd)) return writeFileFd(fd, chunks);
  let failure: NodeJS.ErrnoException | null = null;
  const onError = (e: NodeJS.ErrnoException) => (failure ??= e);
  stream.on?.('error', onError);
  try {
    for (const chunk of chunks) {
      if (chunk.length === 0) continue;
      const err = await new Promise<NodeJS.ErrnoException | null | undefined>((resolve) => {
        try {
          stream.write(chunk, (e?: Error | null) => resolve(e as NodeJS.ErrnoException | null | undefined));
        } catch (e) {
          resolve(e as NodeJS.ErrnoException);
        }
      });
      failure ??= err ?? null;
      if (failure) break;
    }
  } finally {
    stream.removeListener?.('error', onError);
  }
  const f = failure as NodeJS.ErrnoException | null;
  if (f && f.code !== 'EPIPE') throw new WriteError(`cannot write to standard output: ${fsErrorText(f)}; the output is incomplete`);
}

/**
 * Standard output redirected to a file or a character device: Node writes it with one
 * writeSync per chunk and ignores a short write, so a disk that fills up mid-chunk
 * would cut the output without an error. Written here, to the end of each chunk.
 */
function writesToFile(fd: number): boolean {
  try {
    const st = fstatSync(fd);
    return st.isFile() || (st.isCharacterDevice() && !(require('node:tty') as typeof import('node:tty')).isatty(fd));
  } catch {
    return false;
  }
}

function writeFileFd(fd: number, chunks: Iterable<string>): void {
  try {
    for (const chunk of chunks) {
      const buf = Buffer.from(chunk, 'utf8');
      let off = 0;
      while (off < buf.length) {
        const n = writeSync(fd, buf, off, buf.length - off);
        // a file system that takes nothing and says nothing: full, in effect
        if (n === 0) throw Object.assign(new Error('no space left'), { code: 'ENOSPC' });
        off += n;
      }
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw new WriteError(`cannot write to standard output: ${fsErrorText(e)}; the output is incomplete`);
  }
}
