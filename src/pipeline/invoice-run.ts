import { join } from 'node:path';
import { UsageError } from '../errors';
import { OutputPlan } from '../io/output-plan';
import type { StreamedFile } from '../io/streamed-file';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { RecordFilter } from '../rating/usage-fold';
import type { Period } from '../time/period';
import type { Chunks } from '../render/chunks';
import { jsonChunks } from '../render/json';
import { ledgerFiles } from '../ledger/ledger';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { addDays } from '../time/dates';
import { parseIssueDate, parsePeriod } from '../time/period';
import { dayOfIsoDate, Zone } from '../time/zone';
import { buildAudit } from './audit';
import { documentInputs, fontPath, renderDocuments, stageDocuments } from './documents';
import type { DocumentFile } from './documents';
import type { AuditedOptions, LedgerAudit } from './audit';
import { computeInvoices } from './compute-invoices';
import type { InvoiceOutcome } from './compute-invoices';
import type { FoldRunOptions } from './fold-inputs';
import { inputNames, progressFor, startPool } from './fold-inputs';
import { checkInputs, loadBalancesFile, loadImportProfile, loadPrices, readPrices, inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import type { LoadedPrices } from './load-inputs';

/** `invoice` as the command line gave it (the paths and texts as typed). */
export interface InvoiceRequest extends AuditedOptions, ReadingOptions {
  files: string[];
  prices: string;
  period?: string;
  out?: string;
  /** Write <number>.html and <number>.pdf for every invoice here (docs/reference.md §9). */
  documents?: string;
  /** The font of the PDF documents, instead of the price list's documents.font or the shipped one. */
  font?: string;
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
  /** The ledger of `issue` / `invoice --ledger`: its files are inputs no output may replace. */
  ledgerFile?: string;
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
    /** An extras row of a month already issued for its customer: counted, not billed. */
    extrasLate?: (customerId: string, ms: number) => boolean;
    /** The filter and `onRated` as worker threads apply them (FoldRunOptions.chunks); without it the usage is read on one thread. */
    chunks?: FoldRunOptions['chunks'];
  };
  onRated(rr: RatedRecord): void;
  /** A second pass over the inputs begins: forget what the first collected. */
  restart(): void;
  /** Numbers, then `beforePost` (the documents rendered in memory: a font lacking a glyph stores nothing), then the post. */
  commit(out: InvoiceOutcome, beforePost?: () => Promise<void>): Promise<void>;
  notices(): string[];
  /** After commit: the command that stored (or previewed) and what the run took from the ledger, for the audit of --out. */
  audit(): { command: 'invoice' | 'issue'; ledger: LedgerAudit };
}

const OUT_FILES = ['invoices.json', 'invoices.csv', 'invoice-lines.csv'] as const;

/**
 * The outputs of `invoice` and the files it reads, checked before anything is read
 * (SPEC §6: an output never replaces an input, another output or a device; 73).
 * `stdoutFd`: standard output's descriptor, when it is the process's own.
 */
export function planInvoiceOutputs(r: InvoiceRequest, stdoutFd?: number): OutputPlan {
  const outputs = [
    ...(r.out !== undefined ? OUT_FILES.map((n) => ({ option: '--out', path: join(r.out!, n) })) : []),
    ...(r.rejects !== undefined ? [{ option: '--rejects', path: r.rejects }] : []),
    ...(r.balancesOut !== undefined ? [{ option: '--balances-out', path: r.balancesOut }] : []),
    ...(r.rated !== undefined ? [{ option: '--rated', path: r.rated }] : []),
  ];
  const inputs = [
    ...r.files.map((path) => ({ what: 'the usage file', path })),
    { what: 'the price list', path: r.prices },
    ...(r.balancesIn !== undefined ? [{ what: 'the balances file', path: r.balancesIn }] : []),
    // a profile named by a path (a built-in one is named by a bare word, as loadProfile tells them)
    ...(r.import !== undefined && (/[\\/]/.test(r.import) || /\.ya?ml$/i.test(r.import)) ? [{ what: 'the import profile', path: r.import }] : []),
    // SPEC §7: the ledger file and its -wal/-shm are inputs too (open by then, so they exist)
    ...(r.ledgerFile !== undefined ? ledgerFiles(r.ledgerFile).map((path) => ({ what: 'the ledger', path })) : []),
  ];
  const folders = [...(r.out !== undefined ? [{ option: '--out', path: r.out }] : []), ...(r.documents !== undefined ? [{ option: '--documents', path: r.documents }] : [])];
  return OutputPlan.prepare({ folders, files: outputs, inputs, stdoutFd });
}

