import { closeSync, fsyncSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsErrorText, OutputError } from '../errors';

/** A file already written and fsynced under a temporary name (a streamed output), waiting for its rename. */
export interface StagedFile {
  tmp: string;
  path: string;
}

/**
 * SPEC §6: output files appear complete or not at all. Each file is written to a
 * temporary name in its own folder, flushed to disk, and renamed over the target
 * only when every file of the set is ready; a crash leaves at most a temp file
 * (named .callbill-tmp-*), never a partial output. `staged` files (streamed outputs,
 * see streamed-file.ts) are renamed with the others, and removed when any fails.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>, staged: readonly StagedFile[] = []): void {
  const temps: Array<{ tmp: string; path: string }> = [...staged];
  try {
    for (const f of files) {
      const tmp = join(dirname(f.path), `.callbill-tmp-${process.pid}-${temps.length}-${basename(f.path)}`);
      let fd: number;
      try {
        fd = openSync(tmp, 'wx', 0o644);
      } catch (e) {
        throw new OutputError(`${f.path}: cannot be written: ${fsErrorText(e)}`);
      }
      temps.push({ tmp, path: f.path });
      try {
        const buf = Buffer.from(f.content, 'utf8');
        let off = 0;
        while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
        fsyncSync(fd);
      } catch (e) {
        throw new OutputError(`${f.path}: cannot be written: ${fsErrorText(e)}`);
      } finally {
        closeSync(fd);
      }
    }
    for (const t of temps) {
      try {
        renameSync(t.tmp, t.path);
      } catch (e) {
        throw new OutputError(`${t.path}: cannot be written: ${fsErrorText(e)}`);
      }
    }
    for (const dir of new Set(temps.map((t) => dirname(t.path)))) syncDir(dir);
  } catch (e) {
    for (const t of temps) {
      try {
        unlinkSync(t.tmp);
      } catch {
        // already renamed or never created
      }
    }
    throw e;
  }
}

function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}
