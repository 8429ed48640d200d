import type { Band, Channel, PlanVersion } from '../pricing/types';
import { DAY_MS, dayNumber, weekdayOfDay } from '../time/zone';

/** Does a band's every condition hold for a local start time (SPEC §4.3)? */
export function bandMatches(band: Band, channel: Channel, localMs: number, version: PlanVersion): boolean {
  if (channel === 'voice' ? !band.voice : !band.chat) return false;
  const day = dayNumber(localMs);
  if (band.holidays && !version.holidays.has(day)) return false;
  if (band.days && !band.days[weekdayOfDay(day)]) return false;
  if (band.fromMinute !== null && band.toMinute !== null && !inWindow(minuteOfDay(localMs), band.fromMinute, band.toMinute)) return false;
  return true;
}

/** Minutes since local midnight of a local wall-clock ms. */
export function minuteOfDay(localMs: number): number {
  return Math.floor((localMs - dayNumber(localMs) * DAY_MS) / 60_000);
}

/** SPEC §4.3 `from`–`to`: the minutes [from, to), wrapping midnight when to < from. */
export function inWindow(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : minute >= from || minute < to;
}

/** Index of the first band of the version that matches, or -1 (a record matches at most one band). */
export function matchBand(version: PlanVersion, channel: Channel, localMs: number): number {
  const bands = version.bands;
  for (let i = 0; i < bands.length; i++) {
    if (bandMatches(bands[i]!, channel, localMs, version)) return i;
  }
  return -1;
}
