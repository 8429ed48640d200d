/**
 * A small RFC 4180 reader for the common case of usage files, about five times
 * faster than csv-parse (issue #5: csv-parse alone was slower than the whole
 * target for `--jobs 1`). It gives exactly the records and lines that csv-parse
 * gives with `csvOptions()` (bom, relax_column_count, skip_empty_lines, record
 * delimiters CRLF and LF, max_record_size); a property test compares the two on
 * random CSV. Wherever csv-parse would raise an error, or the record is long
 * enough that csv-parse's size limit might apply, it stops and says so: the caller
 * hands the rest of the input, from the start of that record, to csv-parse, which
 * then decides (and words the error) as it always did.
 *
 * The field delimiter is a parameter: `,` (the default), `;` or tab, as Excel
 * writes them (docs/reference.md §2). csv-parse, where it takes over, is given the
 * same delimiter.
 *
 * It reads decoded text, not bytes: the four characters that matter (`"`, the
 * delimiter, CR, LF) are ASCII and never part of a multi-byte UTF-8 sequence, so scanning the text
 * finds the same places, and a field is a `slice` of the chunk instead of a
 * decoding call per field.
 *
 * Lines are physical lines, LFs, as grep -n and sed -n count them (csv-parse's own
 * count drifts after a CRLF inside a quoted field, which it counts twice, and a lone
 * CR, which is data). A record's line is the line of its first character.
 */

/** csv-parse's limit is on characters of the record's fields plus bytes of the one being read; UTF-8 has at most 3 bytes per UTF-16 unit. */
function scannerRecordLimit(maxRecordSize: number): number {
  return Math.floor(maxRecordSize / 3);
}

/** Called for each record: its first line and its fields (a fresh array the callee may keep). */
export type RecordCallback = (line: number, fields: string[]) => void;

/**
 * Called, when given, instead of RecordCallback for the common record: one line, no
 * quote, no CR but its CRLF — the record's fields are `s.slice(start, end).split(delimiter)`,
 * which the callee may cut itself, or read in place without cutting.
 */
export type LineCallback = (line: number, s: string, start: number, end: number) => void;

/** Where the scanner stopped: csv-parse takes over from the start of this record. */
export interface ScannerStop {
  /** Text from the first character of the record csv-parse must read. */
  text: string;
  /** Line of that character. */
  line: number;
  /** The record is the first of the input and the input started with a byte-order mark, which the text no longer has. */
  bom: boolean;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

export class CsvScanner {
  /** Line of the next character to read. */
  line = 1;
  /** Set when the scanner cannot decide: everything from `stop.text` on is csv-parse's. */
  stop: ScannerStop | null = null;
  private carry = '';
  private atStart = true;
  private bomSkipped = false;
  private readonly limit: number;
  /** The field delimiter and its code unit. */
  private readonly delim: string;
  private readonly delimCode: number;

  /**
   * `line`, `midInput`: start at a record boundary inside an input (no byte-order mark there).
   * `delimiter`: the field delimiter, one ASCII character other than `"`, CR and LF (`,` `;` or tab).
   */
  constructor(maxRecordSize: number, line = 1, midInput = false, delimiter = ',') {
    if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\r' || delimiter === '\n' || delimiter.charCodeAt(0) > 127) {
      throw new Error(`CsvScanner: unusable delimiter ${JSON.stringify(delimiter)}`);
    }
    this.delim = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    this.limit = scannerRecordLimit(maxRecordSize);
    this.line = line;
    this.atStart = !midInput;
  }

  /** Text read so far ends at a record boundary: nothing is waiting for more. */
  get atBoundary(): boolean {
    return this.stop === null && this.carry.length === 0;
  }

  /** Characters of the last fed text left unread by `feed(…, maxRecords)` (they are kept for the next feed). */
  get pendingChars(): number {
    return this.carry.length;
  }

  /**
   * Reads the next piece of text (`end`: nothing follows). Returns false when the
   * scanner stopped (see `stop`); nothing after that point was passed to `onRecord`
   * (or `onLine`, which, given, takes the common records).
   */
  feed(text: string, end: boolean, onRecord: RecordCallback, maxRecords = Infinity, onLine?: LineCallback): boolean {
    if (this.stop) return false;
    if (this.carry.length > 0 && maxRecords === Infinity) {
      // The record across the cut is completed on a short string (the text kept and the
      // piece up to its first line break), and the rest of the piece is read where it is:
      // `carry + text` would be a rope, which V8 reads char by char at half the speed of
      // the flat text, and a line read in place (onLine) is read char by char.
      const lf = text.indexOf('\n');
      if (lf >= 0 && lf + 1 < text.length) {
        if (!this.scan(text.slice(0, lf + 1), 0, false, onRecord, Infinity, onLine)) {
          this.stop!.text += text.slice(lf + 1);
          return false;
        }
        return this.scan(text, lf + 1, end, onRecord, Infinity, onLine);
      }
    }
    return this.scan(text, 0, end, onRecord, maxRecords, onLine);
  }

