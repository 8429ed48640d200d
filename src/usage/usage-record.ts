import type { Channel } from '../pricing/types';
import type { Zone } from '../time/zone';
import { idProblem, isPlainAscii } from './id-text';
import { parseTimestamp, parseTimestampAt } from './timestamp';
import { DecimalMark } from './decimal-mark';
import type { DateFormat } from './date-format';

/** The numbers of a comma-separated file: decimal points (no state: shared). */
export const POINT_NUMBERS = new DecimalMark(',');

export type DiversionKind = 'mobile' | 'international';

/** One usage row as read and checked (SPEC §2), with where it came from. */
export interface UsageRecord {
  recordId: string;
  customerId: string;
  channel: Channel;
  /** started_at as written in the file. */
  startedAt: string;
  startMs: number;
  /** Handled time in whole seconds (fractions rounded up). */
  durationSeconds: number;
  /** Response time in milliseconds, or null when unknown. */
  responseMs: number | null;
  abandoned: boolean;
  diversion: DiversionKind | null;
  /** Destination digits after normalisation; '' when none. */
  destination: string;
  /** The destination cell as written (for messages). */
  destinationText: string;
  /** Onward leg in whole seconds (defaults to the duration). */
  divertedSeconds: number;
  input: number;
  line: number;
}

export interface RowProblem {
  column: string;
  message: string;
  value: string;
}

export const COLUMNS = [
  'record_id',
  'customer_id',
  'channel',
  'started_at',
  'duration_seconds',
  'response_seconds',
  'status',
  'diversion',
  'destination',
  'diverted_seconds',
] as const;
export type ColumnName = (typeof COLUMNS)[number];
const REQUIRED_COLUMNS: readonly ColumnName[] = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds'];

/** Index of each known column in a file's rows; -1 when the file lacks it. */
export type ColumnMap = Record<ColumnName, number>;

export type HeaderResult = { ok: true; columns: ColumnMap } | { ok: false; problems: Array<{ column: number; message: string }> };

