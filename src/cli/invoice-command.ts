import { join } from 'node:path';
import { mkdirSync, statSync } from 'node:fs';
import { OutputError, UsageError } from '../errors';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice, InvoiceRun } from '../invoice/types';
import { writeFilesAtomically } from '../io/atomic-write';
import { StreamedFile } from '../io/streamed-file';
import type { RatedRecord } from '../rating/rate-record';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { ZERO } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { csvLine, numberCell, roundTripCell } from '../render/csv-cell';
import { renderInvoicesCsv, renderLinesCsv } from '../render/csv';
import { renderJson } from '../render/json';
import { renderRejectsCsv } from '../render/rejects-csv';
import { renderTable } from '../render/table';
import { terminalSafe } from '../render/terminal-safe';
import type { ImportProfile } from '../import';
import type { Period } from '../rating/rate-record';
import type { FoldOutcome, RecordFilter } from '../rating/usage-fold';
import { addDays } from '../time/dates';
import { dayOfIsoDate, Zone } from '../time/zone';
import { buildAudit } from './audit';
import { colorWanted, painter } from './colors';
import type { LoadedPrices } from './run-usage';
import { foldInputs, inputNames, loadBalancesFile, noRecordOfPeriod, loadImportProfile, loadPrices, newContext, parseIssueDate, parseJobs, parsePeriod, progressFor, readPrices, rejectLine, rejectsError, spanPeriod, startPool, supersededNotice } from './run-usage';
import type { FoldPool } from './parallel-fold';

export interface InvoiceOptions {
  prices: string;
  period?: string;
  format: string;
  detail?: boolean;
  out?: string;
  balancesIn?: string;
  balancesOut?: string;
  rejects?: string;
  issueDate?: string;
  /** Also stream one CSV row per billed record into this file (issue #7). */
  rated?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
  jobs?: string;
}

export interface CommandIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** The command line as given (recorded in the audit of --out). */
  argv?: readonly string[];
}

const FORMATS = ['table', 'csv', 'json'] as const;