  /** Reads `text` from `from` on, after the text kept from the last piece. */
  private scan(text: string, from: number, end: boolean, onRecord: RecordCallback, maxRecords: number, onLine: LineCallback | undefined): boolean {
    let emitted = 0;
    let s = text;
    let pos = from;
    if (this.carry.length > 0) {
      s = this.carry + (from > 0 ? text.slice(from) : text);
      pos = 0;
    }
    this.carry = '';
    if (this.atStart) {
      if (s.length === 0 && !end) return true;
      this.atStart = false;
      // csv-parse `bom: true`: a UTF-8 byte-order mark at the very start is not data
      if (s.charCodeAt(0) === 0xfeff) {
        s = s.slice(1);
        this.bomSkipped = true;
      }
    }
    const n = s.length;
    const limit = this.limit;
    const delim = this.delim;
    const DELIM = this.delimCode;
    let line = this.line;
    // The common record is one line with no quote and no CR but its CRLF delimiter:
    // it is split by native code, or handed over as the line (onLine). The positions of
    // the next quote and CR tell.
    let nextQuote = s.indexOf('"', pos);
    let nextCr = s.indexOf('\r', pos);
    // the next LF at or after the part of a quoted field counted so far: each LF inside
    // quoted fields is found once, not searched for again at every quote (`""…`)
    let nextLfInQuotes = -1;
    if (nextQuote < 0) nextQuote = n;
    if (nextCr < 0) nextCr = n;
    records: while (pos < n) {
      if (nextQuote < pos) nextQuote = indexOrEnd(s, '"', pos);
      if (nextCr < pos) nextCr = indexOrEnd(s, '\r', pos);
      const lf = s.indexOf('\n', pos);
      if (lf >= 0 && nextQuote > lf && lf - pos <= limit) {
        let end = lf;
        if (nextCr < lf) {
          if (nextCr !== lf - 1) end = -1; // a lone CR in the line: the careful way below
          else end = lf - 1;
        }
        if (end >= 0) {
          const has = end > pos;
          if (has) {
            if (onLine !== undefined) onLine(line, s, pos, end);
            else onRecord(line, s.slice(pos, end).split(delim));
          }
          // else: an empty line, which csv-parse skips
          pos = lf + 1;
          line++;
          if (has && ++emitted >= maxRecords) break records;
          continue records;
        }
      }
      const recStart = pos;
      const recLine = line;
      let fields: string[] = [];
      let lastQuoted = false;
      // one iteration per field; `break fieldLoop` when the record is complete
      fieldLoop: for (;;) {
        if (pos < n && s.charCodeAt(pos) === QUOTE) {
          // a quoted field: up to a quote followed by a delimiter, a record delimiter or the end
          lastQuoted = true;
          const start = pos + 1;
          // `""` pairs seen: the value is the field's text with each pair made one quote, in
          // one pass at its end (adding piece by piece made a million tiny strings for the GC)
          let pairs = 0;
          let from = start;
          for (;;) {
            const q = s.indexOf('"', from);
            if (q < 0) {
              if (end) return this.halt(s, recStart, recLine); // csv-parse: Quote Not Closed
              return this.keep(s, recStart, recLine);
            }
            // line breaks inside the field up to this quote (a CRLF counts once, a lone CR not at all, as grep -n counts)
            if (nextLfInQuotes < from) nextLfInQuotes = indexOrEnd(s, '\n', from);
            while (nextLfInQuotes < q) {
              line++;
              nextLfInQuotes = indexOrEnd(s, '\n', nextLfInQuotes + 1);
            }
            if (q + 1 >= n) {
              if (!end) return this.keep(s, recStart, recLine); // an escaped quote or the closing one: wait
              fields.push(unquoted(s, start, q, pairs));
              pos = n;
              break fieldLoop;
            }
            const next = s.charCodeAt(q + 1);
            if (next === QUOTE) {
              // `""` inside quotes is one quote
              pairs++;
              from = q + 2;
              continue;
            }
            if (next === DELIM) {
              fields.push(unquoted(s, start, q, pairs));
              pos = q + 2;
              continue fieldLoop;
            }
            if (next === LF) {
              fields.push(unquoted(s, start, q, pairs));
              pos = q + 2;
              line++;
              break fieldLoop;
            }
            if (next === CR) {
              if (q + 2 >= n) {
                if (!end) return this.keep(s, recStart, recLine);
                return this.halt(s, recStart, recLine); // csv-parse: Invalid Closing Quote
              }
              if (s.charCodeAt(q + 2) === LF) {
                fields.push(unquoted(s, start, q, pairs));
                pos = q + 3;
                line++;
                break fieldLoop;
              }
            }
            return this.halt(s, recStart, recLine); // csv-parse: Invalid Closing Quote
          }
        }
        lastQuoted = false;
        let i = pos;
        for (;;) {
          if (i >= n) {
            if (!end) return this.keep(s, recStart, recLine);
            fields.push(s.slice(pos, i));
            pos = n;
            break fieldLoop;
          }
          const c = s.charCodeAt(i);
          if (c === DELIM) {
            fields.push(s.slice(pos, i));
            pos = i + 1;
            continue fieldLoop;
          }
          if (c > QUOTE) {
            i++;
            continue;
          }
          if (c === LF) {
            fields.push(s.slice(pos, i));
            pos = i + 1;
            line++;
            break fieldLoop;
          }
          if (c === CR) {
            if (i + 1 >= n && !end) return this.keep(s, recStart, recLine);
            if (i + 1 < n && s.charCodeAt(i + 1) === LF) {
              fields.push(s.slice(pos, i));
              pos = i + 2;
              line++;
              break fieldLoop;
            }
            // a lone CR is data, and not a line break for grep -n or sed -n: not counted
          } else if (c === QUOTE) {
            return this.halt(s, recStart, recLine); // csv-parse: Invalid Opening Quote (a quote inside an unquoted field)
          }
          i++;
        }
      }
      if (pos - recStart > limit) return this.halt(s, recStart, recLine);
      // csv-parse skip_empty_lines: a line with nothing on it is no record
      if (fields.length === 1 && !lastQuoted && fields[0] === '') continue records;
      onRecord(recLine, fields);
      fields = [];
      if (++emitted >= maxRecords) break records;
    }
    this.line = line;
    if (pos < n) this.carry = s.slice(pos);
    return true;
  }

