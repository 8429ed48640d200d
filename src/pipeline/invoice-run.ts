import { join } from 'node:path';
import { UsageError } from '../errors';
import { OutputPlan } from '../io/output-plan';
import type { StreamedFile } from '../io/streamed-file';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { RecordFilter } from '../rating/usage-fold';
import type { Period } from '../time/period';
import { InvoicesCsvWriter, LinesCsvWriter } from '../render/csv';
import type { InvoiceWriter } from '../render/invoice-writer';
import { JsonWriter } from '../render/json';
import type { ControlFigures, Invoice } from '../invoice/types';
import { ledgerFiles } from '../ledger/ledger';
import { ratedCsvRow, ratedHeaderLine } from '../render/rated-csv';
import { addDays } from '../time/dates';
import { parseIssueDate, parsePeriod } from '../time/period';
import { dayOfIsoDate, Zone } from '../time/zone';
import { buildAudit } from './audit';
import { documentInput, DocumentRenderer, fontPath, stageDocuments } from './documents';
import type { AuditedOptions, LedgerAudit } from './audit';
import { computeInvoices } from './compute-invoices';
import type { InvoiceOutcome, RunEnd } from './compute-invoices';
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
 * ledger), as the invoices are built and written (numbers; `issue` posts after the last,
 * so the transaction commits before any file is put in place), and after the files (notices).
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
  /**
   * The invoices' pass (SPEC §7): each invoice, as it is built and before it is written,
   * is checked against the ledger (refusals, 65), gets its number and its adjustment, and
   * is kept aside to be stored; once every invoice and document is written (a document
   * that cannot be drawn stores nothing), `end` posts them in one transaction, before
   * the files' last parts (the audit names the run stored) and before any file is put
   * in place.
   */
  start(run: LedgerRun): LedgerPass;
  notices(): string[];
  /** After commit: the command that stored (or previewed) and what the run took from the ledger, for the audit of --out. */
  audit(): { command: 'invoice' | 'issue'; ledger: LedgerAudit };
}

/** What the ledger stores of a run beside its invoices: what was read. */
export interface LedgerRun {
  control: ControlFigures;
  extrasInputs: InvoiceOutcome['extrasInputs'];
}

/** See LedgerHooks.start. */
export interface LedgerPass {
  invoice(inv: Invoice): void;
  end(): void;
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

/** The invoices as `pass` numbers them, one at a time. */
function* numbered(invoices: Iterable<Invoice>, pass: LedgerPass): Generator<Invoice> {
  for (const inv of invoices) {
    pass.invoice(inv);
    yield inv;
  }
}

export interface InvoiceResult {
  outcome: InvoiceOutcome;
  /** What the run learnt as it wrote the invoices: totals, notices. */
  end: RunEnd;
}

/**
 * The main job, end to end: reads the price list, the balances and the usage, rates
 * and invoices, and writes every output through `plan` (io/output-plan.ts, prepared by
 * the caller before anything was read): the --rated rows into their temporary file as
 * the records are rated, then each invoice, as it is built, into every file and to
 * `stdout` (standard output's writer, whose text the caller holds until the run is
 * done); then all the files are put in place together. With a ledger, each invoice is
 * numbered as it is built, and the month is posted after the last (LedgerHooks.start).
 */
export async function runInvoice(r: InvoiceRequest, rated: StreamedFile | null, plan: OutputPlan, ledger?: LedgerHooks, stdout?: InvoiceWriter): Promise<InvoiceResult> {
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

    // SPEC §7: with a ledger, each invoice is numbered as it is built, before it is written;
    // its document is rendered then too, before the post, so that one that cannot be drawn
    // (a glyph the font lacks, 78) stores nothing
    const pass = ledger?.start({ control: outcome.control, extrasInputs: outcome.extrasInputs });
    const invoices = pass ? numbered(outcome.invoices, pass) : outcome.invoices;
    let each: ((inv: Invoice) => Promise<void>) | undefined;
    if (r.documents !== undefined) {
      // rendered as each invoice is built, written with the run's other files (all or none)
      const documents = new DocumentRenderer(r.documents, fontPath(r.font, prices));
      each = async (inv) => stageDocuments(plan, await documents.render(documentInput(inv, prices)));
    }
    // each file written piece by piece to its temporary name as the invoices are built, with its SHA-256 for the audit
    const stage = (path: string) => plan.stage(path, { hashed: true });
    const rejects = r.rejects !== undefined ? stage(r.rejects) : null;
    if (rejects) for (const chunk of outcome.rejectsCsv()) rejects.write(chunk);
    const balancesOut = r.balancesOut !== undefined ? stage(r.balancesOut) : null;
    const writers: InvoiceWriter[] = [];
    if (balancesOut) writers.push(outcome.balancesWriter((t) => balancesOut.write(t)));
    if (r.out !== undefined) {
      const csv = stage(join(r.out, 'invoices.csv'));
      const lines = stage(join(r.out, 'invoice-lines.csv'));
      const json = stage(join(r.out, 'invoices.json'));
      const audit = () => {
        // the other files are complete when the last writer ends: their hashes are known
        const outputs = { invoicesCsv: csv.sha256(), linesCsv: lines.sha256(), rejects: rejects?.sha256() ?? null, balances: balancesOut?.sha256() ?? null };
        return buildAudit({ argv: r.argv, options: r, loaded, period, issueDate, balances, inputs: outcome.control.inputs, extras: outcome.extrasInputs, outputs, ...ledger?.audit() });
      };
      writers.push(new InvoicesCsvWriter((t) => csv.write(t)), new LinesCsvWriter((t) => lines.write(t)), new JsonWriter((t) => json.write(t), audit));
    }
    if (stdout) writers.push(stdout);
    // the post once every invoice and document is written, before the audit of --out (which names the run it stored) and before anything is put in place
    const end = await outcome.write(invoices, writers, each, pass ? () => pass.end() : undefined);
    plan.commit();
    return { outcome, end };
  } finally {
    progress?.done();
    await pool?.close();
  }
}
