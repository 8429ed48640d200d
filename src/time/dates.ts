import { DAY_MS, dayOfIsoDate, isoDateOfDay } from './zone';

/** `YYYY-MM-DD` plus n days (the due date of SPEC §3 `payment_terms_days`). */
export function addDays(iso: string, n: number): string {
  const d = dayOfIsoDate(iso);
  if (d === undefined) throw new Error(`not a date: ${iso}`);
  return isoDateOfDay(d + n);
}

/** Today's date in a zone, from an instant the shell passes in (the core has no clock). */
export function localDate(zone: { toLocal(t: number): number }, nowMs: number): string {
  return isoDateOfDay(Math.floor(zone.toLocal(nowMs) / DAY_MS));
}
