/**
 * Timestamps of platform exports → the ISO 8601 forms SPEC §2 accepts.
 *
 * A timestamp is read into reusable parts (no Date, no allocation but the
 * output string), validated field by field, and written as
 * `YYYY-MM-DDTHH:MM:SS[.fff]` followed by:
 * - the offset the value itself carried (`Z`, `+01:00`), else
 * - the profile's zone: `utc` → `Z`, a fixed `+01:00` → that, `local` → nothing,
 *   which SPEC §2 defines as local time in the price list's timezone (the core
 *   resolves DST gaps and overlaps, not this module).
 * Epoch values are instants and always come out in UTC (`Z`).
 * The calendar (valid dates, days ↔ civil dates, local time → instant) is time/zone's.
 */
import { quoteValue } from '../errors';
import { civilFromDays, DAY_MS, isValidDate, utcMs } from '../time/zone';
import type { Zone as TimeZone } from '../time/zone';
import type { PatternStep, TimestampFormat, Zone } from './types';

export interface TimestampParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the decimal point of the seconds, as written ('' = none). */
  fraction: string;
  /** The offset written in the value, in minutes east of UTC; null when it had none. */
  offset: number | null;
  /** How to write that offset back (`Z` or `+01:00`). */
  offsetText: string;
}

export function newParts(): TimestampParts {
  return { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, fraction: '', offset: null, offsetText: '' };
}

/** Fills `out` from `text`; false when `text` is not a valid timestamp of the format. */
export type TimestampParser = (text: string, out: TimestampParts) => boolean;

const DIGIT_0 = 48;
const DIGIT_9 = 57;

function isDigit(c: number): boolean {
  return c >= DIGIT_0 && c <= DIGIT_9;
}

/** Reads exactly `n` digits at `i`; -1 when they are not all digits. */
function digitsAt(text: string, i: number, n: number): number {
  if (i + n > text.length) return -1;
  let v = 0;
  for (let k = 0; k < n; k++) {
    const c = text.charCodeAt(i + k);
    if (!isDigit(c)) return -1;
    v = v * 10 + (c - DIGIT_0);
  }
  return v;
}

function validDateTime(p: TimestampParts): boolean {
  return isValidDate(p.year, p.month, p.day) && p.hour <= 23 && p.minute <= 59 && p.second <= 59;
}

/**
 * Reads an optional `.fff` at `i` into out.fraction; returns the index after it,
 * or -1 when a point is not followed by digits.
 */
function readFraction(text: string, i: number, out: TimestampParts): number {
  out.fraction = '';
  if (i < text.length && (text.charCodeAt(i) === 46 /* . */ || text.charCodeAt(i) === 44) /* , */) {
    const start = i + 1;
    let j = start;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
    if (j === start || j - start > 9) return -1;
    out.fraction = text.slice(start, j);
    return j;
  }
  return i;
}

/**
 * Reads an ISO offset at `i` to the end: `Z`, `±HH:MM`, `±HHMM`, `±HH`.
 * Returns false when what is there is not one.
 */
function readIsoOffset(text: string, i: number, out: TimestampParts): boolean {
  out.offset = null;
  out.offsetText = '';
  const end = text.length;
  if (i === end) return true;
  const c = text.charCodeAt(i);
  if ((c === 90 /* Z */ || c === 122) /* z */ && i + 1 === end) {
    out.offset = 0;
    out.offsetText = 'Z';
    return true;
  }
  if (c !== 43 /* + */ && c !== 45 /* - */) return false;
  const hh = digitsAt(text, i + 1, 2);
  if (hh < 0) return false;
  let mm = 0;
  const rest = end - (i + 3);
  if (rest === 3 && text.charCodeAt(i + 3) === 58 /* : */) mm = digitsAt(text, i + 4, 2);
  else if (rest === 2) mm = digitsAt(text, i + 3, 2);
  else if (rest !== 0) return false;
  if (mm < 0 || hh > 23 || mm > 59) return false;
  const sign = c === 45 ? -1 : 1;
  out.offset = sign * (hh * 60 + mm);
  out.offsetText = `${c === 45 ? '-' : '+'}${pad2(hh)}:${pad2(mm)}`;
  return true;
}

