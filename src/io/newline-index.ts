import { countNewlines } from './utf8';

/**
 * Counts \n in a stream of chunks: `before(offset)` is the number of newlines in the
 * bytes before `offset`. Offsets asked for never decrease, so a cursor walks the chunks
 * once and drops the ones it has passed: linear time, and only the unread tail is kept.
 */
export class NewlineIndex {
  private readonly chunks: Buffer[] = [];
  /** Absolute offset of chunks[0]. */
  private chunkStart = 0;
  private cursor = 0;
  private count = 0;
  /** Newlines in every byte pushed so far. */
  fed = 0;

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.chunks.push(b);
    this.fed += countNewlines(b, b.length);
  }

  before(offset: number): number {
    while (this.cursor < offset && this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const stop = Math.min(offset - this.chunkStart, c.length);
      this.count += countNewlines(c.subarray(this.cursor - this.chunkStart, stop), stop - (this.cursor - this.chunkStart));
      this.cursor = this.chunkStart + stop;
      if (stop === c.length) {
        this.chunkStart += c.length;
        this.chunks.shift();
      }
    }
    return this.count;
  }
}
