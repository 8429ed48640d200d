/**
 * The `callbill import-check` preview: the first rows of a file as callbill
 * reads them through a profile, in the SPEC §2 columns. Pure: rows in, text out
 * (no colour, so it pipes and diffs cleanly).
 */
import { quoteValue } from '../errors';
import { terminalSafe } from '../render/terminal-safe';
import { CANONICAL_COLUMNS } from './types';
import type { MappedRecord } from './types';

/** Cells longer than this are cut with "…" so that a table stays readable in a terminal. */
const MAX_CELL = 32;

function cell(value: string): string {
  const oneLine = value.replace(/[\r\n\t]+/g, ' ');
  // an export's cell goes to a terminal: an ESC sequence or a bidi override must show, not act
  return terminalSafe(oneLine.length > MAX_CELL ? `${oneLine.slice(0, MAX_CELL - 1)}…` : oneLine);
}

/**
 * A plain-text table of the first `max` rows: a `line` column (where the row
 * starts in the file), then the ten usage columns. A row the profile could not
 * map is shown on one line as `error: <column>: <message> ("<value>")`.
 * Ends with a count of the rows not shown, if any, and a newline.
 */
export function renderImportPreview(rows: MappedRecord[], max: number): string {
  const shown = rows.slice(0, Math.max(0, max));
  const header = ['line', ...CANONICAL_COLUMNS];
  const table: string[][] = [];
  const errors = new Map<number, string>();
  shown.forEach((r, i) => {
    if (r.ok) {
      table.push([String(r.line), ...CANONICAL_COLUMNS.map((c) => cell(r.row[c]))]);
    } else {
      table.push([String(r.line)]);
      // SPEC §6 style: `column: what is wrong (the value)`; an empty value says so in the message.
      const value = r.value === '' ? '' : ` (${terminalSafe(quoteValue(r.value))})`;
      errors.set(i, `error: ${r.column}: ${r.message}${value}`);
    }
  });
  const widths = header.map((h, c) => Math.max(h.length, ...table.filter((row) => row.length > 1).map((row) => (row[c] ?? '').length)));
  widths[0] = Math.max(widths[0]!, ...table.map((row) => row[0]!.length));
  const render = (cells: string[]): string =>
    cells
      .map((v, c) => (c === 0 ? v.padStart(widths[0]!) : v.padEnd(widths[c]!)))
      .join('  ')
      .trimEnd();
  const out: string[] = [render(header), render(widths.map((w) => '-'.repeat(w)))];
  table.forEach((row, i) => {
    const err = errors.get(i);
    out.push(err === undefined ? render(row) : `${row[0]!.padStart(widths[0]!)}  ${err}`);
  });
  if (shown.length === 0) out.push('(no rows)');
  const rest = rows.length - shown.length;
  if (rest > 0) out.push(`… ${rest} more row${rest === 1 ? '' : 's'} not shown`);
  const bad = rows.filter((r) => !r.ok).length;
  out.push(`${rows.length} row${rows.length === 1 ? '' : 's'} read, ${bad} could not be mapped`);
  return `${out.join('\n')}\n`;
}