/** ISO 8601 date and time: `2026-10-01T09:15:00Z`, `2026-10-01 09:15:00.250+01:00`, `2026-10-01T09:15`. */
const parseIso: TimestampParser = (text, out) => {
  const y = digitsAt(text, 0, 4);
  if (y < 0 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return false;
  const mo = digitsAt(text, 5, 2);
  const d = digitsAt(text, 8, 2);
  const sep = text.charCodeAt(10);
  if (mo < 0 || d < 0 || (sep !== 84 /* T */ && sep !== 32 /* space */ && sep !== 116) /* t */) return false;
  const h = digitsAt(text, 11, 2);
  if (h < 0 || text.charCodeAt(13) !== 58) return false;
  const mi = digitsAt(text, 14, 2);
  if (mi < 0) return false;
  let i = 16;
  let s = 0;
  if (text.charCodeAt(16) === 58) {
    s = digitsAt(text, 17, 2);
    if (s < 0) return false;
    i = readFraction(text, 19, out);
    if (i < 0) return false;
  } else {
    out.fraction = '';
  }
  out.year = y;
  out.month = mo;
  out.day = d;
  out.hour = h;
  out.minute = mi;
  out.second = s;
  return readIsoOffset(text, i, out) && validDateTime(out);
};

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];

function skipSpaces(text: string, i: number): number {
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

/**
 * RFC 2822 (RFC 1123) date-time as Twilio and Five9 write it:
 * `Thu, 01 Oct 2026 09:15:00 +0000` (Twilio, GMT), `Thu, 01 Oct 2026 09:15:00`
 * (Five9, no zone: the report's own timezone). The weekday is optional and not
 * checked against the date; zones: `+HHMM`, `-HHMM`, `GMT`, `UT`, `UTC`, `Z`.
 */
const parseRfc2822: TimestampParser = (text, out) => {
  let i = skipSpaces(text, 0);
  // optional "Www,"
  const comma = text.indexOf(',', i);
  if (comma !== -1 && comma - i <= 9) i = skipSpaces(text, comma + 1);
  // day: 1 or 2 digits
  let d = digitsAt(text, i, 2);
  if (d >= 0) i += 2;
  else {
    d = digitsAt(text, i, 1);
    if (d < 0) return false;
    i += 1;
  }
  if (text.charCodeAt(i) !== 32) return false;
  i = skipSpaces(text, i);
  if (i + 3 > text.length) return false;
  const mon = MONTHS.indexOf(text.slice(i, i + 3).toUpperCase());
  if (mon < 0) return false;
  i += 3;
  if (text.charCodeAt(i) !== 32) return false;
  i = skipSpaces(text, i);
  const y = digitsAt(text, i, 4);
  if (y < 0) return false;
  i += 4;
  if (text.charCodeAt(i) !== 32) return false;
  i = skipSpaces(text, i);
  const h = digitsAt(text, i, 2);
  if (h < 0 || text.charCodeAt(i + 2) !== 58) return false;
  const mi = digitsAt(text, i + 3, 2);
  if (mi < 0) return false;
  i += 5;
  let s = 0;
  if (text.charCodeAt(i) === 58) {
    s = digitsAt(text, i + 1, 2);
    if (s < 0) return false;
    i += 3;
  }
  i = readFraction(text, i, out);
  if (i < 0) return false;
  out.year = y;
  out.month = mon + 1;
  out.day = d;
  out.hour = h;
  out.minute = mi;
  out.second = s;
  out.offset = null;
  out.offsetText = '';
  const z = skipSpaces(text, i);
  if (z < text.length) {
    if (z === i) return false; // the zone must be separated by a blank
    const zone = text.slice(z).toUpperCase();
    if (zone === 'GMT' || zone === 'UT' || zone === 'UTC' || zone === 'Z') {
      out.offset = 0;
      out.offsetText = 'Z';
    } else {
      const c = zone.charCodeAt(0);
      if ((c !== 43 && c !== 45) || zone.length !== 5) return false;
      const hh = digitsAt(zone, 1, 2);
      const mm = digitsAt(zone, 3, 2);
      if (hh < 0 || mm < 0 || hh > 23 || mm > 59) return false;
      out.offset = (c === 45 ? -1 : 1) * (hh * 60 + mm);
      out.offsetText = `${zone[0]}${pad2(hh)}:${pad2(mm)}`;
    }
  }
  return validDateTime(out);
};

function compileEpoch(scale: 'seconds' | 'milliseconds'): TimestampParser {
  return (text, out) => {
    // Whole digits, and for seconds up to 3 decimals: exact integer milliseconds.
    const end = text.length;
    if (end === 0 || end > 16) return false;
    let ms = 0;
    let i = 0;
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 46) break;
      if (!isDigit(c)) return false;
      ms = ms * 10 + (c - DIGIT_0);
    }
    if (i === 0) return false;
    if (scale === 'seconds') {
      let frac = 0;
      let n = 0;
      if (i < end) {
        for (let j = i + 1; j < end; j++) {
          const c = text.charCodeAt(j);
          if (!isDigit(c) || ++n > 3) return false;
          frac = frac * 10 + (c - DIGIT_0);
        }
        if (n === 0) return false;
      }
      for (; n < 3; n++) frac *= 10;
      ms = ms * 1000 + frac;
    } else if (i < end) {
      return false;
    }
    const days = Math.floor(ms / DAY_MS);
    let rest = ms - days * DAY_MS;
    civilFromDays(days, out);
    out.hour = Math.floor(rest / 3_600_000);
    rest -= out.hour * 3_600_000;
    out.minute = Math.floor(rest / 60_000);
    rest -= out.minute * 60_000;
    out.second = Math.floor(rest / 1000);
    rest -= out.second * 1000;
    out.fraction = rest === 0 ? '' : String(rest).padStart(3, '0');
    out.offset = 0;
    out.offsetText = 'Z';
    return true;
  };
}

