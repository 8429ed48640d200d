import { OutputPlan } from '../io/output-plan';
import { spanPeriod } from '../time/period';
import { parsePeriod } from '../time/period';
import { localDate } from '../time/dates';
import { Zone } from '../time/zone';
import { buildServiceReport } from '../statistics/service-report';
import type { ServiceReport } from '../statistics/service-report';
import type { FoldCounts } from '../rating/usage-fold';
import type { Chunks } from '../render/chunks';
import { computeInvoices, runOf } from './compute-invoices';
import { progressFor, startPool } from './fold-inputs';
import { inputReading, loadImportProfile, loadPrices, readPrices } from './load-inputs';
import type { ReadingOptions } from './load-inputs';

/** `report` as the command line gave it (docs/reference.md §10). */
export interface ReportRequest extends ReadingOptions {
  files: string[];
  prices: string;
  period?: string;
  rejects?: string;
  import?: string;
  /** Threads (--jobs, already read). */
  jobs: number;
  now: number;
  quiet?: boolean;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The one output file of `report` (--rejects), checked against the inputs before anything is read (SPEC §6). */
export function planReportOutputs(r: ReportRequest, stdoutFd?: number): OutputPlan {
  return OutputPlan.prepare({
    files: r.rejects !== undefined ? [{ option: '--rejects', path: r.rejects }] : [],
    inputs: [
      ...r.files.map((path) => ({ what: 'the usage file', path })),
      { what: 'the price list', path: r.prices },
      ...(r.import !== undefined && (/[\\/]/.test(r.import) || /\.ya?ml$/i.test(r.import)) ? [{ what: 'the import profile', path: r.import }] : []),
    ],
    stdoutFd,
  });
}

export interface ReportResult {
  report: ServiceReport;
  rejected: number;
  superseded: number;
  /** The fold's counts (the note on records mostly outside --period). */
  counts: FoldCounts;
}

/**
 * The service report, end to end: the usage is read and folded exactly as `invoice`
 * reads it (the same computeInvoices, with the statistics collected beside the
 * invoice's state), the invoices are built for their SLA statements, and the report
 * is made of both. Writes --rejects through `plan` (committed here); stdout is the caller's.
 */
export async function runReport(r: ReportRequest, plan: OutputPlan): Promise<ReportResult> {
  const reading = inputReading(r);
  const pricesBytes = readPrices(r.prices);
  const pool = startPool(r.files, r.jobs, { text: pricesBytes.toString('utf8'), path: r.prices }, r.import !== undefined, reading);
  let progress: ReturnType<typeof progressFor> | null = null;
  try {
    const loaded = loadPrices(r.prices, r.prices, pricesBytes);
    const zone = new Zone(loaded.prices.timezone);
    const period = r.period !== undefined ? parsePeriod(r.period, zone) : null;
    const profile = loadImportProfile(r.import);
    progress = progressFor(r.files, r.quiet, r.stderr, r.env);
    const outcome = await computeInvoices({
      files: r.files,
      names: r.files,
      loaded,
      period,
      // the invoices serve only their SLA statements: the issue date changes none of them
      issueDate: localDate(zone, r.now),
      opening: new Map(),
      setAside: r.rejects !== undefined,
      profile,
      reading,
      pool,
      onBytes: progress.onBytes,
      onRecords: progress.onRecords,
      onPass: progress.onPass,
      spill: r.rejects !== undefined ? () => plan.spool(r.rejects!) : undefined,
      statistics: true,
    });
    progress.done();
    progress = null;
    if (r.rejects !== undefined) {
      const f = plan.stage(r.rejects);
      for (const chunk of outcome.rejectsCsv() as Chunks) f.write(chunk);
    }
    const state = outcome.fold.state;
    const effective = period ?? spanPeriod(state.firstMs, state.lastMs, zone);
    const { invoices } = await runOf(outcome);
    const report = buildServiceReport(state.stats, invoices, effective, outcome.control);
    plan.commit();
    return { report, rejected: outcome.control.recordsRejected, superseded: outcome.superseded, counts: outcome.fold.counts };
  } finally {
    progress?.done();
    await pool?.close();
  }
}
