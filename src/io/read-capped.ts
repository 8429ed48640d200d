import { closeSync, openSync, readSync } from 'node:fs';

/** The largest price list, balances file or import profile callbill reads (64 MiB). */
const CONFIG_FILE_LIMIT = 64 * 1024 * 1024;

/**
 * A whole file's bytes, read in pieces and never more than `limit` + 1 of them: a
 * device such as /dev/zero, or a usage export given as the price list, ends promptly
 * with `null` instead of growing memory without end. Errors are the file system's.
 */
export function readCapped(path: string, limit = CONFIG_FILE_LIMIT): Buffer | null {
  const fd = openSync(path, 'r');
  try {
    const pieces: Buffer[] = [];
    let total = 0;
    for (;;) {
      const piece = Buffer.allocUnsafe(Math.min(1 << 20, limit + 1 - total));
      const n = readSync(fd, piece, 0, piece.length, null);
      if (n === 0) break;
      pieces.push(n === piece.length ? piece : piece.subarray(0, n));
      total += n;
      if (total > limit) return null;
    }
    return Buffer.concat(pieces, total);
  } finally {
    closeSync(fd);
  }
}

/** "64 MB" for messages. */
export function limitText(limit = CONFIG_FILE_LIMIT): string {
  return `${Math.round(limit / (1024 * 1024))} MB`;
}
