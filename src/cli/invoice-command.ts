import { join } from 'node:path';
import { UsageError } from '../errors';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice, InvoiceRun } from '../invoice/types';
import { OutputPlan } from '../io/output-plan';
import type { StreamedFile } from '../io/streamed-file';
import type { RatedRecord } from '../rating/rate-record';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { ZERO } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { batched } from '../render/chunks';
import type { Chunks } from '../render/chunks';
import { csvLine, numberCell, roundTripCell } from '../render/csv-cell';
import { invoicesCsvChunks, linesCsvChunks } from '../render/csv';
import { jsonChunks } from '../render/json';
import { rejectsCsvChunks } from '../render/rejects-csv';
import { tableChunks } from '../render/table';
import { terminalSafe } from '../render/terminal-safe';
import type { ImportProfile } from '../import';
import type { Period } from '../rating/rate-record';
import type { FoldOutcome } from '../rating/usage-fold';
import { addDays } from '../time/dates';
import { dayOfIsoDate, Zone } from '../time/zone';
import { buildAudit } from './audit';
import { colorWanted, painter } from './colors';
import type { RejectSpool } from '../io/reject-spool';
import type { RejectedRow } from '../rating/usage-fold';
import type { FoldRunOptions, LoadedPrices } from './run-usage';
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
export async function invoiceCommand(files: string[], o: InvoiceOptions, io: CommandIO): Promise<Chunks> {
  // every output is checked against the inputs and the others before anything is read
  const plan = planInvoiceOutputs(files, o, io);
  try {
    const rated = o.rated !== undefined ? plan.stage(o.rated) : null;
    return await invoiceRun(files, o, io, rated, plan);
  } finally {
    plan.abort();
  }
}

const OUT_FILES = ['invoices.json', 'invoices.csv', 'invoice-lines.csv'] as const;

/** The outputs of `invoice` and the files it reads (SPEC §6: an output never replaces an input or another output). */
export function planInvoiceOutputs(files: readonly string[], o: InvoiceOptions, io: CommandIO): OutputPlan {
  const outputs = [
    ...(o.out !== undefined ? OUT_FILES.map((n) => ({ option: '--out', path: join(o.out!, n) })) : []),
    ...(o.rejects !== undefined ? [{ option: '--rejects', path: o.rejects }] : []),
    ...(o.balancesOut !== undefined ? [{ option: '--balances-out', path: o.balancesOut }] : []),
    ...(o.rated !== undefined ? [{ option: '--rated', path: o.rated }] : []),
  ];
  const inputs = [
    ...files.map((path) => ({ what: 'the usage file', path })),
    { what: 'the price list', path: o.prices },
    ...(o.balancesIn !== undefined ? [{ what: 'the balances file', path: o.balancesIn }] : []),
    ...(o.import !== undefined && (/[\\/]/.test(o.import) || /\.ya?ml$/i.test(o.import)) ? [{ what: 'the import profile', path: o.import }] : []),
  ];
  return OutputPlan.prepare({
    folders: o.out !== undefined ? [{ option: '--out', path: o.out }] : [],
    files: outputs,
    inputs,
    stdoutFd: (io.stdout as { fd?: number }).fd,
  });
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
  /** Progress on stderr. */
  onBytes?: (n: number) => void;
  onRecords?: (n: number) => void;
  onPass?: (label: string) => void;
  /** Keep the rejected rows on disk (see FoldRunOptions.spill). */
  spill?: FoldRunOptions['spill'];
}

export interface InvoiceOutcome {
  run: InvoiceRun;
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
    spill: job.spill,
  });
  const c = fold.counts;
  if (c.rejected > 0 && !job.setAside) {
    throw rejectsError(fold.rejects, c.rejected, names, 'nothing was written (give --rejects FILE to set them aside and bill the good rows)');
  }
  if (period && c.billed === 0 && c.rejected === 0) throw noRecordOfPeriod(period, inputs, c);
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
      const spool = fold.spill as RejectSpool | undefined;
      const errorText = (r: RejectedRow) => rejectLine(r, names).replace(/^[^ ]+ /, '');
      return spool ? rejectsCsvChunks(spool.rows(), fold.headers, names, errorText, spool.widest) : rejectsCsvChunks(fold.rejects, fold.headers, names, errorText);
    },
    balancesCsv: () => balancesChunks(invoices, opening, prices.currency.minor),
  };
}