export interface InvoiceResult {
  outcome: InvoiceOutcome;
}

/**
 * The main job, end to end: reads the price list, the balances and the usage, rates
 * and invoices, and writes every output through `plan` (io/output-plan.ts, prepared by
 * the caller before anything was read): the --rated rows into their temporary file as
 * the records are rated, the others piece by piece once everything is computed, then
 * all of them put in place together.
 */
export async function runInvoice(r: InvoiceRequest, rated: StreamedFile | null, plan: OutputPlan, ledger?: LedgerHooks): Promise<InvoiceResult> {
  // usage and extras together: standard input at most once, no file twice (SPEC §8)
  if (r.extras && r.extras.length > 0) checkInputs([...r.files, ...r.extras]);
  const reading = inputReading(r);
  const pricesBytes = readPrices(r.prices);
  // worker threads read the price list and load the rating code while this thread does
  // (a ledger run's filter goes to them once the ledger is read: LedgerHooks.prepare's chunks)
  const pool = startPool(r.files, r.jobs, { text: pricesBytes.toString('utf8'), path: r.prices }, r.rated !== undefined || r.import !== undefined, reading);
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
      // --rated sees every record on this thread
      ledger: fromLedger && rated ? { ...fromLedger, chunks: undefined } : fromLedger,
      // --rated streams its rows and cannot take them back: then one exact pass
      onRestart: ledger && !rated ? () => ledger.restart() : undefined,
      setAside: r.rejects !== undefined,
      profile,
      reading,
      extras: r.extras,
      onRated,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
      // the rejected rows wait on disk beside the --rejects file (a huge month has millions)
      spill: r.rejects !== undefined ? () => plan.spool(r.rejects!) : undefined,
    });
    progress.done();
    progress = null;

    // SPEC §7: numbers, and for `issue` the post, before any file is worked out or written
    // the documents are rendered once the numbers are known and before the post, so that one
    // that cannot be drawn (a glyph the font lacks, 78) stores nothing; written after it
    let documents: DocumentFile[] | null = null;
    const render = async () => {
      if (r.documents !== undefined) documents = await renderDocuments(documentInputs(outcome.run.invoices, prices), r.documents, fontPath(r.font, prices));
    };
    if (ledger) await ledger.commit(outcome, render);
    else await render();
    // each file written piece by piece to its temporary name, with its SHA-256 for the audit
    const write = (path: string, chunks: Chunks): string => {
      const f = plan.stage(path, { hashed: true });
      for (const chunk of chunks) f.write(chunk);
      return f.sha256();
    };
    const rejects = r.rejects !== undefined ? write(r.rejects, outcome.rejectsCsv()) : null;
    const balancesOut = r.balancesOut !== undefined ? write(r.balancesOut, outcome.balancesCsv()) : null;
    if (r.out !== undefined) {
      const outputs = { invoicesCsv: write(join(r.out, 'invoices.csv'), outcome.invoicesCsv()), linesCsv: write(join(r.out, 'invoice-lines.csv'), outcome.linesCsv()), rejects, balances: balancesOut };
      const audit = buildAudit({ argv: r.argv, options: r, loaded, period, issueDate, balances, inputs: outcome.run.control.inputs, extras: outcome.extrasInputs, outputs, ...ledger?.audit() });
      write(join(r.out, 'invoices.json'), jsonChunks(outcome.run, audit));
    }
    if (documents !== null) stageDocuments(plan, documents);
    plan.commit();
    return { outcome };
  } finally {
    progress?.done();
    await pool?.close();
  }
}
