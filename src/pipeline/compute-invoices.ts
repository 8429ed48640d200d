import { DataError } from '../errors';
import type { ImportProfile } from '../import';
import { eachInvoice } from '../invoice/build-invoices';
import type { ControlFigures, Invoice, InvoiceRun } from '../invoice/types';
import type { Dec } from '../money/decimal';
import { ZERO } from '../money/decimal';
import type { PriceList } from '../pricing/types';
import type { InputReading, RatedRecord } from '../rating/rate-record';
import type { RejectSpool } from '../io/reject-spool';
import type { FoldOutcome, RecordFilter, RejectedRow } from '../rating/usage-fold';
import { BalancesWriter } from '../render/balances-csv';
import type { Chunks } from '../render/chunks';
import type { InvoiceWriter, RunTail, TextOut } from '../render/invoice-writer';
import { rejectLine, rejectsError } from '../render/rejected-rows';
import { rejectsCsvChunks } from '../render/rejects-csv';
import { spanPeriod } from '../time/period';
import type { Period } from '../time/period';
import type { Zone } from '../time/zone';
import type { FoldResult, FoldRunOptions } from './fold-inputs';
import { foldInputs, newContext } from './fold-inputs';
import type { LoadedPrices } from './load-inputs';
import type { FoldPool } from './parallel-fold';
import type { ExtrasState } from '../rating/extras-fold';
import { foldExtras } from './extras';
import { UnlistedTally } from './unlisted';
import type { UnlistedOfRun } from './unlisted';

/** What one invoicing run needs, once the command line is read: also what `verify` replays. */
export interface InvoiceJob {
  /** The usage files to read, in order. */
  files: readonly string[];
  /** Their names in messages, control figures and the rejects file (verify: the recorded ones). */
  names: readonly string[];
  loaded: LoadedPrices;
  period: Period | null;
  issueDate: string;
  opening: ReadonlyMap<string, Dec>;
  /** --rejects given: bad rows are set aside and the good ones billed. */
  setAside: boolean;
  /** --import: read every input through this profile. */
  profile?: ImportProfile;
  /** --delimiter, --date-format (default: delimiters found, ISO 8601 dates). */
  reading?: InputReading;
  /** SPEC §8 --extras files, in order (and their names in messages; default: the paths). */
  extras?: readonly string[];
  extrasNames?: readonly string[];
  /** Sees every record billed, in input order (the --rated file). */
  onRated?: (rr: RatedRecord) => void;
  /** Worker threads for --jobs (none: everything on this thread). */
  pool?: FoldPool | null;
  /** The ledger's filter (SPEC §7): skips already-billed and late records, and counts them. */
  ledger?: { skip: RecordFilter; counts: { alreadyBilled: number; late: number }; extrasLate?: (customerId: string, ms: number) => boolean; chunks?: FoldRunOptions['chunks'] };
  /** See FoldRunOptions.onRestart. */
  onRestart?: () => void;
  /** Progress on stderr. */
  onBytes?: (n: number) => void;
  onRecords?: (n: number) => void;
  onPass?: (label: string) => void;
  /** Keep the rejected rows on disk (see FoldRunOptions.spill). */
  spill?: FoldRunOptions['spill'];
  /** Also collect the service report's statistics (`fold.state.stats`). */
  statistics?: boolean;
  /** The caller reads `fold.state.customers` after the run: they are not let go as they are invoiced. */
  keepState?: boolean;
}

export interface InvoiceOutcome {
  /** The control figures (SPEC §5), known once the inputs are read. */
  control: ControlFigures;
  /** Counts and rejects; its state's customers are let go as invoiced, unless the job said keepState. */
  fold: FoldOutcome;
  /** Rows an import profile replaced by a later copy of the same record. */
  superseded: number;
  /**
   * The invoices in customer-id order, each built when it is reached (iterate once):
   * a run writes each before it builds the next, so a month of a million customers
   * never holds its invoices, and each customer's accumulator is let go as its invoice
   * is built, unless the job said keepState.
   */
  invoices: Iterable<Invoice>;
  /**
   * Takes `invoices` (those above, or a list) to every writer one at a time, in order,
   * then `each` (documents); adds up what the run learns from them on the way; after the
   * last, `beforeEnd` (the ledger's post), then ends every writer in the order given with
   * the totals.
   */
  write(invoices: Iterable<Invoice>, writers: readonly InvoiceWriter[], each?: (inv: Invoice) => Promise<void>, beforeEnd?: () => void): Promise<RunEnd>;
  /** The rejects file, rendered piece by piece as it is written. */
  rejectsCsv: () => Chunks;
  /** The --balances-out file, written an invoice at a time. */
  balancesWriter: (out: TextOut) => InvoiceWriter;
  /** The --extras files as read. */
  extrasInputs: Array<{ path: string; sha256: string; rows: number }>;
}

