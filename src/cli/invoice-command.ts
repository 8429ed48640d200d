import { join } from 'node:path';
import { mkdirSync, statSync } from 'node:fs';
import { DataError, OutputError, UsageError } from '../errors';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice, InvoiceRun } from '../invoice/types';
import { writeFilesAtomically } from '../io/atomic-write';
import { StreamedFile } from '../io/streamed-file';
import type { RatedRecord } from '../rating/rate-record';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { ZERO } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { csvLine, numberCell, textCell } from '../render/csv-cell';
import { renderInvoicesCsv, renderLinesCsv } from '../render/csv';
import { renderJson } from '../render/json';
import { renderRejectsCsv } from '../render/rejects-csv';
import { renderTable } from '../render/table';
import { colorWanted, painter } from './colors';
import { foldInputs, inputNames, loadBalances, loadImportProfile, loadPrices, newContext, parseIssueDate, parseJobs, parsePeriod, progressFor, readPrices, rejectLine, rejectsError, spanPeriod, startPool, supersededNotice } from './run-usage';

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
export async function invoiceCommand(files: string[], o: InvoiceOptions, io: CommandIO): Promise<string> {
  const rated = o.rated !== undefined ? StreamedFile.open(o.rated, 'rated') : null;
  try {
    return await invoiceRun(files, o, io, rated);
  } finally {
    rated?.abort();
  }
}

async function invoiceRun(files: string[], o: InvoiceOptions, io: CommandIO, rated: StreamedFile | null): Promise<string> {
  const format = checkFormat(o.format);
  if (o.detail && format !== 'csv') throw new UsageError('--detail goes with --format csv');
  const jobs = parseJobs(o.jobs);
  if (o.out !== undefined) checkOutDir(o.out);
  const pricesBytes = readPrices(o.prices);
  // worker threads read the price list and load the rating code while this thread does
  const pool = startPool(files, jobs, { text: pricesBytes.toString('utf8'), path: o.prices }, o.rated !== undefined || o.import !== undefined);
  let folded;
  let progress: ReturnType<typeof progressFor> | null = null;
  let loaded, ctx, period, issueDate, opening;
  try {
    loaded = loadPrices(o.prices, pricesBytes);
    ctx = newContext(loaded.prices);
    period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
    issueDate = parseIssueDate(o.issueDate, ctx.zone, io.now());
    opening = loadBalances(o.balancesIn, loaded.prices);

    const profile = loadImportProfile(o.import);
    rated?.write(ratedHeaderLine());
    // rows in the order the records are rated: input order (files as given, rows as read)
    const rowNames = inputNames(files, profile);
    const minor = loaded.prices.currency.minor;
    const onRated = rated ? (rr: RatedRecord) => rated.write(ratedCsvRow(rr, rowNames, minor)) : undefined;
    progress = progressFor(files, o.quiet, io.stderr, io.env);
    folded = await foldInputs(files, ctx, {
      period,
      keepAllRejects: o.rejects !== undefined,
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
  const { prices } = loaded;
  const { fold, inputs, superseded, names } = folded;
  const c = fold.counts;
  if (c.rejected > 0 && o.rejects === undefined) {
    throw rejectsError(fold.rejects, c.rejected, names, 'nothing was written (give --rejects FILE to set them aside and bill the good rows)');
  }
  if (period && c.billed === 0 && c.rejected === 0) {
    throw new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`);
  }
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

  const files_: Array<{ path: string; content: string }> = [];
  if (o.out !== undefined) {
    files_.push({ path: join(o.out, 'invoices.json'), content: renderJson(run) });
    files_.push({ path: join(o.out, 'invoices.csv'), content: renderInvoicesCsv(run) });
    files_.push({ path: join(o.out, 'invoice-lines.csv'), content: renderLinesCsv(run) });
  }
  if (o.rejects !== undefined) {
    files_.push({ path: o.rejects, content: renderRejectsCsv(fold.rejects, fold.headers, names, (r) => rejectLine(r, names).replace(/^[^ ]+ /, '')) });
  }
  if (o.balancesOut !== undefined) {
    files_.push({ path: o.balancesOut, content: renderBalances(invoices, opening, prices.currency.minor) });
  }
  writeFilesAtomically(files_, rated ? [rated.finish()] : []);

  const notice = supersededNotice(superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  if (c.rejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.rejected} bad usage row${c.rejected === 1 ? '' : 's'} written to ${o.rejects}\n`);
  switch (format) {
    case 'json':
      return renderJson(run);
    case 'csv':
      return o.detail ? renderLinesCsv(run) : renderInvoicesCsv(run);
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
 * and carried unchanged when the run did not invoice it).
 */
export function renderBalances(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): string {
  const closing = new Map<string, Dec>();
  for (const [id, b] of opening) closing.set(id, b);
  for (const inv of invoices) {
    if (!inv.diversion.closing.isZero() || opening.has(inv.customerId)) closing.set(inv.customerId, inv.diversion.closing);
  }
  let out = csvLine(['customer_id', 'diversion_balance']);
  for (const id of [...closing.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out += csvLine([textCell(id), numberCell(formatMoney(closing.get(id)!, minor))]);
  }
  return out;
}
