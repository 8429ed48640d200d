/** Instants and local times as text, for explanations and the --rated file. */

/** `2026-10-22T14:00:00Z` (milliseconds only when there are some). */
export function instantText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Local wall-clock ms as `2026-10-22 15:00:00` (milliseconds only when there are some). */
export function localText(localMs: number): string {
  return new Date(localMs).toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
}

/** `+01:00`, `-03:30`, `+00:00`. */
export function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const m = Math.abs(offsetMs) / 60_000;
  return `${sign}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
