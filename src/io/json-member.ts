import { closeSync, openSync, readSync } from 'node:fs';

/** The file is not one JSON document (JSON.parse would refuse it). */
export class NotJsonError extends Error {}

/** Read errors of the file itself (it cannot be opened or read), as thrown by node:fs. */
export class JsonReadError extends Error {
  constructor(readonly error: unknown) {
    super('cannot be read');
  }
}

// what the reader expects next
const VALUE = 0; // a value (the document's, after `:`, after `,` in an array)
const VALUE_OR_CLOSE = 1; // after `[`
const KEY_OR_CLOSE = 2; // after `{`
const KEY = 3; // after `,` in an object
const COLON = 4;
const AFTER_VALUE = 5; // `,` or the closer of the container, or the end
const STRING = 6;
const ESCAPE = 7;
const HEX = 8;
const NUMBER = 9;
const LITERAL = 10;

// the number's grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
const N_MINUS = 0, N_ZERO = 1, N_INT = 2, N_DOT = 3, N_FRAC = 4, N_E = 5, N_ESIGN = 6, N_EXP = 7;

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

/** Keys of the top level longer than this are not the one looked for: their text is not kept. */
const KEY_BYTES = 256;

/**
 * The value of one member of a JSON document's top-level object, read from the file in
 * pieces: the whole document is checked as JSON.parse would check it (any defect is a
 * NotJsonError), but only the member's own text is kept, so a file of gigabytes is read
 * in the memory of that member. As with JSON.parse, the last of several members with the
 * key wins. Returns the member's JSON text, or null when the top level is an object
 * without it; a document whose top level is not an object is a NotJsonError.
 */
export function readTopLevelMember(path: string, key: string, pieceBytes = 1 << 20): string | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new JsonReadError(e);
  }
  try {
    return scan(fd, key, pieceBytes);
  } finally {
    closeSync(fd);
  }
}

