import { DataError } from '../errors';
import type { RejectedRow } from '../rating/usage-fold';
import { SLASH_DATE } from '../rating/usage-fold';
import { shownValue } from './terminal-safe';

/** SPEC §6: bad rows are listed up to 50, then a count of the rest. */
export const MAX_REPORTED = 50;

/** `file:line: column: message (value)`, as stderr and the rejects file show a bad row. */
export function rejectLine(r: RejectedRow, names: readonly string[]): string {
  const value = r.value === '' ? '' : ` (${shownValue(r.value)})`;
  return `${names[r.input] ?? '?'}:${r.line}: ${r.column}: ${r.message}${value}`;
}

export function rejectsError(rejects: readonly RejectedRow[], total: number, names: readonly string[], hint: string, split?: string, slashDates = 0): DataError {
  // most bad rows have a spreadsheet date in started_at: one line with the pattern to try, not one per row
  const dated = slashDates * 2 > total ? rejects.filter(isSlashDate) : [];
  const listed = dated.length > 0 ? rejects.filter((r) => !isSlashDate(r)) : rejects;
  const details = dated.length > 0 ? [dateHint(dated, slashDates, names)] : [];
  details.push(...listed.slice(0, MAX_REPORTED).map((r) => rejectLine(r, names)));
  const shown = (dated.length > 0 ? slashDates : 0) + Math.min(listed.length, MAX_REPORTED);
  if (total > shown) details.push(`... and ${total - shown} more bad rows`);
  // with --extras (SPEC §8) the bad rows may be of both kinds: say how many of each
  if (split !== undefined) return new DataError(`${total} bad row${total === 1 ? '' : 's'} (${split}); ${hint}`, details);
  return new DataError(`${total} bad usage row${total === 1 ? '' : 's'}; ${hint}`, details);
}

/** With --rejects: the same one line, as a note, when most bad rows have a day- or month-first started_at. */
export function slashDateNotice(rejects: readonly RejectedRow[], total: number, slashDates: number | undefined, names: readonly string[]): string | null {
  if (!slashDates || slashDates * 2 <= total) return null;
  const dated = rejects.filter(isSlashDate);
  return dated.length === 0 ? null : `callbill: note: ${dateHint(dated, slashDates, names)}\n`;
}

function isSlashDate(r: RejectedRow): boolean {
  return r.column === 'started_at' && SLASH_DATE.test(r.value);
}

/**
 * The one line that stands for every row rejected for a day- or month-first started_at:
 * how many, an example and where, and the --date-format to try (docs/reference.md §2.7).
 * Day first when a first number is above 12, month first when a second one is; day
 * first, the more common, when none tells.
 */
function dateHint(dated: readonly RejectedRow[], count: number, names: readonly string[]): string {
  const first = dated[0]!;
  const parts = dated.map((r) => SLASH_DATE.exec(r.value)!);
  const dayFirst = parts.some((m) => Number(m[1]) > 12);
  const monthFirst = !dayFirst && parts.some((m) => Number(m[3]) > 12);
  const m = parts[0]!;
  const sep = m[2]!;
  const date = monthFirst ? `MM${sep}DD${sep}YYYY` : `DD${sep}MM${sep}YYYY`;
  const twelve = m[8] !== undefined;
  const between = /T/.test(first.value) ? 'T' : ' ';
  const ampm = !twelve ? '' : / [AaPp][Mm]$/.test(first.value) ? ' AM' : 'AM';
  const time = `${between}${twelve ? 'h' : 'HH'}:MM${m[7] !== undefined ? ':SS' : ''}${ampm}`;
  const where = `first at ${names[first.input] ?? '?'}:${first.line}`;
  const unsure = !dayFirst && !monthFirst ? ` (or ${`MM${sep}DD${sep}YYYY`} if the month comes first)` : '';
  return `${count} row${count === 1 ? ' has' : 's have'} started_at like ${shownValue(first.value)} (${where}): these look like ${date} dates: try --date-format "${date}${time}"${unsure}`;
}

/** A notice for rows an import profile folded into a later copy of the same record. */
export function supersededNotice(n: number): string | null {
  return n > 0 ? `callbill: ${n} earlier cop${n === 1 ? 'y' : 'ies'} of records replaced by a later copy (import profile de-duplication); they are not counted as records\n` : null;
}

/**
 * When most of a run's records (more than half of the rows read) are outside --period,
 * a note saying which months they are in (docs/reference.md §2.4): a wrong --period or
 * the wrong month's export. Null otherwise. The run and its exit code are unchanged.
 */
export function outsideNotice(counts: { read: number; outside: number; outsideMonths?: Record<string, number> }, period: string | undefined): string | null {
  if (period === undefined || counts.read === 0 || counts.outside * 2 <= counts.read) return null;
  const months = Object.entries(counts.outsideMonths ?? {}).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const shown = months.slice(0, 3).map(([m, n]) => `${m} (${n})`);
  if (months.length > 3) shown.push(`${months.length - 3} other month${months.length === 4 ? '' : 's'}`);
  const where = shown.length === 0 ? '' : `: they are in ${shown.join(', ')}`;
  return `callbill: note: ${counts.outside} of ${counts.read} record${counts.read === 1 ? ' is' : 's are'} outside the period ${period}${where}; is --period right?\n`;
}
