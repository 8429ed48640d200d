import type { Band, Channel, Increment, PlanVersion } from '../pricing/types';
import { bandMatches, inWindow, minuteOfDay } from '../rating/band-match';
import { billableSeconds } from '../rating/billable-seconds';
import { DAY_MS, DAY_NAMES, dayNumber, isoDateOfDay, utcMs, weekdayOfDay } from '../time/zone';
import type { Zone } from '../time/zone';
import { instantText, localText, offsetText } from '../time/text';

export { instantText, localText };

/**
 * The small worked steps of an explanation, as text a person can check with a
 * pencil. Pure; each mirrors one rating rule and says which.
 */

const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/**
 * SPEC §4.2 step by step: `95 s → 30 s first block + 3 × 30 s = 120 s`,
 * `20 s → 30 s first block = 30 s`, `0 s → 0 s`.
 */
export function incrementSteps(d: number, inc: Increment): string {
  const b = billableSeconds(d, inc);
  if (d <= 0) return `${d} s → 0 s`;
  if (d <= inc.first) return `${d} s → ${inc.first} s first block = ${b} s`;
  const blocks = (b - inc.first) / inc.next;
  return `${d} s → ${inc.first} s first block + ${blocks} × ${inc.next} s = ${b} s`;
}

function hhmm(minute: number): string {
  return `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
}

export interface StartInfo {
  given: string;
  /** How the file wrote it: with `Z`, with an offset, or as local time in the price list's zone. */
  given_as: 'utc' | 'offset' | 'local';
  instant: string;
  local: string;
  weekday: string;
  utc_offset: string;
  timezone: string;
  /** A DST remark for a local time that does not exist or occurs twice (SPEC §2). */
  note: string | null;
}

const LOCAL_TS = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?$/;

/** Where a record starts, in every form a reader may need to check it. */
export function startInfo(given: string, startMs: number, zone: Zone): StartInfo {
  const localMs = zone.toLocal(startMs);
  const m = LOCAL_TS.exec(given);
  const givenAs: StartInfo['given_as'] = m ? 'local' : /[zZ]$/.test(given) ? 'utc' : 'offset';
  let note: string | null = null;
  if (m) {
    // utcMs, not Date.UTC: Date.UTC reads the years 0–99 as 1900–1999
    const wall = utcMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0), Number(((m[7] ?? '') + '000').slice(0, 3)));
    if (wall !== localMs) {
      note = `${localText(wall)} does not exist in ${zone.name} (a DST gap): moved forward by the gap to ${localText(localMs)} (docs/reference.md §2)`;
    } else {
      // a wall time that occurs twice: the other reading is an hour (the offset change) later
      const other = wall - zone.offsetAt(startMs + DAY_MS);
      if (other !== startMs && zone.toLocal(other) === wall) {
        note = `${localText(wall)} occurs twice in ${zone.name} (DST fall-back): the earlier instant is taken (docs/reference.md §2)`;
      }
    }
  }
  const day = dayNumber(localMs);
  return {
    given,
    given_as: givenAs,
    instant: instantText(startMs),
    local: localText(localMs),
    weekday: DAY_NAMES[weekdayOfDay(day)]!,
    utc_offset: offsetText(localMs - startMs),
    timezone: zone.name,
    note,
  };
}

export interface BandCheck {
  band: string;
  /** true / false, or null when not looked at because an earlier band matched (first match wins). */
  matches: boolean | null;
  reason: string;
}

function daysList(days: boolean[]): string {
  return WEEK_ORDER.filter((d) => days[d]).map((d) => DAY_NAMES[d]).join(', ');
}

/** Why one band does or does not match (SPEC §4.3): the first condition that fails, or all that hold. */
function bandReason(band: Band, channel: Channel, localMs: number, version: PlanVersion): string {
  const day = dayNumber(localMs);
  const date = isoDateOfDay(day);
  const wd = DAY_NAMES[weekdayOfDay(day)]!;
  const holds: string[] = [];
  if (!(channel === 'voice' ? band.voice : band.chat)) return `for ${band.voice ? 'voice' : 'chat'} only, this is ${channel}`;
  if (band.holidays) {
    if (!version.holidays.has(day)) return `${date} is not one of the version's holidays`;
    holds.push(`${date} is a holiday`);
  }
  if (band.days) {
    if (!band.days[weekdayOfDay(day)]) return `${wd} is not one of ${daysList(band.days)}`;
    holds.push(`${wd} is one of ${daysList(band.days)}`);
  }
  if (band.fromMinute !== null && band.toMinute !== null) {
    const minute = minuteOfDay(localMs);
    const from = band.fromMinute, to = band.toMinute;
    const inside = inWindow(minute, from, to);
    const range = `${hhmm(from)}–${hhmm(to)}${to < from ? ' (wraps midnight)' : ''}`;
    if (!inside) return `${hhmm(minute)} is not in ${range}`;
    holds.push(`${hhmm(minute)} is in ${range}`);
  }
  return holds.length ? holds.join(', ') : 'no condition: every day, all day';
}

/** Every band of the version in order until the first match; the rest are not looked at. */
export function bandChecks(version: PlanVersion, channel: Channel, localMs: number): BandCheck[] {
  const out: BandCheck[] = [];
  let matched = false;
  for (const band of version.bands) {
    if (matched) {
      out.push({ band: band.name, matches: null, reason: 'not looked at: an earlier band matched (the first match wins)' });
      continue;
    }
    const m = bandMatches(band, channel, localMs, version);
    out.push({ band: band.name, matches: m, reason: bandReason(band, channel, localMs, version) });
    matched = m;
  }
  return out;
}