async function invoiceRun(files: string[], o: InvoiceOptions, io: CommandIO, rated: StreamedFile | null, plan: OutputPlan): Promise<Chunks> {
  const format = checkFormat(o.format);
  if (o.detail && format !== 'csv') throw new UsageError('--detail goes with --format csv');
  const jobs = parseJobs(o.jobs, o.quiet ? undefined : (m) => io.stderr.write(m));
  const pricesBytes = readPrices(o.prices);
  // worker threads read the price list and load the rating code while this thread does
  const pool = startPool(files, jobs, { text: pricesBytes.toString('utf8'), path: o.prices }, o.rated !== undefined || o.import !== undefined);
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

    const profile = loadImportProfile(o.import);
    rated?.write(ratedHeaderLine());
    // rows in the order the records are rated: input order (files as given, rows as read)
    const rowNames = inputNames(files, profile);
    const onRated = rated ? (rr: RatedRecord) => rated.write(ratedCsvRow(rr, rowNames, prices.currency.minor)) : undefined;
    progress = progressFor(files, o.quiet, io.stderr, io.env);
    out = await computeInvoices({
      files,
      names: files,
      loaded,
      period,
      issueDate,
      opening: balances.balances,
      setAside: o.rejects !== undefined,
      profile,
      onRated,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
      // the rejected rows wait on disk, beside the --rejects file (a huge month has millions)
      spill: o.rejects !== undefined ? () => plan.spool(o.rejects!) : undefined,
    });
  } finally {
    progress?.done();
    await pool?.close();
  }
  const { run } = out;
  const c = run.control;

  // each file written piece by piece to its temporary name, with its SHA-256 for the audit
  const write = (path: string, chunks: Chunks): string => {
    const f = plan.stage(path, { hashed: true });
    for (const chunk of chunks) f.write(chunk);
    return f.sha256();
  };
  const rejectsSha = o.rejects !== undefined ? write(o.rejects, out.rejectsCsv()) : null;
  const balancesSha = o.balancesOut !== undefined ? write(o.balancesOut, out.balancesCsv()) : null;
  if (o.out !== undefined) {
    const hashes = { invoicesCsv: write(join(o.out, 'invoices.csv'), out.invoicesCsv()), linesCsv: write(join(o.out, 'invoice-lines.csv'), out.linesCsv()), rejects: rejectsSha, balances: balancesSha };
    const audit = buildAudit({ argv: io.argv ?? [], options: o, loaded, period, issueDate, balances, inputs: c.inputs, outputs: hashes });
    write(join(o.out, 'invoices.json'), jsonChunks(run, audit));
  }
  plan.commit();

  const notice = supersededNotice(out.superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  if (c.recordsRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.recordsRejected} bad usage row${c.recordsRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
  switch (format) {
    case 'json':
      // SPEC §5's shape on stdout; the audit goes only into --out's invoices.json
      return jsonChunks(run);
    case 'csv':
      return o.detail ? out.linesCsv() : out.invoicesCsv();
    case 'table':
      return tableChunks(run, await painter(colorWanted(o.color, io.stdout, io.env)));
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
export function balancesChunks(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): Generator<string> {
  return batched(balanceLines(invoices, opening, minor));
}

function* balanceLines(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): Generator<string> {
  const closing = new Map<string, Dec>();
  for (const [id, b] of opening) closing.set(id, b);
  for (const inv of invoices) {
    if (!inv.diversion.closing.isZero() || opening.has(inv.customerId)) closing.set(inv.customerId, inv.diversion.closing);
  }
  yield csvLine(['customer_id', 'diversion_balance']);
  for (const id of [...closing.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    yield csvLine([roundTripCell(id), numberCell(formatMoney(closing.get(id)!, minor))]);
  }
}