/** Finds the SPEC §2 columns by name, case-insensitively, blanks trimmed; other columns are ignored. */
export function mapHeader(header: readonly string[]): HeaderResult {
  const columns = Object.fromEntries(COLUMNS.map((c) => [c, -1])) as ColumnMap;
  const problems: Array<{ column: number; message: string }> = [];
  header.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(COLUMNS as readonly string[]).includes(name)) return;
    const key = name as ColumnName;
    if (columns[key] >= 0) {
      problems.push({ column: i + 1, message: `column ${key} appears twice in the header (columns ${columns[key] + 1} and ${i + 1})` });
      return;
    }
    columns[key] = i;
  });
  // a price list given where usage belongs: one message that names it, not one per missing column
  if (REQUIRED_COLUMNS.every((r) => columns[r] < 0) && looksLikeYaml(header.join(','))) {
    return { ok: false, problems: [{ column: 0, message: YAML_NOT_USAGE }] };
  }
  for (const r of REQUIRED_COLUMNS) {
    if (columns[r] < 0) problems.push({ column: 0, message: `missing required column ${r} (the header has: ${header.map((h) => h.trim()).join(', ')})` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, columns };
}

const YAML_NOT_USAGE = 'this looks like a YAML file (a price list?), not a usage CSV: give the price list with -p FILE, and the usage files after the options';

/** A first line as a YAML file starts: a comment, a document marker, or `key: value`. */
export function looksLikeYaml(firstLine: string): boolean {
  return /^\s*(#|---(\s|$)|%YAML|[A-Za-z_][\w-]*:(\s|$))/.test(firstLine);
}

/** Longest duration we accept: keeps every sum of seconds an exact integer in a JS number. */
const MAX_SECONDS = 10_000_000;

/**
 * Whole seconds of a non-negative decimal, a fraction counting as a whole second
 * (SPEC §2: 95.2 → 96). Returns -1 when the text is not such a number.
 */
export function parseSeconds(s: string): number {
  return parseSecondsAt(s, 0, s.length, POINT);
}

const POINT = 46;
const COMMA = 44;

/**
 * parseSeconds of the text `s[from..to)`, read where it lies, with `mark` (a char
 * code) as its decimal mark (-1: none may appear).
 */
function parseSecondsAt(s: string, from: number, to: number, mark: number): number {
  // any number of digits: `12.000…001` (40 digits) is 13 s exactly; a whole part too big
  // for exact arithmetic is far above MAX_SECONDS, which the caller refuses by name
  if (to === from) return -1;
  let v = 0;
  let i = from;
  for (; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (i === from) return -1;
  if (i < to) {
    if (s.charCodeAt(i) !== mark || i + 1 === to) return -1;
    let up = 0;
    for (let j = i + 1; j < to; j++) {
      const c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return -1;
      if (c !== 0) up = 1;
    }
    v += up;
  }
  return v;
}

/** Milliseconds of a non-negative decimal with at most 3 decimals (1 to 9 digits before the point); -1 when not one. */
export function parseMillis(s: string): number {
  return parseMillisAt(s, 0, s.length, POINT);
}

/** parseMillis of the text `s[from..to)`, read where it lies, with `mark` as its decimal mark (-1: none may appear). */
function parseMillisAt(s: string, from: number, to: number, mark: number): number {
  const n = to - from;
  if (n === 0 || n > 13) return -1;
  let v = 0;
  let i = from;
  for (; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  if (i === from || i - from > 9) return -1;
  let ms = 0;
  if (i < to) {
    const decimals = to - i - 1;
    if (s.charCodeAt(i) !== mark || decimals < 1 || decimals > 3) return -1;
    for (let j = i + 1; j < to; j++) {
      const c = s.charCodeAt(j) - 48;
      if (c < 0 || c > 9) return -1;
      ms = ms * 10 + c;
    }
    ms *= decimals === 1 ? 100 : decimals === 2 ? 10 : 1;
  }
  return v * 1000 + ms;
}

/** SPEC §2: `+`, a leading `00`, blanks, `-`, `.`, `(`, `)` are dropped, leaving digits. */
function normaliseDestination(s: string): string | null {
  let t = s.replace(/[\s\-.()]/g, '');
  if (t.startsWith('+')) t = t.slice(1);
  else if (t.startsWith('00')) t = t.slice(2);
  return /^[0-9]{1,32}$/.test(t) ? t : null;
}


/**
 * Checks one row against SPEC §2 and builds the record. `get(col)` returns the cell
 * of a known column ('' when the file has no such column). `num`: the file's decimal
 * mark (decimal-mark.ts); `dates`: --date-format, else ISO 8601.
 */
export function parseUsageRow(
  get: (c: ColumnName) => string,
  zone: Zone,
  input: number,
  line: number,
  num: DecimalMark = POINT_NUMBERS,
  dates: DateFormat | null = null,
): UsageRecord | RowProblem {
  // checked before trim(): it would silently drop a U+FEFF or a line separator at an end
  const recordRaw = get('record_id');
  const recordId = recordRaw.trim();
  if (recordId === '') return { column: 'record_id', message: 'must not be empty', value: '' };
  if (!isPlainAscii(recordRaw)) {
    const p = idProblem(recordRaw);
    if (p !== null) return { column: 'record_id', message: p, value: recordId };
  }
  const customerRaw = get('customer_id');
  const customerId = customerRaw.trim();
  if (customerId === '') return { column: 'customer_id', message: 'must not be empty', value: '' };
  if (!isPlainAscii(customerRaw)) {
    const p = idProblem(customerRaw);
    if (p !== null) return { column: 'customer_id', message: p, value: customerId };
  }
  const chRaw = get('channel');
  // the usual spellings first: trim() and toLowerCase() per row add up over millions
  let ch: Channel;
  if (chRaw === 'voice') ch = 'voice';
  else if (chRaw === 'chat') ch = 'chat';
  else {
    const t = chRaw.trim().toLowerCase();
    if (t !== 'voice' && t !== 'chat') return { column: 'channel', message: 'expected voice or chat', value: chRaw };
    ch = t === 'voice' ? 'voice' : 'chat';
  }
  const startedAt = get('started_at').trim();
  const startMs = dates === null ? parseTimestamp(startedAt, zone) : dates.instant(startedAt, zone);
  if (typeof startMs === 'string') return { column: 'started_at', message: startMs, value: startedAt };
  const durRaw = get('duration_seconds').trim();
  const durText = num.text(durRaw);
  if (durText === null) return { column: 'duration_seconds', message: num.problem, value: durRaw };
  const durationSeconds = parseSeconds(durText);
  if (durationSeconds < 0) return { column: 'duration_seconds', message: 'expected a non-negative number of seconds', value: durRaw };
  if (durationSeconds > MAX_SECONDS) return { column: 'duration_seconds', message: `longer than ${MAX_SECONDS} seconds`, value: durRaw };
  const respRaw = get('response_seconds').trim();
  let responseMs: number | null = null;
  if (respRaw !== '') {
    const respText = num.text(respRaw);
    if (respText === null) return { column: 'response_seconds', message: num.problem, value: respRaw };
    responseMs = parseMillis(respText);
    if (responseMs < 0) return { column: 'response_seconds', message: 'expected a non-negative number of seconds with at most 3 decimals, or nothing', value: respRaw };
    if (responseMs > MAX_SECONDS * 1000) return { column: 'response_seconds', message: `longer than ${MAX_SECONDS} seconds`, value: respRaw };
  }
  const stRaw = get('status');
  let abandoned = false;
  if (stRaw !== '' && stRaw !== 'answered') {
    const st = stRaw.trim().toLowerCase();
    if (st === 'abandoned') abandoned = true;
    else if (st !== '' && st !== 'answered') return { column: 'status', message: 'expected answered, abandoned or nothing', value: stRaw };
  }
  const dvRaw = get('diversion');
  let diversion: UsageRecord['diversion'] = null;
  if (dvRaw !== '') {
    const dv = dvRaw.trim().toLowerCase();
    if (dv === 'mobile') diversion = 'mobile';
    else if (dv === 'international') diversion = 'international';
    else if (dv !== '' && dv !== 'none') return { column: 'diversion', message: 'expected none, mobile, international or nothing', value: dvRaw };
  }
  let destination = '';
  const dstRaw = get('destination');
  if (diversion === 'international') {
    const d = normaliseDestination(dstRaw);
    if (d === null) return { column: 'destination', message: 'an international diversion needs the number diverted to (digits, optionally with +, 00, blanks, -, ., brackets)', value: dstRaw };
    destination = d;
  } else if (diversion === 'mobile' && dstRaw.trim() !== '') {
    destination = normaliseDestination(dstRaw) ?? '';
  }
  let divertedSeconds = durationSeconds;
  const dsRaw = get('diverted_seconds').trim();
  if (dsRaw !== '') {
    const dsText = num.text(dsRaw);
    if (dsText === null) return { column: 'diverted_seconds', message: num.problem, value: dsRaw };
    divertedSeconds = parseSeconds(dsText);
    if (divertedSeconds < 0) return { column: 'diverted_seconds', message: 'expected a non-negative number of seconds, or nothing', value: dsRaw };
    if (divertedSeconds > MAX_SECONDS) return { column: 'diverted_seconds', message: `longer than ${MAX_SECONDS} seconds`, value: dsRaw };
  }
  return {
    recordId,
    customerId,
    channel: ch,
    startedAt,
    startMs,
    durationSeconds,
    responseMs,
    abandoned,
    diversion,
    destination,
    destinationText: dstRaw,
    divertedSeconds,
    input,
    line,
  };
}

/**
 * The plain row, read where it lies in its line instead of cut into a string per
 * cell: cell k of the line is `s[cuts[k] + 1 .. cuts[k + 1])`. When every cell the
 * row uses is in its plain form — ids of printable ASCII with no blank, the usual
 * words in any case, numbers of digits with the file's decimal mark, a timestamp
 * with nothing around it — fills `into` as parseUsageRow would and returns true.
 * Otherwise it returns false having changed nothing but `into`, and parseUsageRow
 * reads the row: it alone decides every other form, and words every problem.
 * `mark`: the char code of the file's decimal mark, -1 while it is not decided.
 * Of the texts only `customerId` (one string per customer, from `ids`) and, with a
 * diversion, the destination's are set: `recordId` and `startedAt` are left '' —
 * the caller hashes the id in place, and a row the price list cannot rate is read
 * again by parseUsageRow for its message.
 */
export function readPlainRow(s: string, cuts: Int32Array, cols: ColumnMap, zone: Zone, mark: number, ids: IdTexts, into: UsageRecord): boolean {
  let c = cols.record_id;
  let a = cuts[c]! + 1;
  let b = cuts[c + 1]!;
  if (!plainId(s, a, b)) return false;
  c = cols.customer_id;
  a = cuts[c]! + 1;
  b = cuts[c + 1]!;
  if (!plainId(s, a, b)) return false;
  const ca = a;
  const cb = b;
  c = cols.channel;
  a = cuts[c]! + 1;
  b = cuts[c + 1]!;
  let ch: Channel;
  if (isWord(s, a, b, 'voice')) ch = 'voice';
  else if (isWord(s, a, b, 'chat')) ch = 'chat';
  else return false;
  c = cols.started_at;
  a = cuts[c]! + 1;
  b = cuts[c + 1]!;
  // nothing for trim() to take away (a cell this short is refused below anyway)
  if (b - a < 16 || !isPrintable(s.charCodeAt(a)) || !isPrintable(s.charCodeAt(b - 1))) return false;
  const startMs = parseTimestampAt(s, a, b, zone);
  if (typeof startMs !== 'number') return false;
  c = cols.duration_seconds;
  const durationSeconds = parseSecondsAt(s, cuts[c]! + 1, cuts[c + 1]!, mark);
  if (durationSeconds < 0 || durationSeconds > MAX_SECONDS) return false;
  c = cols.response_seconds;
  let responseMs: number | null = null;
  if (c >= 0 && cuts[c + 1]! > cuts[c]! + 1) {
    responseMs = parseMillisAt(s, cuts[c]! + 1, cuts[c + 1]!, mark);
    if (responseMs < 0 || responseMs > MAX_SECONDS * 1000) return false;
  }
  c = cols.status;
  let abandoned = false;
  if (c >= 0) {
    a = cuts[c]! + 1;
    b = cuts[c + 1]!;
    if (b > a && !isWord(s, a, b, 'answered')) {
      if (isWord(s, a, b, 'abandoned')) abandoned = true;
      else return false;
    }
  }
  c = cols.diversion;
  let diversion: DiversionKind | null = null;
  if (c >= 0) {
    a = cuts[c]! + 1;
    b = cuts[c + 1]!;
    if (b > a && !isWord(s, a, b, 'none')) {
      if (isWord(s, a, b, 'mobile')) diversion = 'mobile';
      else if (isWord(s, a, b, 'international')) diversion = 'international';
      else return false;
    }
  }
  let destination = '';
  let destinationText = '';
  if (diversion !== null) {
    c = cols.destination;
    destinationText = c >= 0 ? s.slice(cuts[c]! + 1, cuts[c + 1]!) : '';
    if (diversion === 'international') {
      const d = normaliseDestination(destinationText);
      if (d === null) return false;
      destination = d;
    } else if (destinationText.trim() !== '') {
      destination = normaliseDestination(destinationText) ?? '';
    }
  }
  c = cols.diverted_seconds;
  let divertedSeconds = durationSeconds;
  if (c >= 0 && cuts[c + 1]! > cuts[c]! + 1) {
    divertedSeconds = parseSecondsAt(s, cuts[c]! + 1, cuts[c + 1]!, mark);
    if (divertedSeconds < 0 || divertedSeconds > MAX_SECONDS) return false;
  }
  into.recordId = '';
  into.customerId = ids.text(s, ca, cb);
  into.channel = ch;
  into.startedAt = '';
  into.startMs = startMs;
  into.durationSeconds = durationSeconds;
  into.responseMs = responseMs;
  into.abandoned = abandoned;
  into.diversion = diversion;
  into.destination = destination;
  into.destinationText = destinationText;
  into.divertedSeconds = divertedSeconds;
  return true;
}

/** The char code of a decimal mark, for readPlainRow: -1 while none is decided. */
export function markCode(mark: '.' | ',' | null): number {
  return mark === '.' ? POINT : mark === ',' ? COMMA : -1;
}

/** A record to read plain rows into (readPlainRow), reused row after row. */
export function plainRecord(): UsageRecord {
  return { recordId: '', customerId: '', channel: 'voice', startedAt: '', startMs: 0, durationSeconds: 0, responseMs: null, abandoned: false, diversion: null, destination: '', destinationText: '', divertedSeconds: 0, input: 0, line: 0 };
}

/** Printable ASCII other than the blank: nothing trim() removes, nothing idProblem refuses. */
function isPrintable(c: number): boolean {
  return c > 0x20 && c < 0x7f;
}

/** A non-empty id of printable ASCII with no blank: the id as parseUsageRow keeps it, with no problem. */
function plainId(s: string, a: number, b: number): boolean {
  if (b === a) return false;
  for (let i = a; i < b; i++) if (!isPrintable(s.charCodeAt(i))) return false;
  return true;
}

/** The cell is `word` (lower-case ASCII letters) in any case: what trim().toLowerCase() makes `word` with no blanks around it. */
function isWord(s: string, a: number, b: number, word: string): boolean {
  if (b - a !== word.length) return false;
  // c | 0x20 is a lower-case letter only for that letter and its upper case
  for (let i = 0; i < word.length; i++) if ((s.charCodeAt(a + i) | 0x20) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * One string per distinct id text read in place (a small direct-mapped table): a
 * customer's rows share one string, which is not cut anew per row and whose hash
 * the maps keep. Strings are copies, never slices that would keep a chunk alive.
 */
export class IdTexts {
  private readonly texts: string[] = new Array<string>(1024).fill('');

  text(s: string, a: number, b: number): string {
    let h = b - a;
    for (let i = a; i < b; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
    const slot = h & 1023;
    const known = this.texts[slot]!;
    if (known.length === b - a) {
      let i = 0;
      while (i < known.length && known.charCodeAt(i) === s.charCodeAt(a + i)) i++;
      if (i === known.length) return known;
    }
    const t = b - a < 13 ? s.slice(a, b) : (' ' + s.slice(a, b)).slice(1);
    this.texts[slot] = t;
    return t;
  }
}

/** Records and rated records have no `message`; a problem always has one. */
export function isProblem<T extends object>(r: T | RowProblem): r is RowProblem {
  return (r as RowProblem).message !== undefined;
}
