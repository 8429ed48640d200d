import { DataError } from '../errors';
import type { RejectedRow } from '../rating/usage-fold';
import { shownValue } from './terminal-safe';

/** SPEC §6: bad rows are listed up to 50, then a count of the rest. */
export const MAX_REPORTED = 50;

/** `file:line: column: message (value)`, as stderr and the rejects file show a bad row. */
export function rejectLine(r: RejectedRow, names: readonly string[]): string {
  const value = r.value === '' ? '' : ` (${shownValue(r.value)})`;
  return `${names[r.input] ?? '?'}:${r.line}: ${r.column}: ${r.message}${value}`;
}

export function rejectsError(rejects: readonly RejectedRow[], total: number, names: readonly string[], hint: string, split?: string): DataError {
  const details = rejects.slice(0, MAX_REPORTED).map((r) => rejectLine(r, names));
  if (total > MAX_REPORTED) details.push(`... and ${total - MAX_REPORTED} more bad rows`);
  // with --extras (SPEC §8) the bad rows may be of both kinds: say how many of each
  if (split !== undefined) return new DataError(`${total} bad row${total === 1 ? '' : 's'} (${split}); ${hint}`, details);
  return new DataError(`${total} bad usage row${total === 1 ? '' : 's'}; ${hint}`, details);
}

/** A notice for rows an import profile folded into a later copy of the same record. */
export function supersededNotice(n: number): string | null {
  return n > 0 ? `callbill: ${n} earlier cop${n === 1 ? 'y' : 'ies'} of records replaced by a later copy (import profile de-duplication); they are not counted as records\n` : null;
}