function scan(fd: number, wanted: string, pieceBytes: number): string | null {
  const buf = Buffer.allocUnsafe(pieceBytes);
  /** Open containers, innermost last: true for an object. */
  const stack: boolean[] = [];
  let state = VALUE;
  let started = false;
  let num = N_MINUS;
  let literal = '';
  let litPos = 0;
  let hexLeft = 0;
  // the key being read at the top level, as raw JSON text (escapes undecoded)
  let keyBytes: number[] | null = null;
  let inKey = false;
  let keyIsWanted = false;
  // the member's value: its pieces while it is read, then its text
  let capturing = false;
  let pieces: Buffer[] = [];
  let pieceStart = 0;
  let found: string | null = null;
  const endCapture = (chunk: Buffer, end: number) => {
    pieces.push(Buffer.from(chunk.subarray(pieceStart, end)));
    found = Buffer.concat(pieces).toString('utf8');
    pieces = [];
    capturing = false;
  };
  /** A value has ended just before `i` (exclusive); a member's value, when the top level is reached again. */
  const valueEnded = (chunk: Buffer, i: number) => {
    state = AFTER_VALUE;
    if (capturing && stack.length === 1) endCapture(chunk, i);
  };

  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buf, 0, buf.length, null);
    } catch (e) {
      throw new JsonReadError(e);
    }
    if (n === 0) break;
    const chunk = buf.subarray(0, n);
    pieceStart = 0;
    for (let i = 0; i < n; i++) {
      const c = chunk[i]!;
      switch (state) {
        case STRING: {
          // the plain run of the string at once
          let j = i;
          while (j < n) {
            const d = chunk[j]!;
            if (d === 0x22 || d === 0x5c || d < 0x20) break;
            j++;
          }
          if (keyBytes) for (let k = i; k < j && keyBytes.length <= KEY_BYTES; k++) keyBytes.push(chunk[k]!);
          i = j;
          if (i >= n) break; // the string goes on in the next piece
          const d = chunk[i]!;
          if (d === 0x22) {
            if (inKey) {
              inKey = false;
              // a key of the top-level object: is it the one looked for?
              if (keyBytes) keyIsWanted = keyBytes.length <= KEY_BYTES && decodedKey(keyBytes) === wanted;
              keyBytes = null;
              state = COLON;
            } else valueEnded(chunk, i + 1);
          } else if (d === 0x5c) {
            if (keyBytes && keyBytes.length <= KEY_BYTES) keyBytes.push(d);
            state = ESCAPE;
          } else throw new NotJsonError('a control character in a string');
          break;
        }
        case ESCAPE:
          if (keyBytes && keyBytes.length <= KEY_BYTES) keyBytes.push(c);
          if (c === 0x75) {
            state = HEX;
            hexLeft = 4;
          } else if (c === 0x22 || c === 0x5c || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74) state = STRING;
          else throw new NotJsonError('a bad escape');
          break;
        case HEX:
          if (!isHex(c)) throw new NotJsonError('a bad \\u escape');
          if (keyBytes && keyBytes.length <= KEY_BYTES) keyBytes.push(c);
          if (--hexLeft === 0) state = STRING;
          break;
        case NUMBER: {
          let more = true;
          if (isDigit(c)) {
            if (num === N_MINUS) num = c === 0x30 ? N_ZERO : N_INT;
            else if (num === N_ZERO) more = false;
            else if (num === N_DOT) num = N_FRAC;
            else if (num === N_E || num === N_ESIGN) num = N_EXP;
          } else if (c === 0x2e && (num === N_ZERO || num === N_INT)) num = N_DOT;
          else if ((c === 0x65 || c === 0x45) && (num === N_ZERO || num === N_INT || num === N_FRAC)) num = N_E;
          else if ((c === 0x2b || c === 0x2d) && num === N_E) num = N_ESIGN;
          else more = false;
          if (more) break;
          if (num !== N_ZERO && num !== N_INT && num !== N_FRAC && num !== N_EXP) throw new NotJsonError('a bad number');
          valueEnded(chunk, i);
          i--; // this byte is read again, after the number
          break;
        }
        case LITERAL:
          if (c !== literal.charCodeAt(litPos)) throw new NotJsonError('a bad literal');
          if (++litPos === literal.length) valueEnded(chunk, i + 1);
          break;
        default: {
          if (isSpace(c)) break;
          if (state === COLON) {
            if (c !== 0x3a) throw new NotJsonError('no colon');
            state = VALUE;
            break;
          }
          if (state === AFTER_VALUE) {
            if (stack.length === 0) throw new NotJsonError('more after the document');
            const inObject = stack[stack.length - 1]!;
            if (c === 0x2c) state = inObject ? KEY : VALUE;
            else if (c === (inObject ? 0x7d : 0x5d)) {
              stack.pop();
              valueEnded(chunk, i + 1);
            } else throw new NotJsonError('no comma');
            break;
          }
          if (state === KEY_OR_CLOSE || state === KEY) {
            if (c === 0x7d && state === KEY_OR_CLOSE) {
              stack.pop();
              valueEnded(chunk, i + 1);
            } else if (c === 0x22) {
              state = STRING;
              inKey = true;
              // only the top level's keys are kept, to be compared
              keyBytes = stack.length === 1 ? [] : null;
            } else throw new NotJsonError('no key');
            break;
          }
          if (state === VALUE_OR_CLOSE && c === 0x5d) {
            stack.pop();
            valueEnded(chunk, i + 1);
            break;
          }
          // a value starts
          if (!started) {
            if (c !== 0x7b) throw new NotJsonError('the top level is not an object');
            started = true;
          } else if (stack.length === 0) throw new NotJsonError('more after the document');
          if (stack.length === 1 && keyIsWanted) {
            capturing = true;
            pieces = [];
            pieceStart = i;
            keyIsWanted = false;
          }
          if (c === 0x7b) {
            stack.push(true);
            state = KEY_OR_CLOSE;
          } else if (c === 0x5b) {
            stack.push(false);
            state = VALUE_OR_CLOSE;
          } else if (c === 0x22) state = STRING;
          else if (c === 0x2d || isDigit(c)) {
            state = NUMBER;
            num = c === 0x2d ? N_MINUS : c === 0x30 ? N_ZERO : N_INT;
          } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
            literal = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
            litPos = 1;
            state = LITERAL;
          } else throw new NotJsonError('no value');
        }
      }
    }
    if (capturing) pieces.push(Buffer.from(chunk.subarray(pieceStart, n)));
  }
  // a number at the very end of the file ends there
  if (state === NUMBER) {
    if (num !== N_ZERO && num !== N_INT && num !== N_FRAC && num !== N_EXP) throw new NotJsonError('a bad number');
    state = AFTER_VALUE;
  }
  if (!started || state !== AFTER_VALUE || stack.length > 0) throw new NotJsonError('the document ends early');
  return found;
}

/** A key's text as JSON.parse reads it. */
function decodedKey(raw: number[]): string {
  return JSON.parse(`"${Buffer.from(raw).toString('utf8')}"`) as string;
}