  /** The record at recStart is incomplete: keep it for the next piece. */
  private keep(s: string, recStart: number, recLine: number): boolean {
    this.line = recLine;
    if (s.length - recStart > this.limit) return this.halt(s, recStart, recLine);
    this.carry = recStart === 0 ? s : s.slice(recStart);
    return true;
  }

  private halt(s: string, recStart: number, recLine: number): boolean {
    this.line = recLine;
    this.stop = { text: s.slice(recStart), line: recLine, bom: this.bomSkipped && recLine === 1 && recStart === 0 };
    this.carry = '';
    return false;
  }
}

/**
 * The cells of a line handed to a LineCallback, by position: with `cuts` of length
 * `width + 1`, cell k is `s[cuts[k] + 1 .. cuts[k + 1])`. False when the line has
 * more or fewer than `width` cells (`delimiter`: its char code).
 */
export function cutLine(s: string, start: number, end: number, delimiter: number, width: number, cuts: Int32Array): boolean {
  cuts[0] = start - 1;
  let k = 1;
  for (let i = start; i < end; i++) {
    if (s.charCodeAt(i) === delimiter) {
      if (k === width) return false;
      cuts[k++] = i;
    }
  }
  if (k !== width) return false;
  cuts[width] = end;
  return true;
}

function indexOrEnd(s: string, c: string, from: number): number {
  const i = s.indexOf(c, from);
  return i < 0 ? s.length : i;
}

/** A quoted field's value: its text between the quotes, each `""` made one `"`. */
function unquoted(s: string, start: number, end: number, pairs: number): string {
  if (pairs === 0) return s.slice(start, end);
  if (pairs < 64) return s.slice(start, end).replace(/""/g, '"');
  // many pairs: one copy of the code units, every second quote of a pair left out
  const out = new Uint16Array(end - start - pairs);
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    out[k++] = c;
    if (c === QUOTE) i++;
  }
  let value = '';
  for (let j = 0; j < k; j += 8192) value += String.fromCharCode.apply(null, out.subarray(j, Math.min(k, j + 8192)) as unknown as number[]);
  return value;
}
