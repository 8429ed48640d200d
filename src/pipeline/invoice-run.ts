import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsErrorText, OutputError, UsageError } from '../errors';
import type { StreamedFile } from '../io/streamed-file';
import type { RatedRecord } from '../rating/rate-record';
import { renderJson } from '../render/json';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { addDays } from '../time/dates';
import { parseIssueDate, parsePeriod } from '../time/period';
import { dayOfIsoDate, Zone } from '../time/zone';
import { buildAudit } from './audit';
import type { AuditedOptions } from './audit';
import { computeInvoices } from './compute-invoices';
import type { InvoiceOutcome } from './compute-invoices';
import { inputNames, progressFor, startPool } from './fold-inputs';
import { checkInputs, loadBalancesFile, loadImportProfile, loadPrices, readPrices } from './load-inputs';

/** `invoice` as the command line gave it (the paths and texts as typed). */
export interface InvoiceRequest extends AuditedOptions {
  files: string[];
  prices: string;
  period?: string;
  out?: string;
  balancesIn?: string;
  /** Threads (--jobs, already read). */
  jobs: number;
  /** SPEC §8 --extras files. */
  extras?: string[];
  /** The command line, recorded in the audit of --out. */
  argv: readonly string[];
  /** Today, for the default issue date. */
  now: number;
  /** Progress on stderr (shown only on a terminal, for large inputs). */
  quiet?: boolean;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

export interface InvoiceResult {
  outcome: InvoiceOutcome;
  /** Every file the run writes besides --rated, with its content: written together, or none. */
  files: Array<{ path: string; content: string }>;
}

/**
 * The main job, end to end: reads the price list, the balances and the usage, rates
 * and invoices, and works out every file to write. Writes only the --rated rows, into
 * its temporary file, as the records are rated; the caller writes the rest.
 */
export async function runInvoice(r: InvoiceRequest, rated: StreamedFile | null): Promise<InvoiceResult> {
  // usage and extras together: standard input at most once, no file twice (SPEC §8)
  if (r.extras && r.extras.length > 0) checkInputs([...r.files, ...r.extras]);
  if (r.out !== undefined) checkOutDir(r.out);
  const pricesBytes = readPrices(r.prices);
  // worker threads read the price list and load the rating code while this thread does
  const pool = startPool(r.files, r.jobs, { text: pricesBytes.toString('utf8'), path: r.prices }, r.rated !== undefined || r.import !== undefined);
  let progress: ReturnType<typeof progressFor> | null = null;
  try {
    const loaded = loadPrices(r.prices, r.prices, pricesBytes);
    const { prices } = loaded;
    const zone = new Zone(prices.timezone);
    const period = r.period !== undefined ? parsePeriod(r.period, zone) : null;
    const issueDate = parseIssueDate(r.issueDate, zone, r.now);
    if (dayOfIsoDate(addDays(issueDate, prices.paymentTermsDays)) === undefined) {
      throw new UsageError(`--issue-date: ${issueDate} plus the price list's payment_terms_days (${prices.paymentTermsDays}) falls after 9999-12-31`);
    }
    const balances = loadBalancesFile(r.balancesIn, prices);

    const profile = loadImportProfile(r.import);
    rated?.write(ratedHeaderLine());
    // rows in the order the records are rated: input order (files as given, rows as read)
    const rowNames = inputNames(r.files, profile);
    const onRated = rated ? (rr: RatedRecord) => rated.write(ratedCsvRow(rr, rowNames, prices.currency.minor)) : undefined;
    progress = progressFor(r.files, r.quiet, r.stderr, r.env);
    const outcome = await computeInvoices({
      files: r.files,
      names: r.files,
      loaded,
      period,
      issueDate,
      opening: balances.balances,
      setAside: r.rejects !== undefined,
      profile,
      extras: r.extras,
      onRated,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
    });

    const files: InvoiceResult['files'] = [];
    if (r.out !== undefined) {
      const audit = buildAudit({ argv: r.argv, options: r, loaded, period, issueDate, balances, inputs: outcome.run.control.inputs, outcome });
      files.push({ path: join(r.out, 'invoices.json'), content: renderJson(outcome.run, audit) });
      files.push({ path: join(r.out, 'invoices.csv'), content: outcome.invoicesCsv });
      files.push({ path: join(r.out, 'invoice-lines.csv'), content: outcome.linesCsv });
    }
    if (r.rejects !== undefined) files.push({ path: r.rejects, content: outcome.rejectsCsv });
    if (r.balancesOut !== undefined) files.push({ path: r.balancesOut, content: outcome.balancesCsv });
    return { outcome, files };
  } finally {
    progress?.done();
    await pool?.close();
  }
}

function checkOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    throw new OutputError(`${dir}: cannot create the output folder: ${fsErrorText(e)}`);
  }
}
