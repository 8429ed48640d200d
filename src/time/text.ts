/** Instants and local times as text, for explanations and the --rated file. */

/** `2026-10-22T14:00:00Z` (milliseconds only when there are some). */
export function instantText(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** Local wall-clock ms as `2026-10-22 15:00:00` (milliseconds only when there are some). */
export function localText(localMs: number): string {
  return new Date(localMs).toISOString().replace('T', ' ').replace(/\.000Z$/, '').replace(/Z$/, '');
}

/** `+01:00`, `-03:30`, `+00:00`; a local mean time before standard zones has seconds: `-00:36:45`. */
export function offsetText(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  const total = Math.round(Math.abs(offsetMs) / 1000);
  const two = (n: number): string => String(n).padStart(2, '0');
  const hm = `${sign}${two(Math.floor(total / 3600))}:${two(Math.floor(total / 60) % 60)}`;
  return total % 60 === 0 ? hm : `${hm}:${two(total % 60)}`;
}