function compilePattern(steps: readonly PatternStep[]): TimestampParser {
  const n = steps.length;
  return (text, out) => {
    out.second = 0;
    out.offset = null;
    out.offsetText = '';
    out.fraction = '';
    let fractionRead = false;
    let hour12 = -1;
    let pm = -1;
    let i = 0;
    for (let k = 0; k < n; k++) {
      const step = steps[k]!;
      if (step.kind === 'literal') {
        if (text.charCodeAt(i) !== step.code) return false;
        i++;
        continue;
      }
      if (step.kind === 'ampm') {
        const a = text.charCodeAt(i) | 0x20;
        const m = text.charCodeAt(i + 1) | 0x20;
        if ((a !== 97 /* a */ && a !== 112) /* p */ || m !== 109 /* m */) return false;
        pm = a === 112 ? 1 : 0;
        i += 2;
        continue;
      }
      if (step.kind === 'offset') {
        i = readPatternOffset(text, i, out);
        if (i < 0) return false;
        continue;
      }
      let v = 0;
      let digits = 0;
      while (digits < step.maxDigits && i < text.length) {
        const c = text.charCodeAt(i);
        if (!isDigit(c)) break;
        v = v * 10 + (c - DIGIT_0);
        digits++;
        i++;
      }
      if (digits < step.minDigits) return false;
      switch (step.part) {
        case 'year':
          out.year = v;
          break;
        case 'month':
          out.month = v;
          break;
        case 'day':
          out.day = v;
          break;
        case 'hour':
          out.hour = v;
          break;
        case 'hour12':
          hour12 = v;
          break;
        case 'minute':
          out.minute = v;
          break;
        case 'second':
          out.second = v;
          break;
      }
      // a fraction of the seconds directly after them (a pattern may go on with an offset)
      if (step.part === 'second') {
        i = readFraction(text, i, out);
        if (i < 0) return false;
        fractionRead = true;
      }
    }
    if (hour12 >= 0) {
      // 12:05 AM is 00:05, 12:05 PM is 12:05
      if (hour12 < 1 || hour12 > 12 || pm < 0) return false;
      out.hour = (hour12 % 12) + (pm === 1 ? 12 : 0);
    }
    const end = fractionRead ? i : readFraction(text, i, out);
    if (end < 0 || end !== text.length) return false;
    return validDateTime(out);
  };
}

