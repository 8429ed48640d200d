/**
 * Durations as exact integers of microseconds.
 *
 * SPEC §2 takes durations as decimal strings and ARCHITECTURE forbids floating
 * point where it could change a value, so a duration is read digit by digit
 * into an integer count of microseconds (exact for every input this accepts:
 * at most 6 decimals of a second, 3 of a millisecond), summed as an integer,
 * and written back as a decimal string with no trailing zeros
 * (95200 ms → 95200000 µs → "95.2").
 * Integer parts are capped so that every value stays below 2^53.
 */
import type { DurationUnit } from './types';

/** Returned by the parsers for a value they cannot read. */
export const INVALID = -1;

const MICROS_PER_SECOND = 1_000_000;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const DOT = 46;
const COLON = 58;

/**
 * Reads `text` (digits, optionally `.` and at most `fractionDigits` digits) as an
 * integer scaled by 10^fractionDigits; INVALID when it is not such a number or
 * has more than `maxIntegerDigits` digits before the point.
 */
function readScaled(text: string, start: number, end: number, fractionDigits: number, maxIntegerDigits: number): number {
  let value = 0;
  let i = start;
  let intDigits = 0;
  for (; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === DOT) break;
    if (c < DIGIT_0 || c > DIGIT_9) return INVALID;
    value = value * 10 + (c - DIGIT_0);
    intDigits++;
  }
  if (intDigits === 0 && i === end) return INVALID;
  // Leading zeros do not count against the cap: "0000095" is 95.
  if (intDigits > maxIntegerDigits && value >= 10 ** maxIntegerDigits) return INVALID;
  let frac = 0;
  let fracDigits = 0;
  if (i < end) {
    // text[i] is '.'
    i++;
    if (i === end) return INVALID; // "95." is not a number a finance user meant
    for (; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c < DIGIT_0 || c > DIGIT_9) return INVALID;
      fracDigits++;
      if (fracDigits > fractionDigits) {
        // Only zeros may go beyond the precision we keep ("1.5000000" is fine).
        if (c !== DIGIT_0) return INVALID;
        continue;
      }
      frac = frac * 10 + (c - DIGIT_0);
    }
    if (intDigits === 0 && fracDigits === 0) return INVALID;
  }
  for (let k = Math.min(fracDigits, fractionDigits); k < fractionDigits; k++) frac *= 10;
  return value * 10 ** fractionDigits + frac;
}

/** `95`, `95.2`, `0.000001` seconds → microseconds. */
export function parseSeconds(text: string): number {
  return readScaled(text, 0, text.length, 6, 9);
}

/** `95200`, `95200.5` milliseconds → microseconds. */
export function parseMilliseconds(text: string): number {
  return readScaled(text, 0, text.length, 3, 12);
}

/**
 * `H:MM:SS`, `HH:MM:SS.fff` (hours may exceed 24) or `M:SS` → microseconds.
 * Minutes and seconds after a colon must be below 60.
 */
export function parseClock(text: string): number {
  const end = text.length;
  const first = text.indexOf(':');
  if (first <= 0) return INVALID;
  const second = text.indexOf(':', first + 1);
  let hours = 0;
  let minutes: number;
  let secondsStart: number;
  if (second === -1) {
    // M:SS — minutes unbounded
    minutes = readScaled(text, 0, first, 0, 7);
    if (minutes === INVALID) return INVALID;
    secondsStart = first + 1;
  } else {
    if (text.indexOf(':', second + 1) !== -1) return INVALID;
    hours = readScaled(text, 0, first, 0, 6);
    if (hours === INVALID) return INVALID;
    minutes = readScaled(text, first + 1, second, 0, 2);
    if (minutes === INVALID || minutes >= 60 || second - first - 1 !== 2) return INVALID;
    secondsStart = second + 1;
  }
  // seconds: two digits, optional fraction
  if (end - secondsStart < 2) return INVALID;
  const c0 = text.charCodeAt(secondsStart);
  const c1 = text.charCodeAt(secondsStart + 1);
  if (c0 < DIGIT_0 || c0 > DIGIT_9 || c1 < DIGIT_0 || c1 > DIGIT_9) return INVALID;
  if (secondsStart + 2 < end && text.charCodeAt(secondsStart + 2) !== DOT) return INVALID;
  const seconds = readScaled(text, secondsStart, end, 6, 2);
  if (seconds === INVALID || seconds >= 60 * MICROS_PER_SECOND) return INVALID;
  // Hours and minutes are whole numbers: no point before the seconds.
  for (let i = 0; i < secondsStart; i++) {
    const c = text.charCodeAt(i);
    if (c !== COLON && (c < DIGIT_0 || c > DIGIT_9)) return INVALID;
  }
  return (hours * 3600 + minutes * 60) * MICROS_PER_SECOND + seconds;
}

export function parseDuration(text: string, unit: DurationUnit): number {
  switch (unit) {
    case 'seconds':
      return parseSeconds(text);
    case 'milliseconds':
      return parseMilliseconds(text);
    case 'hh:mm:ss':
      return parseClock(text);
  }
}

/** What the unit expects, for messages. */
export function describeUnit(unit: DurationUnit): string {
  switch (unit) {
    case 'seconds':
      return 'a number of seconds (at most 6 decimals)';
    case 'milliseconds':
      return 'a number of milliseconds (at most 3 decimals)';
    case 'hh:mm:ss':
      return 'a time span HH:MM:SS or M:SS (seconds may have decimals)';
  }
}

/** Microseconds → decimal seconds with no trailing zeros: 95200000 → "95.2", 60000000 → "60". */
export function formatMicros(micros: number): string {
  const whole = Math.floor(micros / MICROS_PER_SECOND);
  const frac = micros - whole * MICROS_PER_SECOND;
  if (frac === 0) return String(whole);
  let digits = String(frac).padStart(6, '0');
  let end = digits.length;
  while (digits.charCodeAt(end - 1) === DIGIT_0) end--;
  digits = digits.slice(0, end);
  return `${whole}.${digits}`;
}
