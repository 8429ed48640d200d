import { UsageError } from '../errors';
import { shownValue } from '../render/terminal-safe';
import { localDate } from './dates';
import { DAY_MS, daysInMonth, isoDateOfDay, isValidDate, utcMs } from './zone';
import type { Zone } from './zone';

/** A billing period: [startMs, endMs) in instants, with its local dates. */
export interface Period {
  startMs: number;
  endMs: number;
  /** First and last local dates, YYYY-MM-DD. */
  start: string;
  end: string;
  /** `2026-10` for a --period month; `2026-10-01_2026-10-31` otherwise (SPEC §3 invoice_number). */
  label: string;
}

/** `--period YYYY-MM`: the local calendar month in the price list's zone. */
export function parsePeriod(text: string, zone: Zone): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]), mo = Number(m?.[2]);
  if (!m || !isValidDate(y, mo, 1)) throw new UsageError(`--period: expected a month YYYY-MM, found ${shownValue(text)}`);
  const last = daysInMonth(y, mo);
  const ny = mo === 12 ? y + 1 : y, nmo = mo === 12 ? 1 : mo + 1;
  return {
    startMs: zone.fromLocal(utcMs(y, mo, 1)),
    endMs: zone.fromLocal(utcMs(ny, nmo, 1)),
    start: `${m[1]}-${m[2]}-01`,
    end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`,
    label: text,
  };
}

/** `--issue-date YYYY-MM-DD`; by default today in the price list's zone. */
export function parseIssueDate(text: string | undefined, zone: Zone, now: number): string {
  if (text === undefined) return localDate(zone, now);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new UsageError(`--issue-date: expected a date YYYY-MM-DD, found ${shownValue(text)}`);
  }
  return text;
}

/** Without --period: one period from the first to the last billed record's local date. */
export function spanPeriod(firstMs: number, lastMs: number, zone: Zone): Period | null {
  if (Number.isNaN(firstMs)) return null;
  const startDay = Math.floor(zone.toLocal(firstMs) / DAY_MS);
  const endDay = Math.floor(zone.toLocal(lastMs) / DAY_MS);
  const start = isoDateOfDay(startDay);
  const end = isoDateOfDay(endDay);
  return {
    startMs: zone.fromLocal(startDay * DAY_MS),
    endMs: zone.fromLocal((endDay + 1) * DAY_MS),
    start,
    end,
    label: `${start}_${end}`,
  };
}
