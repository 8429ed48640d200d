import { closeSync, fsyncSync, openSync, unlinkSync, writeSync } from 'node:fs';
import type { Hash } from 'node:crypto';
import { dirname } from 'node:path';
import { fsErrorText, OutputError } from '../errors';
import type { StagedFile } from './atomic-write';
import { tempPath } from './temp-files';

/** Text is handed to the disk in pieces of about this size: memory stays flat whatever the row count. */
const FLUSH_BYTES = 256 * 1024;

/**
 * An output file written as it goes (the `--rated` file: one row per record, too
 * many to hold) that still appears complete or not at all (SPEC §6). Rows go to a
 * temporary file in the target's own folder; `finish` flushes and fsyncs it and
 * hands back the staged file, which `writeFilesAtomically` renames into place with
 * the run's other outputs; `abort` removes it. A write error does not throw from
 * `write` (that runs inside the CSV reader's callback, where it would be taken for a
 * bad input): it is kept and thrown by `finish` as an OutputError (73).
 */
export class StreamedFile {
  private fd: number | null;
  private pending: string[] = [];
  private pendingChars = 0;
  private failure: OutputError | null = null;
  private readonly hash: Hash | null;
  private bytes = 0;
  private digest: string | undefined;

  private constructor(readonly path: string, readonly tmp: string, fd: number, hashed: boolean, private readonly shown: string) {
    this.fd = fd;
    this.hash = hashed ? (require('node:crypto') as typeof import('node:crypto')).createHash('sha256') : null;
  }

  /** Creates the temporary file now, so a folder that cannot be written fails the run before any reading. */
  static open(path: string, tag: string): StreamedFile {
    return StreamedFile.at(path, tempPath(dirname(path), path, tag));
  }

  /**
   * A file for `path` staged at `tmp` (output-plan.ts chooses it: beside the target, or in the
   * temporary folder for a device); `hashed` keeps its SHA-256 as written; `shown` names it in messages.
   */
  static at(path: string, tmp: string, opts: { hashed?: boolean; shown?: string } = {}): StreamedFile {
    const shown = opts.shown ?? path;
    try {
      return new StreamedFile(path, tmp, openSync(tmp, 'wx', 0o644), opts.hashed ?? false, shown);
    } catch (e) {
      throw new OutputError(`${shown}: cannot be written: ${fsErrorText(e)}`);
    }
  }

  write(text: string): void {
    if (this.failure || this.fd === null) return;
    if (text.length === 0) return;
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_BYTES) this.flush();
  }

  /** Bytes as they are (a PDF): what is pending goes first, then these, in order. */
  writeBytes(bytes: Uint8Array): void {
    if (this.failure || this.fd === null) return;
    this.flush();
    if (this.failure) return;
    if (this.digest === undefined) this.hash?.update(bytes);
    this.bytes += bytes.length;
    try {
      let off = 0;
      while (off < bytes.length) off += writeSync(this.fd, bytes, off, bytes.length - off);
    } catch (e) {
      this.failure = new OutputError(`${this.shown}: cannot be written: ${fsErrorText(e)}`);
    }
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    if (this.digest === undefined) this.hash?.update(buf);
    this.bytes += buf.length;
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.failure = new OutputError(`${this.shown}: cannot be written: ${fsErrorText(e)}`);
    }
  }

  /** The SHA-256 of everything written (asked for with `hashed`); nothing more may be written after. */
  sha256(): string {
    this.flush();
    if (this.failure) throw this.failure;
    if (!this.hash) throw new Error('StreamedFile: opened without hashed');
    this.digest ??= this.hash.digest('hex');
    return this.digest;
  }

  /**
   * Flushes, fsyncs and closes; the file is then ready to be renamed into place. May be
   * called again (the output plan's commit does): it then only gives the staged file.
   */
  finish(): StagedFile {
    this.flush();
    if (!this.failure && this.fd !== null) {
      try {
        fsyncSync(this.fd);
      } catch (e) {
        this.failure = new OutputError(`${this.shown}: cannot be written: ${fsErrorText(e)}`);
      }
    }
    this.close();
    if (this.failure) throw this.failure;
    if (this.hash) this.digest ??= this.hash.digest('hex');
    return { tmp: this.tmp, path: this.path, sha256: this.digest, bytes: this.bytes };
  }

  /** Removes the temporary file (a failed run writes nothing). Safe to call more than once. */
  abort(): void {
    this.close();
    this.pending = [];
    try {
      unlinkSync(this.tmp);
    } catch {
      // renamed into place already, or never there
    }
  }

  private close(): void {
    if (this.fd === null) return;
    try {
      closeSync(this.fd);
    } catch {
      // closing is best effort; the data was fsynced or the run fails anyway
    }
    this.fd = null;
  }
}
