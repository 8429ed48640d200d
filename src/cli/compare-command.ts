import { ConfigError, UsageError } from '../errors';
import { compareInvoices } from '../compare/compare-invoices';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice } from '../invoice/types';
import type { Period } from '../rating/rate-record';
import { UsageFold } from '../rating/usage-fold';
import type { FoldOutcome } from '../rating/usage-fold';
import type { CompareRun, CompareSide } from '../render/compare';
import { renderCompareCsv, renderCompareJson, renderCompareTable } from '../render/compare';
import { shownValue } from '../render/terminal-safe';
import { localDate } from '../time/dates';
import { colorWanted, painter } from './colors';
import type { CommandIO } from './invoice-command';
import type { LoadedPrices } from './run-usage';
import { foldInputs, inputNames, noRecordOfPeriod, loadBalances, loadImportProfile, loadPrices, MAX_REPORTED, newContext, parsePeriod, rejectsError, spanPeriod, supersededNotice } from './run-usage';

export interface CompareOptions {
  prices: string;
  against: string;
  period?: string;
  format: string;
  balancesIn?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
}

/**
 * `callbill compare`: the same usage invoiced under price list A (--prices) and B
 * (--against). The inputs are read once and every row goes through two folds, one
 * per list, so standard input works and memory stays flat. Each side is exactly
 * what `invoice` would bill with that list; a row that either list cannot bill
 * stops the comparison (65), since the totals would not be of the same usage.
 */
export async function compareCommand(files: string[], o: CompareOptions, io: CommandIO): Promise<string> {
  const format = o.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`--format: expected table, csv or json, found ${shownValue(format)}`);
  const A = loadPrices(o.prices);
  const B = loadPrices(o.against);
  if (A.prices.currency.code !== B.prices.currency.code) {
    throw new ConfigError([
      {
        file: B.path,
        line: 0,
        column: 0,
        message: `currency ${B.prices.currency.code}, but ${A.path} is in ${A.prices.currency.code}: compare needs both price lists in one currency`,
      },
    ]);
  }
  const ctxA = newContext(A.prices);
  const ctxB = newContext(B.prices);
  // --period is a month in each list's own timezone, as invoice would read it
  const periodA = o.period !== undefined ? parsePeriod(o.period, ctxA.zone) : null;
  const periodB = o.period !== undefined ? parsePeriod(o.period, ctxB.zone) : null;
  const openingA = loadBalances(o.balancesIn, A.prices);
  const openingB = loadBalances(o.balancesIn, B.prices);

  const profile = loadImportProfile(o.import);
  const names = inputNames(files, profile);
  const foldB = new UsageFold(ctxB, { period: periodB, inputNames: names, keepRejects: MAX_REPORTED });
  const { fold: foldA, superseded, inputs } = await foldInputs(files, ctxA, { period: periodA, keepAllRejects: false, profile, alsoInto: [foldB] });
  const notice = supersededNotice(superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  const issueDate = localDate(ctxA.zone, io.now()); // not shown: invoices need one
  const sideOf = (L: LoadedPrices, fold: FoldOutcome, period: Period | null, label: string): { side: CompareSide; invoices: Invoice[] } => {
    const c = fold.counts;
    if (c.rejected > 0) {
      throw rejectsError(fold.rejects, c.rejected, names, `under price list ${label} (${L.path}); nothing was compared (compare needs every row billable under both lists)`);
    }
    if (period && c.billed === 0) {
      throw noRecordOfPeriod(period, inputs, c);
    }
    const effective = period ?? spanPeriod(fold.state.firstMs, fold.state.lastMs, newContext(L.prices).zone);
    const opening = label === 'A' ? openingA : openingB;
    const invoices = effective ? buildInvoices(fold.state, L.prices, { period: effective, periodGiven: period !== null, issueDate, openingBalances: opening }) : [];
    return {
      invoices,
      side: {
        path: L.path,
        sha256: L.sha256,
        period: effective ? { start: effective.start, end: effective.end } : null,
        recordsRead: c.read,
        recordsBilled: c.billed,
        recordsRejected: c.rejected,
        recordsOutsidePeriod: c.outside,
      },
    };
  };
  const a = sideOf(A, foldA, periodA, 'A');
  const b = sideOf(B, foldB, periodB, 'B');
  const run: CompareRun = { comparison: compareInvoices(a.invoices, b.invoices, A.prices.currency.code, A.prices.currency.minor), a: a.side, b: b.side };
  switch (format) {
    case 'json':
      return renderCompareJson(run);
    case 'csv':
      return renderCompareCsv(run);
    case 'table':
      return renderCompareTable(run, await painter(colorWanted(o.color, io.stdout, io.env)));
  }
}
