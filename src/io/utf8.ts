import { isAscii, isUtf8 } from 'node:buffer';
import { ConfigError } from '../errors';

/**
 * UTF-8 checks of the input files. A price list or balances file that is not UTF-8 is
 * refused at the line and column of the first bad byte (Buffer.toString would quietly
 * turn it into U+FFFD, and "Acme \ufffd Ltd" would be billed).
 */
export function utf8Text(buf: Buffer, file: string): string {
  if (isUtf8(buf)) return buf.toString('utf8');
  const at = firstInvalidUtf8(buf);
  const lineStart = buf.lastIndexOf(10, at - 1) + 1;
  const line = 1 + countNewlines(buf, at);
  const column = 1 + [...buf.subarray(lineStart, at).toString('utf8')].length;
  throw new ConfigError([{ file, line, column, message: 'not valid UTF-8 (save the file as UTF-8)' }]);
}

/**
 * The text of whole UTF-8 bytes. A piece that is all ASCII (nearly every piece of a
 * usage export) is copied byte for byte as Latin-1, which gives the same string
 * several times faster than the UTF-8 decoder.
 */
function decodeUtf8(b: Buffer, start = 0, end = b.length): string {
  const piece = start === 0 && end === b.length ? b : b.subarray(start, end);
  return piece.toString(isAscii(piece) ? 'latin1' : 'utf8');
}

/**
 * Text pieces decoded at a time: a string this short is an ordinary object of the young
 * generation (V8 puts longer ones in a space of their own, each mapped and unmapped
 * from the system), which costs nothing to free when it dies young.
 */
const TEXT_PIECE_BYTES = 96 << 10;

/**
 * Decodes whole UTF-8 bytes in pieces of about TEXT_PIECE_BYTES cut at line ends (an LF
 * byte never falls inside a character), in order, until `fn` returns false; `last`
 * marks the final piece. Returns -1 when every piece was taken, else the offset of the
 * end of the piece refused (the bytes after it were not decoded).
 */
export function forEachTextPiece(b: Buffer, fn: (text: string, last: boolean) => boolean): number {
  let at = 0;
  do {
    let end = Math.min(b.length, at + TEXT_PIECE_BYTES);
    if (end < b.length) {
      const lf = b.lastIndexOf(10, end - 1);
      if (lf >= at) end = lf + 1;
      else {
        const next = b.indexOf(10, end);
        end = next < 0 ? b.length : next + 1;
      }
    }
    if (!fn(decodeUtf8(b, at, end), end === b.length)) return end;
    at = end;
  } while (at < b.length);
  return -1;
}

/** Length of the longest prefix that does not end inside a UTF-8 sequence. */
export function completeUtf8Length(b: Buffer): number {
  const n = b.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const c = b[n - back]!;
    if ((c & 0xc0) === 0x80) continue; // continuation byte: look further back
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

/**
 * Index of the first byte of the first invalid UTF-8 sequence in `b` (a stray
 * continuation byte, a bad lead, an overlong form, a surrogate, or a sequence cut short),
 * or b.length when `b` is valid. WHATWG's decoder rules, byte by byte: only called on
 * input that isUtf8 has already refused, to say where.
 */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  const n = b.length;
  while (i < n) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    let need: number, lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) {
      need = 2;
      if (c === 0xe0) lo = 0xa0;
      if (c === 0xed) hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
      need = 3;
      if (c === 0xf0) lo = 0x90;
      if (c === 0xf4) hi = 0x8f;
    } else return i;
    for (let k = 1; k <= need; k++) {
      const d = b[i + k];
      if (d === undefined || d < (k === 1 ? lo : 0x80) || d > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return n;
}

/** Newlines (\n) in b before index `end`. */
export function countNewlines(b: Buffer, end: number): number {
  let n = 0;
  for (let i = b.indexOf(10); i >= 0 && i < end; i = b.indexOf(10, i + 1)) n++;
  return n;
}
