import { accessSync, closeSync, constants, fsyncSync, linkSync, lstatSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { BusyError, fsErrorText, OutputError, WriteError } from '../errors';
import { hostTag, processAlive, tempPath } from './temp-files';

/** A file already written and fsynced under a temporary name, waiting for its rename (or its copy into a device). */
export interface StagedFile {
  tmp: string;
  /** Where it goes: the real path of a regular file (renamed over), or the device or FIFO (written into). */
  path: string;
  /** Its SHA-256, when it was asked for while writing. */
  sha256?: string;
  bytes?: number;
  /** A character device or a FIFO: written in place, never renamed over. */
  device?: boolean;
  /** How messages name it (`--rejects r.csv`); default the path. */
  shown?: string;
}

/**
 * SPEC §6: output files appear complete or not at all. Each file is written to a
 * temporary name in its own folder, flushed to disk, and renamed over the target
 * only when every file of the set is ready; a crash leaves at most a temp file
 * (named .callbill-tmp-*), never a partial output. `staged` files (streamed outputs,
 * see streamed-file.ts) are renamed with the others, and removed when any fails.
 */
export function writeFilesAtomically(files: ReadonlyArray<{ path: string; content: string }>, staged: readonly StagedFile[] = []): void {
  const temps: StagedFile[] = [...staged];
  try {
    for (const f of files) {
      const tmp = tempPath(dirname(f.path), f.path);
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
    commitStaged(temps);
  } finally {
    removeTemps(temps);
  }
}

/** Removes the temporary files of a set (after a commit they are gone already: a no-op). */
export function removeTemps(temps: readonly StagedFile[]): void {
  for (const t of temps) {
    try {
      unlinkSync(t.tmp);
    } catch {
      // already renamed or never created
    }
  }
}

/**
 * Puts a staged set in place, as nearly all-or-nothing as a file system allows:
 * 1. every folder that receives a file is locked (`.callbill-lock`, see FolderLock), so
 *    that two runs into one folder never mix their files: the second waits for the first;
 * 2. every target is checked again (still a regular file or absent, not a folder, the
 *    file and its folder writable; a device still a device) before the first rename;
 * 3. the files are renamed, each existing one kept under a hard link first, so that a
 *    rename that fails after all puts the earlier ones back;
 * 4. the folders are fsynced and unlocked; then devices and FIFOs are written in place
 *    (they cannot be replaced atomically, and must never be renamed over).
 * Throws OutputError (73) before anything changed, WriteError (74) when a device write fails.
 */
export function commitStaged(staged: readonly StagedFile[]): void {
  const files = staged.filter((s) => !s.device);
  const devices = staged.filter((s) => s.device);
  const locks = FolderLock.acquireAll([...new Set(files.map((f) => dirname(f.path)))]);
  const backups: Array<{ path: string; backup: string | null; renamed: boolean }> = [];
  try {
    for (const f of files) recheckFile(f);
    for (const d of devices) recheckDevice(d);
    for (const f of files) {
      let backup: string | null = null;
      try {
        if (lstatSync(f.path).isFile()) {
          backup = tempPath(dirname(f.path), f.path, 'old');
          linkSync(f.path, backup);
        }
      } catch {
        // no old file, or a file system without hard links: nothing to put back
        backup = null;
      }
      const entry = { path: f.path, backup, renamed: false };
      backups.push(entry);
      try {
        renameSync(f.tmp, f.path);
        entry.renamed = true;
      } catch (e) {
        rollBack(backups);
        throw new OutputError(`${f.shown ?? f.path}: cannot be written: ${fsErrorText(e)}; no output was changed`);
      }
    }
    for (const dir of new Set(files.map((f) => dirname(f.path)))) syncDir(dir);
  } finally {
    for (const b of backups) if (b.backup) tryUnlink(b.backup);
    for (const l of locks) l.release();
  }
  for (const d of devices) copyInto(d);
}

function rollBack(done: ReadonlyArray<{ path: string; backup: string | null; renamed: boolean }>): void {
  for (const b of done) {
    if (!b.renamed) continue;
    try {
      if (b.backup) renameSync(b.backup, b.path);
      else unlinkSync(b.path);
    } catch {
      // best effort: the message says what failed; guarantees.md says what is not atomic
    }
  }
}

function recheckFile(f: StagedFile): void {
  const shown = f.shown ?? f.path;
  const folder = dirname(f.path);
  try {
    if (!statSync(folder).isDirectory()) throw new OutputError(`${shown}: ${folder} is no longer a folder; no output was changed`);
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    if (e instanceof OutputError) throw e;
    throw new OutputError(`${shown}: cannot write in the folder ${folder}: ${fsErrorText(e)}; no output was changed`);
  }
  let st;
  try {
    st = lstatSync(f.path);
  } catch {
    return; // absent: the rename creates it
  }
  if (st.isDirectory()) throw new OutputError(`${shown}: is a folder now; no output was changed`);
  if (!st.isFile()) throw new OutputError(`${shown}: is no longer a regular file; callbill replaces only regular files; no output was changed`);
  try {
    accessSync(f.path, constants.W_OK);
  } catch (e) {
    throw new OutputError(`${shown}: may not be replaced: ${fsErrorText(e)}; no output was changed`);
  }
  if (stickyForbids(folder, st.uid)) throw new OutputError(`${shown}: belongs to another user in a folder where only a file's owner may replace it; no output was changed`);
}

function recheckDevice(d: StagedFile): void {
  let st;
  try {
    st = statSync(d.path);
  } catch (e) {
    throw new OutputError(`${d.shown ?? d.path}: cannot be written: ${fsErrorText(e)}; no output was changed`);
  }
  if (!st.isCharacterDevice() && !st.isFIFO()) throw new OutputError(`${d.shown ?? d.path}: is no longer a device or FIFO; no output was changed`);
}

/** A folder with the sticky bit (such as /tmp) lets only a file's owner, the folder's owner or root replace the file. */
export function stickyForbids(folder: string, fileUid: number): boolean {
  const uid = process.geteuid?.();
  if (uid === undefined || uid === 0 || fileUid === uid) return false;
  try {
    const f = statSync(folder);
    return (f.mode & 0o1000) !== 0 && f.uid !== uid;
  } catch {
    return false;
  }
}

/** Writes a staged file into a character device or FIFO (opened for writing only: never created, never truncated). */
function copyInto(d: StagedFile): void {
  const shown = d.shown ?? d.path;
  let out: number;
  try {
    out = openSync(d.path, constants.O_WRONLY | (constants.O_NOCTTY ?? 0));
  } catch (e) {
    throw new WriteError(`${shown}: cannot be written: ${fsErrorText(e)}`);
  }
  try {
    const src = openSync(d.tmp, 'r');
    try {
      const buf = Buffer.allocUnsafe(1 << 20);
      for (;;) {
        const n = readSync(src, buf, 0, buf.length, null);
        if (n === 0) break;
        let off = 0;
        while (off < n) off += writeSync(out, buf, off, n - off);
      }
    } finally {
      closeSync(src);
    }
  } catch (e) {
    throw new WriteError(`${shown}: writing failed part-way: ${fsErrorText(e)}`);
  } finally {
    closeSync(out);
    tryUnlink(d.tmp);
  }
}

function tryUnlink(p: string): void {
  try {
    unlinkSync(p);
  } catch {
    // gone already
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

const LOCK_NAME = '.callbill-lock';
/** How long a run waits for another one's renames (which take milliseconds) before it gives up. */
const LOCK_WAIT_MS = 120_000;

/**
 * The lock on an output folder while a set of files is renamed into it: a file
 * `.callbill-lock` holding "pid host", created atomically (a hard link of a finished
 * temporary file, which fails when the lock exists). A lock whose process is gone (a
 * killed run, same machine) is removed; otherwise the run waits, and after two
 * minutes gives up with 75 and names the file to remove if no callbill is running.
 */
export class FolderLock {
  private constructor(readonly file: string) {}

  static acquireAll(folders: readonly string[]): FolderLock[] {
    const held: FolderLock[] = [];
    try {
      // always in the same order: two runs that lock the same folders cannot wait for each other
      for (const f of [...folders].sort()) held.push(FolderLock.acquire(f));
      return held;
    } catch (e) {
      for (const l of held) l.release();
      throw e;
    }
  }

  static acquire(folder: string): FolderLock {
    const file = join(folder, LOCK_NAME);
    const mine = `${process.pid} ${hostTag()}\n`;
    const tmp = tempPath(folder, LOCK_NAME, 'lock');
    try {
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        writeSync(fd, mine);
      } finally {
        closeSync(fd);
      }
    } catch (e) {
      throw new OutputError(`${folder}: cannot write in the folder: ${fsErrorText(e)}`);
    }
    const start = Date.now();
    try {
      for (let wait = 10; ; wait = Math.min(wait * 2, 250)) {
        try {
          linkSync(tmp, file);
          return new FolderLock(file);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new OutputError(`${folder}: cannot lock the folder for writing: ${fsErrorText(e)}`);
        }
        const holder = readHolder(file);
        if (holder && holder.host === hostTag() && !processAlive(holder.pid)) {
          tryUnlink(file); // a killed run's lock
          continue;
        }
        if (Date.now() - start > LOCK_WAIT_MS) {
          throw new BusyError(
            `${folder}: another callbill run is writing into this folder${holder ? ` (process ${holder.pid})` : ''}; ` +
              `try again later, or remove ${file} if no callbill is running`,
          );
        }
        sleep(wait);
      }
    } finally {
      tryUnlink(tmp);
    }
  }

  release(): void {
    tryUnlink(this.file);
  }
}

function readHolder(file: string): { pid: number; host: string } | null {
  try {
    const m = /^(\d+) ([0-9a-f]{6})\n$/.exec(readFileSync(file, 'utf8'));
    return m ? { pid: Number(m[1]), host: m[2]! } : null;
  } catch {
    return null;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
