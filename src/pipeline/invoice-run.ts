import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fsErrorText, OutputError, UsageError } from '../errors';
import type { StreamedFile } from '../io/streamed-file';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { RecordFilter } from '../rating/usage-fold';
import type { Period } from '../time/period';
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
import { loadBalancesFile, loadImportProfile, loadPrices, readPrices } from './load-inputs';
import type { LoadedPrices } from './load-inputs';

/** `invoice` as the command line gave it (the paths and texts as typed). */
export interface InvoiceRequest extends AuditedOptions {
  files: string[];
  prices: string;
  period?: string;
  out?: string;
  balancesIn?: string;
  /** Threads (--jobs, already read). */
  jobs: number;
  /** The command line, recorded in the audit of --out. */
  argv: readonly string[];
  /** Today, for the default issue date. */
  now: number;
  /** Progress on stderr (shown only on a terminal, for large inputs). */
  quiet?: boolean;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/**
 * What `issue` and `invoice --ledger` add to the invoicing run (SPEC §7), at three
 * moments: before the calculation (opening balances and the per-record filter from the
 * ledger), after it and before any file is worked out (numbers; `issue` posts here, so
 * the transaction commits before the files are written), and after the files (notices).
 */
export interface LedgerHooks {
  prepare(run: { loaded: LoadedPrices; period: Period; issueDate: string; balancesIn: ReadonlyMap<string, Dec> }): {
    opening: ReadonlyMap<string, Dec>;
    skip: RecordFilter;
    counts: { alreadyBilled: number; late: number };
  };
  onRated(rr: RatedRecord): void;
  /** A second pass over the inputs begins: forget what the first collected. */
  restart(): void;
  commit(out: InvoiceOutcome): void;
  notices(): string[];
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
export async function runInvoice(r: InvoiceRequest, rated: StreamedFile | null, ledger?: LedgerHooks): Promise<InvoiceResult> {
  if (r.out !== undefined) checkOutDir(r.out);
  const pricesBytes = readPrices(r.prices);
  // worker threads read the price list and load the rating code while this thread does
  // a ledger run filters and collects each record on this thread
  const pool = startPool(r.files, r.jobs, { text: pricesBytes.toString('utf8'), path: r.prices }, r.rated !== undefined || r.import !== undefined || ledger !== undefined);
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
    const fromLedger = ledger && period ? ledger.prepare({ loaded, period, issueDate, balancesIn: balances.balances }) : undefined;

    const profile = loadImportProfile(r.import);
    rated?.write(ratedHeaderLine());
    // rows in the order the records are rated: input order (files as given, rows as read)
    const rowNames = inputNames(r.files, profile);
    const toRated = rated ? (rr: RatedRecord) => rated.write(ratedCsvRow(rr, rowNames, prices.currency.minor)) : undefined;
    const onRated = ledger ? (rr: RatedRecord) => (toRated?.(rr), ledger.onRated(rr)) : toRated;
    progress = progressFor(r.files, r.quiet, r.stderr, r.env);
    const outcome = await computeInvoices({
      files: r.files,
      names: r.files,
      loaded,
      period,
      issueDate,
      opening: fromLedger ? fromLedger.opening : balances.balances,
      ledger: fromLedger,
      // --rated streams its rows and cannot take them back: then one exact pass
      onRestart: ledger && !rated ? () => ledger.restart() : undefined,
      setAside: r.rejects !== undefined,
      profile,
      onRated,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
    });

    // SPEC §7: numbers, and for `issue` the post, before any file is worked out or written
    ledger?.commit(outcome);
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
