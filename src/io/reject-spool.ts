import { closeSync, openSync, readSync, unlinkSync, writeSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { fsErrorText, OutputError } from '../errors';
import type { RejectedRow, RejectSink } from '../rating/usage-fold';
import { tempPath } from './temp-files';

const FLUSH_CHARS = 1 << 20;

/**
 * The rejected rows of a run, held on disk rather than in memory (millions of bad rows
 * are gigabytes): one JSON array per line in a temporary file (`.callbill-tmp-*`, in the
 * folder of the --rejects file, removed at the end of the run, or by the next run when
 * this one is killed). Read back in the order written. Also keeps, per input, the most
 * cells a row had, which the rejects file's extra_N columns need before its first row.
 */
export class RejectSpool implements RejectSink {
  private fd: number | null;
  private pending: string[] = [];
  private pendingChars = 0;
  private failure: OutputError | null = null;
  /** Per input number: the most cells of a rejected row. */
  readonly widest: number[] = [];
  count = 0;
  /** Rows before this index are in input and line order; the rest are not (see unordered()). */
  private ordered: number | null = null;

  private constructor(readonly file: string, fd: number) {
    this.fd = fd;
  }

  static create(folder: string): RejectSpool {
    const file = tempPath(folder, 'rejected-rows.jsonl');
    try {
      return new RejectSpool(file, openSync(file, 'wx', 0o600));
    } catch (e) {
      throw new OutputError(`${folder}: cannot keep the rejected rows there for a while: ${fsErrorText(e)}`);
    }
  }

  add(r: RejectedRow): void {
    if (this.fd === null) return;
    this.count++;
    if ((this.widest[r.input] ?? 0) < r.fields.length) this.widest[r.input] = r.fields.length;
    const text = JSON.stringify([r.input, r.line, r.column, r.message, r.value, r.fields]) + '\n';
    this.pending.push(text);
    this.pendingChars += text.length;
    if (this.pendingChars >= FLUSH_CHARS) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0 || this.failure) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingChars = 0;
    try {
      let off = 0;
      while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.failure = new OutputError(`${this.file}: cannot keep the rejected rows: ${fsErrorText(e)}`);
    }
  }

  unordered(): void {
    if (this.ordered === null) this.ordered = this.count;
  }

  /**
   * The rows in input and line order, like the rows kept in memory (the spool may be read
   * more than once): the ordered body streamed, the few rows added after unordered()
   * (duplicate copies, held in memory by the fold anyway) sorted and merged into it.
   */
  *rows(): Generator<RejectedRow> {
    if (this.ordered === null) {
      yield* this.stored();
      return;
    }
    const tail: RejectedRow[] = [];
    let i = 0;
    for (const r of this.stored()) if (i++ >= this.ordered) tail.push(r);
    tail.sort(byPlace);
    let t = 0;
    i = 0;
    for (const r of this.stored()) {
      if (i++ >= this.ordered) break;
      while (t < tail.length && byPlace(tail[t]!, r) < 0) yield tail[t++]!;
      yield r;
    }
    while (t < tail.length) yield tail[t++]!;
  }

  /** The rows in the order they were added. */
  private *stored(): Generator<RejectedRow> {
    this.flush();
    if (this.failure) throw this.failure;
    const fd = openSync(this.file, 'r');
    try {
      const decoder = new StringDecoder('utf8');
      const buf = Buffer.allocUnsafe(1 << 20);
      let carry = '';
      let pos = 0;
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, pos);
        if (n === 0) break;
        pos += n;
        const text = carry + decoder.write(buf.subarray(0, n));
        const lines = text.split('\n');
        carry = lines.pop()!;
        for (const l of lines) yield toRow(l);
      }
      if (carry !== '') yield toRow(carry + decoder.end());
    } finally {
      closeSync(fd);
    }
  }

  /** Closes and removes the file. Safe to call twice. */
  remove(): void {
    if (this.fd !== null) {
      try {
        closeSync(this.fd);
      } catch {
        // removed anyway
      }
      this.fd = null;
    }
    this.pending = [];
    try {
      unlinkSync(this.file);
    } catch {
      // gone already
    }
  }
}

function byPlace(a: RejectedRow, b: RejectedRow): number {
  return a.input - b.input || a.line - b.line;
}

function toRow(line: string): RejectedRow {
  const [input, lineNo, column, message, value, fields] = JSON.parse(line) as [number, number, string, string, string, string[]];
  return { input, line: lineNo, column, message, value, fields };
}