export function checkFormat(f: string): (typeof FORMATS)[number] {
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: expected table, csv or json, found ${JSON.stringify(f)}`);
  return f as (typeof FORMATS)[number];
}

/**
 * `callbill invoice`: the main job. Everything is computed before anything is written.
 * `--rated` is the exception that proves it: its rows stream into a temporary file as
 * the records are rated, which is renamed with the other outputs at the end and
 * removed whatever else happens (after the rename, removing the temporary name is a no-op).
 */
export async function invoiceCommand(files: string[], o: InvoiceOptions, io: CommandIO, ledger?: LedgerHooks): Promise<string> {
  const rated = o.rated !== undefined ? StreamedFile.open(o.rated, 'rated') : null;
  try {
    return await invoiceRun(files, o, io, rated, ledger);
  } finally {
    rated?.abort();
  }
}

/**
 * What `issue` and `invoice --ledger` add to the invoicing run (SPEC §7), at three
 * moments: before the calculation (opening balances and the per-record filter from the
 * ledger), after it and before any file is written (numbers; `issue` posts here, so the
 * transaction commits before the files are written), and after the files (notices).
 */
export interface LedgerHooks {
  prepare(run: { loaded: LoadedPrices; period: Period; issueDate: string; balancesIn: ReadonlyMap<string, Dec> }): {
    opening: ReadonlyMap<string, Dec>;
    skip: RecordFilter;
    counts: { alreadyBilled: number; late: number };
  };
  onRated(rr: RatedRecord): void;
  commit(out: InvoiceOutcome): void;
  notices(): string[];
}

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
  /** Sees every record billed, in input order (the --rated file). */
  onRated?: (rr: RatedRecord) => void;
  /** Worker threads for --jobs (none: everything on this thread). */
  pool?: FoldPool | null;
  /** The ledger's filter (SPEC §7): skips already-billed and late records, and counts them. */
  ledger?: { skip: RecordFilter; counts: { alreadyBilled: number; late: number } };
  /** Progress on stderr. */
  onBytes?: (n: number) => void;
  onRecords?: (n: number) => void;
  onPass?: (label: string) => void;
}

export interface InvoiceOutcome {
  run: InvoiceRun;
  fold: FoldOutcome;
  /** Rows an import profile replaced by a later copy of the same record. */
  superseded: number;
  /** The contents of every file a run may write, computed before any is written. */
  invoicesCsv: string;
  linesCsv: string;
  rejectsCsv: string;
  balancesCsv: string;
}

/** Rates the usage and builds the invoices (SPEC §4); throws the run's DataErrors. Writes nothing. */
export async function computeInvoices(job: InvoiceJob): Promise<InvoiceOutcome> {
  const { loaded, period, issueDate, opening } = job;
  const { prices } = loaded;
  const ctx = newContext(prices);
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
  });
  const c = fold.counts;
  const skipped = job.ledger ? job.ledger.counts.alreadyBilled + job.ledger.counts.late : 0;
  if (c.rejected > 0 && !job.setAside) {
    throw rejectsError(fold.rejects, c.rejected, names, 'nothing was written (give --rejects FILE to set them aside and bill the good rows)');
  }
  if (period && c.billed === 0 && c.rejected === 0 && skipped === 0) throw noRecordOfPeriod(period, inputs, c);
  const effective = period ?? spanPeriod(fold.state.firstMs, fold.state.lastMs, ctx.zone);
  const invoices = effective ? buildInvoices(fold.state, prices, { period: effective, periodGiven: period !== null, issueDate, openingBalances: opening }) : [];
  const run: InvoiceRun = {
    invoices,
    totals: totalsOf(invoices),
    control: {
      recordsRead: c.read,
      recordsBilled: c.billed,
      recordsRejected: c.rejected,
      recordsOutsidePeriod: c.outside,
      ...(job.ledger ? { recordsAlreadyBilled: job.ledger.counts.alreadyBilled, recordsLate: job.ledger.counts.late } : {}),
      inputs,
      priceList: { path: loaded.path, sha256: loaded.sha256 },
    },
  };
  return {
    run,
    fold,
    superseded,
    invoicesCsv: renderInvoicesCsv(run),
    linesCsv: renderLinesCsv(run),
    rejectsCsv: renderRejectsCsv(fold.rejects, fold.headers, names, (r) => rejectLine(r, names).replace(/^[^ ]+ /, '')),
    balancesCsv: renderBalances(invoices, opening, prices.currency.minor),
  };
}

async function invoiceRun(files: string[], o: InvoiceOptions, io: CommandIO, rated: StreamedFile | null, ledger?: LedgerHooks): Promise<string> {
  const format = checkFormat(o.format);
  if (o.detail && format !== 'csv') throw new UsageError('--detail goes with --format csv');
  const jobs = parseJobs(o.jobs);
  if (o.out !== undefined) checkOutDir(o.out);
  const pricesBytes = readPrices(o.prices);
  // worker threads read the price list and load the rating code while this thread does
  // a ledger run filters and collects each record on this thread
  const pool = startPool(files, jobs, { text: pricesBytes.toString('utf8'), path: o.prices }, o.rated !== undefined || o.import !== undefined || ledger !== undefined);
  let progress: ReturnType<typeof progressFor> | null = null;
  let loaded: LoadedPrices, period: Period | null, issueDate: string, balances: ReturnType<typeof loadBalancesFile>, out: InvoiceOutcome;
  try {
    loaded = loadPrices(o.prices, o.prices, pricesBytes);
    const { prices } = loaded;
    const zone = new Zone(prices.timezone);
    period = o.period !== undefined ? parsePeriod(o.period, zone) : null;
    issueDate = parseIssueDate(o.issueDate, zone, io.now());
    if (dayOfIsoDate(addDays(issueDate, prices.paymentTermsDays)) === undefined) {
      throw new UsageError(`--issue-date: ${issueDate} plus the price list's payment_terms_days (${prices.paymentTermsDays}) falls after 9999-12-31`);
    }
    balances = loadBalancesFile(o.balancesIn, prices);
    const fromLedger = ledger && period ? ledger.prepare({ loaded, period, issueDate, balancesIn: balances.balances }) : undefined;

    const profile = loadImportProfile(o.import);
    rated?.write(ratedHeaderLine());
    // rows in the order the records are rated: input order (files as given, rows as read)
    const rowNames = inputNames(files, profile);
    const toRated = rated ? (rr: RatedRecord) => rated.write(ratedCsvRow(rr, rowNames, prices.currency.minor)) : undefined;
    const onRated = ledger ? (rr: RatedRecord) => (toRated?.(rr), ledger.onRated(rr)) : toRated;
    progress = progressFor(files, o.quiet, io.stderr, io.env);
    out = await computeInvoices({
      files,
      names: files,
      loaded,
      period,
      issueDate,
      opening: fromLedger ? fromLedger.opening : balances.balances,
      ledger: fromLedger,
      setAside: o.rejects !== undefined,
      profile,
      onRated,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
    });
  } finally {
    progress?.done();
    await pool?.close();
  }
  // SPEC §7: numbers, and for `issue` the post, before any file is written
  ledger?.commit(out);
  const { run } = out;
  const c = run.control;

  const files_: Array<{ path: string; content: string }> = [];
  if (o.out !== undefined) {
    const audit = buildAudit({ argv: io.argv ?? [], options: o, loaded, period, issueDate, balances, inputs: c.inputs, outcome: out });
    files_.push({ path: join(o.out, 'invoices.json'), content: renderJson(run, audit) });
    files_.push({ path: join(o.out, 'invoices.csv'), content: out.invoicesCsv });
    files_.push({ path: join(o.out, 'invoice-lines.csv'), content: out.linesCsv });
  }
  if (o.rejects !== undefined) files_.push({ path: o.rejects, content: out.rejectsCsv });
  if (o.balancesOut !== undefined) files_.push({ path: o.balancesOut, content: out.balancesCsv });
  writeFilesAtomically(files_, rated ? [rated.finish()] : []);

  const notice = supersededNotice(out.superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  if (ledger && !o.quiet) for (const n of ledger.notices()) io.stderr.write(n + '\n');
  if (c.recordsRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.recordsRejected} bad usage row${c.recordsRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
  switch (format) {
    case 'json':
      // SPEC §5's shape on stdout; the audit goes only into --out's invoices.json
      return renderJson(run);
    case 'csv':
      return o.detail ? out.linesCsv : out.invoicesCsv;
    case 'table':
      return renderTable(run, await painter(colorWanted(o.color, io.stdout, io.env)));
  }
}

function checkOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    throw new OutputError(`${dir}: cannot create the output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
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
 * `--balances-out` (SPEC §4.4): every invoiced customer with a non-zero closing
 * balance, and every customer with an opening row (kept even when it drops to 0,
 * and carried unchanged when the run did not invoice it). Ids are spreadsheet-safe
 * and read back exactly by --balances-in (roundTripCell / unprefixCell).
 */
export function renderBalances(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): string {
  const closing = new Map<string, Dec>();
  for (const [id, b] of opening) closing.set(id, b);
  for (const inv of invoices) {
    if (!inv.diversion.closing.isZero() || opening.has(inv.customerId)) closing.set(inv.customerId, inv.diversion.closing);
  }
  let out = csvLine(['customer_id', 'diversion_balance']);
  for (const id of [...closing.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out += csvLine([roundTripCell(id), numberCell(formatMoney(closing.get(id)!, minor))]);
  }
  return out;
}