/** What a run knows once every invoice has been written. */
export interface RunEnd extends RunTail {
  /** SPEC §8: fees exist for an invoiced customer but no --period was given: they were left out. */
  feesLeftOut: boolean;
  /** Customers billed under default_plan because they are not listed (docs/reference.md §3.5). */
  unlisted: UnlistedOfRun;
}

/** Rates the usage and makes ready to build the invoices (SPEC §4); throws the run's DataErrors. Writes nothing. */
export async function computeInvoices(job: InvoiceJob): Promise<InvoiceOutcome> {
  const { loaded, period, issueDate, opening } = job;
  const { prices } = loaded;
  const ctx = newContext(prices, job.reading);
  const { fold, inputs, superseded, names } = await foldInputs(job.files, ctx, {
    period,
    keepAllRejects: job.setAside,
    profile: job.profile,
    onRated: job.onRated,
    names: job.names,
    pool: job.pool,
    onBytes: job.onBytes,
    onRecords: job.onRecords,
    onPass: job.onPass,
    skip: job.ledger?.skip,
    chunks: job.ledger?.chunks,
    onRestart: job.onRestart,
    spill: job.spill,
    statistics: job.statistics,
  });
  const c = fold.counts;
  const skipped = job.ledger ? job.ledger.counts.alreadyBilled + job.ledger.counts.late : 0;
  // SPEC §8: the extras files, read with the usage reader, priced with the same context
  const ex = job.extras && job.extras.length > 0 ? await foldExtras(job.extras, ctx, { period, keepAllRejects: job.setAside, names: job.extrasNames, late: job.ledger?.extrasLate }) : null;
  const xc = ex ? ex.fold.counts : { read: 0, billed: 0, rejected: 0, outside: 0, late: 0 };
  // extras rows are reported and set aside like usage rows, under input numbers after the usage inputs'
  const offset = Math.max(names.length, fold.headers.length);
  const allNames = [...names];
  const allRejects = [...fold.rejects];
  const allHeaders = [...fold.headers];
  if (ex) {
    ex.inputs.forEach((inp, i) => (allNames[offset + i] = inp.path));
    ex.fold.headers.forEach((h, i) => (allHeaders[offset + i] = h));
    for (const r of ex.fold.rejects) allRejects.push({ ...r, input: offset + r.input });
  }
  if (c.rejected + xc.rejected > 0 && !job.setAside) {
    const hint = 'nothing was written (give --rejects FILE to set them aside and bill the good rows)';
    if (xc.rejected === 0) throw rejectsError(fold.rejects, c.rejected, names, hint, undefined, c.slashDates);
    throw rejectsError(allRejects, c.rejected + xc.rejected, allNames, hint, `${c.rejected} usage, ${xc.rejected} extras`, c.slashDates);
  }
  if (period && c.billed === 0 && c.rejected === 0 && xc.billed === 0 && xc.rejected === 0 && xc.late === 0 && skipped === 0) throw noRecordOfPeriod(period, inputs, c);
  const control: ControlFigures = {
    recordsRead: c.read,
    recordsBilled: c.billed,
    recordsRejected: c.rejected,
    recordsOutsidePeriod: c.outside,
    ...(job.ledger ? { recordsAlreadyBilled: job.ledger.counts.alreadyBilled, recordsLate: job.ledger.counts.late } : {}),
    extrasRead: xc.read,
    extrasBilled: xc.billed,
    extrasRejected: xc.rejected,
    extrasOutsidePeriod: xc.outside,
    ...(job.ledger ? { extrasLate: xc.late } : {}),
    inputs,
    priceList: { path: loaded.path, sha256: loaded.sha256 },
  };
  // the fold's per-customer state is read no more once invoiced: each is let go as its invoice is built
  const invoices = invoicesOf(fold, prices, ctx.zone, period, issueDate, opening, ex?.fold.state, !job.keepState).invoices;
  return {
    control,
    fold,
    superseded,
    invoices,
    async write(list, writers, each, beforeEnd) {
      const totals: InvoiceRun['totals'] = new Map();
      const unlisted = new UnlistedTally(prices, ex?.fold.state);
      let feesLeftOut = false;
      for (const inv of list) {
        addToTotals(totals, inv);
        feesLeftOut ||= period === null && (prices.plans.get(inv.plan)?.versions ?? []).some((v) => v.fees.length > 0);
        const notes = { unlisted: unlisted.see(inv) };
        for (const w of writers) w.invoice(inv, notes);
        if (each) await each(inv);
      }
      beforeEnd?.();
      const end: RunEnd = { totals, control, feesLeftOut, unlisted: unlisted.result() };
      for (const w of writers) w.end(end);
      return end;
    },
    rejectsCsv: () => {
      // with --rejects the rows wait on disk (reject-spool.ts), else the few kept in memory; extras rejects follow (SPEC §8)
      const spool = fold.spill as RejectSpool | undefined;
      const errorText = (r: RejectedRow) => rejectLine(r, allNames).replace(/^[^ ]+ /, '');
      const extraRows = allRejects.slice(fold.rejects.length);
      if (!spool) return rejectsCsvChunks(allRejects, allHeaders, allNames, errorText);
      if (extraRows.length === 0) return rejectsCsvChunks(spool.rows(), allHeaders, allNames, errorText, spool.widest);
      // without the spool's widths the rows are read twice (for the extra columns): a list can be
      return rejectsCsvChunks([...spool.rows(), ...extraRows], allHeaders, allNames, errorText);
    },
    balancesWriter: (out) => new BalancesWriter(out, opening, prices.currency.minor),
    extrasInputs: ex?.inputs ?? [],
  };
}

