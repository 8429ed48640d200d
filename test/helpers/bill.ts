import { parse } from 'csv-parse/sync';
import { buildInvoices } from '../../src/invoice/build-invoices';
import type { Invoice } from '../../src/invoice/types';
import type { Dec } from '../../src/money/decimal';
import { RatingContext } from '../../src/rating/rate-record';
import { UsageFold } from '../../src/rating/usage-fold';
import { ExtrasFold } from '../../src/rating/extras-fold';
import { parsePeriod, spanPeriod } from '../../src/time/period';
import { prices as parsePrices } from './prices';

export interface Billed {
  invoices: Invoice[];
  fold: UsageFold;
  extras: ExtrasFold | null;
}

/** Rates usage CSV text (header first) with a price list, all in memory. */
export function bill(pricesYaml: string, csv: string, opts: { period?: string; opening?: Map<string, Dec>; extras?: string } = {}): Billed {
  const prices = parsePrices(pricesYaml);
  const ctx = new RatingContext(prices);
  const period = opts.period ? parsePeriod(opts.period, ctx.zone) : null;
  const fold = new UsageFold(ctx, { period, inputNames: ['usage.csv'], keepRejects: Infinity });
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  const problems = fold.header(0, rows[0]!);
  if (problems.length) throw new Error(JSON.stringify(problems));
  rows.slice(1).forEach((r, i) => fold.row(0, i + 2, r));
  let extras: ExtrasFold | null = null;
  if (opts.extras !== undefined) {
    extras = new ExtrasFold(ctx, { period, keepRejects: Infinity });
    const xrows = parse(opts.extras, { relax_column_count: true }) as string[][];
    const xp = extras.header(0, xrows[0]!);
    if (xp.length) throw new Error(JSON.stringify(xp));
    xrows.slice(1).forEach((r, i) => extras!.row(0, i + 2, r));
  }
  const firstMs = [fold.state.firstMs, extras?.state.firstMs ?? NaN].filter((x) => !Number.isNaN(x));
  const lastMs = [fold.state.lastMs, extras?.state.lastMs ?? NaN].filter((x) => !Number.isNaN(x));
  const eff = period ?? (firstMs.length ? spanPeriod(Math.min(...firstMs), Math.max(...lastMs), ctx.zone) : null);
  const invoices = eff
    ? buildInvoices(fold.state, prices, { period: eff, periodGiven: period !== null, issueDate: '2026-11-01', openingBalances: opts.opening ?? new Map(), extras: extras?.state })
    : [];
  return { invoices, fold, extras };
}

/** The lines of one invoice as [code, seconds, amount] for compact assertions. */
export function lines(inv: Invoice | undefined): Array<[string, number | null, string]> {
  if (!inv) throw new Error('no invoice');
  return inv.lines.map((l) => [l.code, l.seconds, l.amount.toFixed(inv.minor)]);
}

export const CSV_HEAD = 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,status,diversion,destination,diverted_seconds\n';
