import { DataError } from '../errors';
import type { ImportProfile } from '../import';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice, InvoiceRun } from '../invoice/types';
import type { Dec } from '../money/decimal';
import { ZERO } from '../money/decimal';
import type { PriceList } from '../pricing/types';
import type { InputReading, RatedRecord } from '../rating/rate-record';
import type { RejectSpool } from '../io/reject-spool';
import type { FoldOutcome, RecordFilter, RejectedRow } from '../rating/usage-fold';
import { balancesChunks } from '../render/balances-csv';
import type { Chunks } from '../render/chunks';
import { invoicesCsvChunks, linesCsvChunks } from '../render/csv';
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
import { unlistedOfRun, unlistedRecordsOf } from './unlisted';
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
  run: InvoiceRun;
  /** Counts and rejects; its state's customers are let go as invoiced, unless the job said keepState. */
  fold: FoldOutcome;
  /** Rows an import profile replaced by a later copy of the same record. */
  superseded: number;
  /**
   * The contents of every file a run may write, all computed before any is written, each
   * rendered piece by piece as it is written (a big month is more than one string holds).
   */
  invoicesCsv: () => Chunks;
  linesCsv: () => Chunks;
  rejectsCsv: () => Chunks;
  balancesCsv: () => Chunks;
  /** SPEC §8: fees exist for an invoiced customer but no --period was given: they were left out. */
  feesLeftOut: boolean;
  /** The --extras files as read. */
  extrasInputs: Array<{ path: string; sha256: string; rows: number }>;
  /** Customers billed under default_plan because they are not listed (docs/reference.md §3.5). */
  unlisted: UnlistedOfRun;
}

/** Rates the usage and builds the invoices (SPEC §4); throws the run's DataErrors. Writes nothing. */
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
  // the records of customers not listed, counted before the per-customer state is let go
  const unlistedRecords = unlistedRecordsOf(prices, fold.state);
  // the fold's per-customer state is read no more once invoiced: each is let go as its invoice is built
  const { invoices } = invoicesOf(fold, prices, ctx.zone, period, issueDate, opening, ex?.fold.state, !job.keepState);
  const feesLeftOut = period === null && invoices.some((inv) => (prices.plans.get(inv.plan)?.versions ?? []).some((v) => v.fees.length > 0));
  const run: InvoiceRun = {
    invoices,
    totals: totalsOf(invoices),
    control: {
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
    },
  };
  return {
    run,
    fold,
    superseded,
    invoicesCsv: () => invoicesCsvChunks(run),
    linesCsv: () => linesCsvChunks(run),
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
    balancesCsv: () => balancesChunks(invoices, opening, prices.currency.minor),
    feesLeftOut,
    extrasInputs: ex?.inputs ?? [],
    unlisted: unlistedOfRun(prices, unlistedRecords, ex?.fold.state, invoices),
  };
}

/**
 * The invoices of a fold: for --period, or else for the span of the billed records
 * (none when nothing was billed). The one place `invoice`, `compare` and `verify` build them.
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
): { invoices: Invoice[]; effective: Period | null } {
  // without --period the span covers the extras rows too (SPEC §4.7: records are usage or extras)
  const firsts = [fold.state.firstMs, extras?.firstMs ?? NaN].filter((x) => !Number.isNaN(x));
  const lasts = [fold.state.lastMs, extras?.lastMs ?? NaN].filter((x) => !Number.isNaN(x));
  const effective = period ?? (firsts.length > 0 ? spanPeriod(Math.min(...firsts), Math.max(...lasts), zone) : null);
  const invoices = effective ? buildInvoices(fold.state, prices, { period: effective, periodGiven: period !== null, issueDate, openingBalances: opening, extras, release }) : [];
  return { invoices, effective };
}

export function totalsOf(invoices: readonly Invoice[]): InvoiceRun['totals'] {
  const t: InvoiceRun['totals'] = new Map();
  for (const inv of invoices) {
    const e = t.get(inv.currency) ?? { minor: inv.minor, subtotal: ZERO, tax: ZERO, total: ZERO };
    t.set(inv.currency, { minor: inv.minor, subtotal: e.subtotal.plus(inv.subtotal), tax: e.tax.plus(inv.tax), total: e.total.plus(inv.total) });
  }
  return t;
}

/**
 * A --period month the inputs hold no record of (README decision: 65, not an empty bill).
 * Every input is named with what it holds, so the message points at the file to look at.
 */
export function noRecordOfPeriod(period: Period, inputs: FoldResult['inputs'], c: { read: number; outside: number }): DataError {
  const details = inputs.map((i) => `${i.path}: no record of ${period.label} (${i.records === 0 ? 'no records at all, only a header' : `${i.records} record${i.records === 1 ? '' : 's'} read, all outside the month`})`);
  return new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`, details);
}