/**
 * The whole run as a list, for the commands that need every invoice at once (`report`,
 * `correct`, and the ledger's numbering): the totals are those the writers get.
 */
export async function runOf(out: InvoiceOutcome): Promise<InvoiceRun & RunEnd> {
  const invoices = [...out.invoices];
  return { invoices, ...(await out.write(invoices, [])) };
}

/**
 * The invoices of a fold: for --period, or else for the span of the billed records
 * (none when nothing was billed), built one at a time as they are iterated. The one
 * place `invoice`, `compare` and `verify` build them.
 */
export function invoicesOf(
  fold: FoldOutcome,
  prices: PriceList,
  zone: Zone,
  period: Period | null,
  issueDate: string,
  opening: ReadonlyMap<string, Dec>,
  extras?: ExtrasState,
  release = false,
): { invoices: Iterable<Invoice>; effective: Period | null } {
  // without --period the span covers the extras rows too (SPEC §4.7: records are usage or extras)
  const firsts = [fold.state.firstMs, extras?.firstMs ?? NaN].filter((x) => !Number.isNaN(x));
  const lasts = [fold.state.lastMs, extras?.lastMs ?? NaN].filter((x) => !Number.isNaN(x));
  const effective = period ?? (firsts.length > 0 ? spanPeriod(Math.min(...firsts), Math.max(...lasts), zone) : null);
  const invoices = effective ? eachInvoice(fold.state, prices, { period: effective, periodGiven: period !== null, issueDate, openingBalances: opening, extras, release }) : [];
  return { invoices, effective };
}

/** The totals by currency of invoices in a list. */
export function totalsOf(invoices: readonly Invoice[]): InvoiceRun['totals'] {
  const t: InvoiceRun['totals'] = new Map();
  for (const inv of invoices) addToTotals(t, inv);
  return t;
}

/** Adds an invoice to the run's totals by currency. */
function addToTotals(t: InvoiceRun['totals'], inv: Invoice): void {
  const e = t.get(inv.currency) ?? { minor: inv.minor, subtotal: ZERO, tax: ZERO, total: ZERO };
  t.set(inv.currency, { minor: inv.minor, subtotal: e.subtotal.plus(inv.subtotal), tax: e.tax.plus(inv.tax), total: e.total.plus(inv.total) });
}

/**
 * A --period month the inputs hold no record of (README decision: 65, not an empty bill).
 * Every input is named with what it holds, so the message points at the file to look at.
 */
export function noRecordOfPeriod(period: Period, inputs: FoldResult['inputs'], c: { read: number; outside: number }): DataError {
  const details = inputs.map((i) => `${i.path}: no record of ${period.label} (${i.records === 0 ? 'no records at all, only a header' : `${i.records} record${i.records === 1 ? '' : 's'} read, all outside the month`})`);
  return new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`, details);
}