/** A pattern's `Z` at `i`: `Z`, `+01:00`, `+0100` or `+01` (more may follow); the index after it, or -1. */
function readPatternOffset(text: string, i: number, out: TimestampParts): number {
  const c = text.charCodeAt(i);
  if (c === 90 /* Z */ || c === 122 /* z */) {
    out.offset = 0;
    out.offsetText = 'Z';
    return i + 1;
  }
  if (c !== 43 /* + */ && c !== 45 /* - */) return -1;
  const hh = digitsAt(text, i + 1, 2);
  if (hh < 0 || hh > 23) return -1;
  let j = i + 3;
  let mm = 0;
  if (text.charCodeAt(j) === 58 /* : */) {
    mm = digitsAt(text, j + 1, 2);
    if (mm < 0) return -1;
    j += 3;
  } else if (digitsAt(text, j, 2) >= 0) {
    mm = digitsAt(text, j, 2);
    j += 2;
  }
  if (mm > 59) return -1;
  out.offset = (c === 45 ? -1 : 1) * (hh * 60 + mm);
  out.offsetText = `${c === 45 ? '-' : '+'}${pad2(hh)}:${pad2(mm)}`;
  return j;
}

/**
 * Compiles a date pattern made of `YYYY`, `MM`, `DD`, `HH` (0–23), `h` or `hh` (1–12,
 * with `AM`, which reads AM or PM), `MM` (minutes: an `MM` after the hour), `SS`, `Z`
 * (a UTC offset: Z, +01:00, +0100) and literal characters (`T` among them), e.g.
 * `DD/MM/YYYY HH:MM:SS` or `MM/DD/YYYY h:MM AM`. Seconds may carry a fraction in
 * the value (`.250`) without the pattern saying so.
 * Returns the steps, or a message saying what is wrong with the pattern.
 */
export function compilePatternSteps(pattern: string): PatternStep[] | string {
  const steps: PatternStep[] = [];
  const seen = new Set<string>();
  let i = 0;
  while (i < pattern.length) {
    const rest = pattern.slice(i);
    let part: Extract<PatternStep, { kind: 'number' }>;
    let width: number;
    if (rest.startsWith('YYYY')) {
      part = { kind: 'number', part: 'year', maxDigits: 4, minDigits: 4 };
      width = 4;
    } else if (rest.startsWith('MM')) {
      part = { kind: 'number', part: seen.has('hour') ? 'minute' : 'month', maxDigits: 2, minDigits: 1 };
      width = 2;
    } else if (rest.startsWith('DD')) {
      part = { kind: 'number', part: 'day', maxDigits: 2, minDigits: 1 };
      width = 2;
    } else if (rest.startsWith('HH')) {
      part = { kind: 'number', part: 'hour', maxDigits: 2, minDigits: 1 };
      width = 2;
    } else if (rest.startsWith('hh') || rest.startsWith('h')) {
      part = { kind: 'number', part: 'hour12', maxDigits: 2, minDigits: 1 };
      width = rest.startsWith('hh') ? 2 : 1;
    } else if (rest.startsWith('SS')) {
      part = { kind: 'number', part: 'second', maxDigits: 2, minDigits: 1 };
      width = 2;
    } else if (rest.startsWith('AM') || rest.startsWith('PM')) {
      if (seen.has('ampm')) return `${quoteValue(pattern)} has AM/PM twice`;
      seen.add('ampm');
      steps.push({ kind: 'ampm' });
      i += 2;
      continue;
    } else if (rest.startsWith('Z')) {
      if (seen.has('offset')) return `${quoteValue(pattern)} has the offset (Z) twice`;
      seen.add('offset');
      steps.push({ kind: 'offset' });
      i += 1;
      continue;
    } else {
      const c = pattern.charCodeAt(i);
      if (c !== 84 /* T */ && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || isDigit(c))) {
        return `unknown element ${quoteValue(pattern[i] ?? '')} in date pattern ${quoteValue(pattern)} (use YYYY, MM, DD, HH or h with AM, MM, SS, Z and separators)`;
      }
      steps.push({ kind: 'literal', code: c });
      i++;
      continue;
    }
    // the 12-hour and the 24-hour hour are both "the hour"
    const name = part.part === 'hour12' ? 'hour' : part.part;
    if (seen.has(name)) return `${quoteValue(pattern)} has the ${name} twice`;
    seen.add(name);
    if (part.part === 'hour12') seen.add('hour12');
    steps.push(part);
    i += width;
  }
  for (const needed of ['year', 'month', 'day', 'hour', 'minute'] as const) {
    if (!seen.has(needed)) return `date pattern ${quoteValue(pattern)} has no ${needed}`;
  }
  if (seen.has('hour12') && !seen.has('ampm')) return `date pattern ${quoteValue(pattern)} has a 12-hour hour (h) but no AM: write HH for a 24-hour hour`;
  if (seen.has('ampm') && !seen.has('hour12')) return `date pattern ${quoteValue(pattern)} has AM but a 24-hour hour (HH): write h for a 12-hour hour`;
  // Numbers not separated by a literal must have their full width ("YYYYMMDD").
  for (let k = 0; k < steps.length; k++) {
    const s = steps[k]!;
    if (s.kind !== 'number') continue;
    const prev = steps[k - 1];
    const next = steps[k + 1];
    if ((prev && prev.kind === 'number') || (next && next.kind === 'number')) s.minDigits = s.maxDigits;
  }
  return steps;
}

