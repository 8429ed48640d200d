import type { RejectedRow } from '../rating/usage-fold';
import { batched, joined } from './chunks';
import { csvLine, textCell } from './csv-cell';

/**
 * The --rejects file (SPEC §6): each bad row with its original cells, then `source`
 * (file:line) and `error`. Inputs may have different headers: the file's columns are
 * the union of the header names in first-seen order (names compared trimmed and
 * case-insensitively), each row under its own file's names; cells beyond a file's
 * header go to extra_1, extra_2, … Every echoed cell is formula-safe.
 */
export function renderRejectsCsv(rows: readonly RejectedRow[], headers: readonly string[][], names: readonly string[], errorText: (r: RejectedRow) => string): string {
  return joined(rejectsCsvChunks(rows, headers, names, errorText));
}

/**
 * The same text in pieces, from rows that may come from disk (reject-spool.ts): `widest`,
 * the most cells of a row per input, saves a pass over them for the extra_N columns.
 */
export function rejectsCsvChunks(rows: Iterable<RejectedRow>, headers: readonly string[][], names: readonly string[], errorText: (r: RejectedRow) => string, widest?: readonly number[]): Generator<string> {
  return batched(rejectLines(rows, headers, names, errorText, widest));
}

function* rejectLines(rows: Iterable<RejectedRow>, headers: readonly string[][], names: readonly string[], errorText: (r: RejectedRow) => string, widest?: readonly number[]): Generator<string> {
  const columns: string[] = [];
  const index = new Map<string, number>();
  const place = headers.map((h) =>
    (h ?? []).map((name) => {
      const key = name.trim().toLowerCase();
      let i = index.get(key);
      if (i === undefined) {
        i = columns.length;
        index.set(key, i);
        columns.push(name.trim());
      }
      return i;
    }),
  );
  let extra = 0;
  if (widest) widest.forEach((n, input) => (extra = Math.max(extra, (n ?? 0) - (headers[input]?.length ?? 0))));
  else for (const r of rows) extra = Math.max(extra, r.fields.length - (headers[r.input]?.length ?? 0));
  for (let k = 1; k <= extra; k++) columns.push(`extra_${k}`);
  const width = columns.length;
  yield csvLine([...columns, 'source', 'error'].map(textCell));
  for (const r of rows) {
    const cells = new Array<string>(width).fill('');
    const pl = place[r.input] ?? [];
    r.fields.forEach((v, i) => {
      const at = i < pl.length ? pl[i]! : width - extra + (i - pl.length);
      cells[at] = v;
    });
    yield csvLine([...cells, `${names[r.input] ?? '?'}:${r.line}`, errorText(r)].map(textCell));
  }
}
