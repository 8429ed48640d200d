import { inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import { DataError, UsageError } from '../errors';
import { readUsageInput } from '../io/read-usage';
import { explainExtrasRow } from '../explain/explain-extras';
import type { ExtrasExplanation } from '../explain/explain-extras';
import type { ExtrasOutcome } from '../rating/extras-fold';
import { parsePeriod, spanPeriod } from '../time/period';
import { foldExtras } from './extras';
import { newContext } from './fold-inputs';
import { loadPrices } from './load-inputs';

export interface ExplainExtrasRequest extends ReadingOptions {
  prices: string;
  period?: string;
  /** The extras files; the row is looked for in the first one named by --extras (or all, by line). */
  extras: readonly string[];
  /** The physical line of the row in its file (as file:line in messages), header = 1. */
  row: string;
}

/**
 * `explain --extras FILE --row N`: reads the extras files as `invoice` does (so the
 * line's quantity sum is the invoice's) and explains the row that starts on line N of
 * the first file. Usage files are not needed: services do not depend on usage.
 */
export async function runExplainExtras(o: ExplainExtrasRequest): Promise<ExtrasExplanation> {
  if (!/^[0-9]{1,9}$/.test(o.row.trim()) || Number(o.row) < 2) throw new UsageError(`--row: expected the line number of a row of the extras file (2 or more; line 1 is the header), found ${JSON.stringify(o.row)}`);
  const wanted = Number(o.row);
  const { prices } = loadPrices(o.prices);
  const ctx = newContext(prices, inputReading(o));
  const period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
  let header: string[] = [];
  let found: { outcome: ExtrasOutcome; fields: string[] } | null = null;
  // the row's own cells, as read (the fold keeps only its sums)
  let fields: string[] | null = null;
  await readUsageInput(
    o.extras[0]!,
    0,
    {
      header: (_i, f) => {
        header = f;
        return [];
      },
      row: (_i, line, f) => {
        if (line === wanted) fields = f;
      },
    },
    { delimiter: ctx.reading.delimiter },
  );
  const ex = await foldExtras(o.extras, ctx, {
    period,
    keepAllRejects: false,
    onRow: (input, line, outcome) => {
      if (input === 0 && line === wanted) found = { outcome, fields: fields ?? [] };
    },
  });
  if (!found) throw new DataError(`${o.extras[0]}: no row starts on line ${wanted} (${ex.fold.rowsPerInput[0] ?? 0} rows read; rows are named by the line they start on, header = line 1)`);
  const f = found as { outcome: ExtrasOutcome; fields: string[] };
  const cells = header.map((h, i) => ({ column: h.trim(), value: f.fields[i] ?? '' }));
  const effective = period ?? spanPeriod(ex.fold.state.firstMs, ex.fold.state.lastMs, ctx.zone);
  const label = effective?.label ?? '';
  return explainExtrasRow(`${o.extras[0]}:${wanted}`, cells, f.outcome, ex.fold.state, prices, period, (id) =>
    prices.invoiceNumber.replace(/\{customer\}/g, id).replace(/\{period\}/g, label),
  );
}