export function compileTimestampParser(format: TimestampFormat): TimestampParser {
  switch (format.kind) {
    case 'iso':
      return parseIso;
    case 'rfc2822':
      return parseRfc2822;
    case 'epoch':
      return compileEpoch(format.scale);
    case 'pattern':
      return compilePattern(format.steps);
  }
}

export function describeFormat(format: TimestampFormat): string {
  switch (format.kind) {
    case 'iso':
      return 'an ISO 8601 date and time (2026-10-01T09:15:00Z)';
    case 'rfc2822':
      return 'an RFC 2822 date and time (Thu, 01 Oct 2026 09:15:00 +0000)';
    case 'epoch':
      return format.scale === 'seconds' ? 'a Unix time in seconds' : 'a Unix time in milliseconds';
    case 'pattern':
      return `a date and time as ${format.text}`;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function zoneSuffix(zone: Zone): string {
  switch (zone.kind) {
    case 'local':
      return '';
    case 'utc':
      return 'Z';
    case 'offset':
      return zone.text;
  }
}

/** Parts → `2026-10-01T09:15:00[.fff]` + the value's own offset, else the profile zone's. */
export function formatTimestamp(p: TimestampParts, zone: Zone): string {
  const y = p.year;
  const year = y < 1000 ? String(y).padStart(4, '0') : String(y);
  const base = `${year}-${pad2(p.month)}-${pad2(p.day)}T${pad2(p.hour)}:${pad2(p.minute)}:${pad2(p.second)}`;
  const frac = p.fraction === '' ? '' : `.${p.fraction}`;
  return base + frac + (p.offset === null ? zoneSuffix(zone) : p.offsetText);
}

/**
 * Milliseconds since the epoch, for ordering (de-duplication) and for spans
 * between two timestamps. A time without an offset is read in the profile's zone;
 * a `local` one in the price list's timezone (`local`), with SPEC §2's reading of
 * DST: a time in a gap moves forward by the gap, one that occurs twice is the
 * earlier instant. So a span across a DST change counts the hour that was added
 * or skipped.
 */
export function toEpochMillis(p: TimestampParts, zone: Zone, local: TimeZone): number {
  const frac = p.fraction === '' ? 0 : Number((p.fraction + '00').slice(0, 3));
  const wall = utcMs(p.year, p.month, p.day, p.hour, p.minute, p.second, frac);
  if (p.offset !== null) return wall - p.offset * 60_000;
  switch (zone.kind) {
    case 'local':
      return local.fromLocal(wall);
    case 'utc':
      return wall;
    case 'offset':
      return wall - zone.minutes * 60_000;
  }
}
