import { isValidDate, utcMs } from '../time/zone';
import type { Zone } from '../time/zone';

/**
 * SPEC §2 `started_at`: `2026-10-01T09:15:00Z`, `…+01:00`, or with no offset
 * (`T` or a blank between date and time), which is local time in the price list's
 * zone. Seconds and a fraction are optional. Parsed by hand, char by char: this runs
 * once per record on multi-million-row files.
 *
 * Returns the instant in ms, or a string saying what is wrong.
 */
export function parseTimestamp(s: string, zone: Zone): number | string {
  return parseTimestampAt(s, 0, s.length, zone);
}

/**
 * parseTimestamp of the text `s[from..to)`, read where it lies (a cell of a line, with
 * no copy of it): the one parser of both.
 */
export function parseTimestampAt(s: string, from: number, to: number, zone: Zone): number | string {
  const n = to;
  if (to - from < 16 || to - from > 40) return 'expected an ISO 8601 date and time like 2026-10-01T09:15:00Z';
  const y = digits(s, from, 4);
  const mo = digits(s, from + 5, 2);
  const d = digits(s, from + 8, 2);
  const sep = s.charCodeAt(from + 10);
  const h = digits(s, from + 11, 2);
  const mi = digits(s, from + 14, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || s.charCodeAt(from + 4) !== 45 || s.charCodeAt(from + 7) !== 45 || s.charCodeAt(from + 13) !== 58 || (sep !== 84 && sep !== 32 && sep !== 116)) {
    return 'expected an ISO 8601 date and time like 2026-10-01T09:15:00Z';
  }
  let i = from + 16;
  let sec = 0;
  let ms = 0;
  if (i < n && s.charCodeAt(i) === 58) {
    // (bounded: in a line, the text after the cell is not the cell's)
    sec = i + 3 <= n ? digits(s, i + 1, 2) : -1;
    if (sec < 0) return 'expected seconds as two digits after the minutes';
    i += 3;
    if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
      // a fraction of a second: keep milliseconds, they only order records
      let j = i + 1;
      let frac = 0;
      let k = 0;
      while (j < n) {
        const c = s.charCodeAt(j) - 48;
        if (c < 0 || c > 9) break;
        if (k < 3) frac = frac * 10 + c;
        k++;
        j++;
      }
      if (k === 0) return 'expected digits after the decimal point of the seconds';
      while (k < 3) {
        frac *= 10;
        k++;
      }
      ms = frac;
      i = j;
    }
  }
  if (!isValidDate(y, mo, d)) return `no such date ${s.slice(from, from + 10)}`;
  if (h > 23 || mi > 59 || sec > 59) return 'time of day out of range';
  const wall = utcMs(y, mo, d, h, mi, sec, ms);
  const t = instant(s, i, n, wall, zone);
  // an offset can carry 0001-01-01 or 9999-12-31 across the edge of the years dates are written in
  if (typeof t === 'number' && (y === 1 || y === 9999)) {
    const local = zone.toLocal(t);
    if (t < FIRST_MS || t >= END_MS || local < FIRST_MS || local >= END_MS) return 'outside the years 0001 to 9999 (in UTC or in the price list\'s time zone)';
  }
  return t;
}

const FIRST_MS = utcMs(1, 1, 1);
const END_MS = utcMs(9999, 12, 31) + 86_400_000;

/** The instant of a wall-clock time followed by `s[i..n)`: nothing (local), Z, or an offset. */
function instant(s: string, i: number, n: number, wall: number, zone: Zone): number | string {
  if (i === n) return zone.fromLocal(wall);
  const c = s.charCodeAt(i);
  if ((c === 90 || c === 122) && i + 1 === n) return wall;
  if (c === 43 || c === 45) {
    const oh = digits(s, i + 1, 2);
    let om: number;
    if (i + 6 === n && s.charCodeAt(i + 3) === 58) om = digits(s, i + 4, 2);
    else if (i + 5 === n) om = digits(s, i + 3, 2);
    else if (i + 3 === n) om = 0;
    else return 'expected a UTC offset like +01:00';
    if (oh < 0 || om < 0 || oh > 23 || om > 59) return 'expected a UTC offset like +01:00';
    const off = (oh * 60 + om) * 60_000;
    return c === 43 ? wall - off : wall + off;
  }
  return 'unexpected text after the time; expected Z, an offset like +01:00, or nothing (local time)';
}

function digits(s: string, at: number, count: number): number {
  let v = 0;
  for (let k = 0; k < count; k++) {
    const c = s.charCodeAt(at + k) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}
