import { inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import { compareInvoices } from '../compare/compare-invoices';
import { ConfigError } from '../errors';
import type { Invoice } from '../invoice/types';
import { UsageFold } from '../rating/usage-fold';
import type { FoldOutcome } from '../rating/usage-fold';
import type { CompareRun, CompareSide } from '../render/compare';
import { MAX_REPORTED, rejectsError, supersededNotice } from '../render/rejected-rows';
import { localDate } from '../time/dates';
import { parsePeriod } from '../time/period';
import type { Period } from '../time/period';
import { invoicesOf, noRecordOfPeriod } from './compute-invoices';
import { foldInputs, inputNames, newContext } from './fold-inputs';
import { loadBalances, loadImportProfile, loadPrices } from './load-inputs';
import type { LoadedPrices } from './load-inputs';

export interface CompareRequest extends ReadingOptions {
  files: string[];
  /** Price list A. */
  prices: string;
  /** Price list B. */
  against: string;
  period?: string;
  balancesIn?: string;
  import?: string;
  now: number;
  /** A notice for stderr (the caller decides whether it shows). */
  notice: (text: string) => void;
}

/**
 * `compare`: the same usage invoiced under price list A (--prices) and B (--against).
 * The inputs are read once and every row goes through two folds, one per list, so
 * standard input works and memory stays flat. Each side is exactly what `invoice`
 * would bill with that list; a row that either list cannot bill stops the comparison
 * (65), since the totals would not be of the same usage.
 */
export async function runCompare(r: CompareRequest): Promise<CompareRun> {
  const files = r.files;
  const A = loadPrices(r.prices);
  const B = loadPrices(r.against);
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
  const reading = inputReading(r);
  const ctxA = newContext(A.prices, reading);
  const ctxB = newContext(B.prices, reading);
  // --period is a month in each list's own timezone, as invoice would read it
  const periodA = r.period !== undefined ? parsePeriod(r.period, ctxA.zone) : null;
  const periodB = r.period !== undefined ? parsePeriod(r.period, ctxB.zone) : null;
  const openingA = loadBalances(r.balancesIn, A.prices);
  const openingB = loadBalances(r.balancesIn, B.prices);

  const profile = loadImportProfile(r.import);
  const names = inputNames(files, profile);
  const foldB = new UsageFold(ctxB, { period: periodB, inputNames: names, keepRejects: MAX_REPORTED });
  const { fold: foldA, superseded, inputs } = await foldInputs(files, ctxA, { period: periodA, keepAllRejects: false, profile, alsoInto: [foldB] });
  const notice = supersededNotice(superseded);
  if (notice) r.notice(notice);
  const issueDate = localDate(ctxA.zone, r.now); // not shown: invoices need one
  const sideOf = (L: LoadedPrices, fold: FoldOutcome, period: Period | null, label: string): { side: CompareSide; invoices: Invoice[] } => {
    const c = fold.counts;
    if (c.rejected > 0) {
      throw rejectsError(fold.rejects, c.rejected, names, `under price list ${label} (${L.path}); nothing was compared (compare needs every row billable under both lists)`, undefined, c.slashDates);
    }
    if (period && c.billed === 0) {
      throw noRecordOfPeriod(period, inputs, c);
    }
    const opening = label === 'A' ? openingA : openingB;
    const { invoices, effective } = invoicesOf(fold, L.prices, (label === 'A' ? ctxA : ctxB).zone, period, issueDate, opening);
    return {
      invoices: [...invoices],
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
  return { comparison: compareInvoices(a.invoices, b.invoices, A.prices.currency.code, A.prices.currency.minor), a: a.side, b: b.side };
}
