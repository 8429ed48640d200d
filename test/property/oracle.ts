/**
 * The property tests' own arithmetic: decimal.js with a clone of their own, and rounding
 * written out here from floor and a comparison with one half — not src/money, so a test
 * never takes its expected value from the code under test. Money never becomes a JS number.
 */
import Decimal from 'decimal.js';
import { parse } from 'csv-parse/sync';
import { RatingContext } from '../../src/rating/rate-record';
import type { RatedRecord } from '../../src/rating/rate-record';
import { UsageFold } from '../../src/rating/usage-fold';
import { buildInvoices } from '../../src/invoice/build-invoices';
import { parsePeriod, spanPeriod } from '../../src/time/period';
import { totalsOf } from '../../src/pipeline/compute-invoices';
import { renderJson } from '../../src/render/json';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import type { UsageState } from '../../src/rating/usage-state';
import { mergeState } from '../../src/rating/usage-state';

export const D = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_DOWN });
export type D = Decimal;

export type Mode = 'half-up' | 'half-even';

/** Rounds to `minor` decimals by hand: ties away from zero (half-up) or to even (half-even). */
export function roundBy(x: D, minor: number, mode: Mode): D {
  const scale = new D(10).pow(minor);
  const neg = x.isNegative();
  const a = x.abs().times(scale);
  const floor = a.floor();
  const frac = a.minus(floor);
  const half = new D('0.5');
  let q = floor;
  if (frac.gt(half)) q = floor.plus(1);
  else if (frac.eq(half)) q = mode === 'half-up' || !floor.mod(2).isZero() ? floor.plus(1) : floor;
  const r = q.div(scale);
  return neg ? r.neg() : r;
}

/** True when x sits exactly on half a minor unit: the only place the two modes may differ. */
export function isTie(x: D, minor: number): boolean {
  const a = x.abs().times(new D(10).pow(minor));
  return a.minus(a.floor()).eq(new D('0.5'));
}

/** A money text with exactly `minor` decimals ("1049.92", "-0.50", "1050"). */
export function moneyText(x: D, minor: number): string {
  const s = x.toFixed(minor);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

export interface JsonLine {
  code: string;
  description: string;
  seconds: number | null;
  quantity: string;
  unit: string;
  unit_price: string;
  amount: string;
}
export interface JsonInvoice {
  invoice_number: string;
  customer_id: string;
  customer_name: string;
  plan: string;
  currency: string;
  period: { start: string; end: string };
  lines: JsonLine[];
  subtotal: string;
  tax: string;
  total: string;
  tax_name: string | null;
  tax_rate: string | null;
  tax_note: string | null;
  diversion: { opening_balance: string; fees_charged: number; closing_balance: string; mobile: { records: number; seconds: number; cost: string }; international: { records: number; seconds: number; cost: string } };
  sla: { service_level_percent: string | null; misses: number; credit_percent: string };
  counts: { voice: number; chat: number; abandoned: number; diverted: number };
}
export interface JsonRun {
  invoices: JsonInvoice[];
  totals: Record<string, { subtotal: string; tax: string; total: string }>;
  control: { records_read: number; records_billed: number; records_rejected: number; records_outside_period: number };
}

/**
 * Rates usage held in memory the way the CLI does (one fold over the inputs in order),
 * and renders the SPEC §5 JSON of the run. `chunks` > 1 folds the rows in that many
 * separate folds merged with mergeState, as worker threads would.
 */
export function billRun(pricesYaml: string, inputs: readonly string[], opts: { period?: string; issueDate?: string; chunks?: number; onRated?: (rr: RatedRecord) => void } = {}): { json: JsonRun; text: string } {
  const prices = parsePriceList(pricesYaml, 'prices.yaml');
  const ctx = new RatingContext(prices);
  const period = opts.period ? parsePeriod(opts.period, ctx.zone) : null;
  const names = inputs.map((_, i) => `usage-${i}.csv`);
  const rows: Array<{ input: number; line: number; fields: string[] }> = [];
  const headers: string[][] = [];
  inputs.forEach((csv, input) => {
    const recs = parse(csv, { relax_column_count: true, info: true }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
    headers[input] = recs[0]!.record;
    recs.slice(1).forEach((r) => rows.push({ input, line: r.info.lines, fields: r.record }));
  });
  const chunks = Math.max(1, opts.chunks ?? 1);
  const per = Math.ceil(rows.length / chunks) || 1;
  const seen = new Map<string, number>();
  const seenIds = { check: (id: string, input: number, line: number) => {
    const prev = seen.get(id);
    if (prev !== undefined) return { input: 0, line: prev };
    seen.set(id, line + input * 1e6);
    return undefined;
  } };
  const folds: UsageFold[] = [];
  for (let c = 0; c < chunks; c++) {
    const fold = new UsageFold(ctx, { period, inputNames: names, keepRejects: Infinity, onRated: opts.onRated, seenIds });
    let current = -1;
    for (const r of rows.slice(c * per, (c + 1) * per)) {
      if (r.input !== current) {
        const problems = fold.header(r.input, headers[r.input]!);
        if (problems.length) throw new Error(JSON.stringify(problems));
        current = r.input;
      }
      fold.row(r.input, r.line, r.fields);
    }
    folds.push(fold);
  }
  const state: UsageState = folds.slice(1).reduce((s, f) => mergeState(s, f.state), folds[0]!.state);
  const counts = folds.reduce((a, f) => ({ read: a.read + f.counts.read, billed: a.billed + f.counts.billed, rejected: a.rejected + f.counts.rejected, outside: a.outside + f.counts.outside }), { read: 0, billed: 0, rejected: 0, outside: 0 });
  const eff = period ?? spanPeriod(state.firstMs, state.lastMs, ctx.zone);
  const invoices = eff ? buildInvoices(state, prices, { period: eff, periodGiven: period !== null, issueDate: opts.issueDate ?? '2026-11-01', openingBalances: new Map() }) : [];
  const text = renderJson({
    invoices,
    totals: totalsOf(invoices),
    control: { recordsRead: counts.read, recordsBilled: counts.billed, recordsRejected: counts.rejected, recordsOutsidePeriod: counts.outside, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: 'prices.yaml', sha256: '' } },
  });
  return { json: JSON.parse(text) as JsonRun, text };
}
