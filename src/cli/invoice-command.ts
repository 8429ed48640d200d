import { UsageError } from '../errors';
import { planInvoiceOutputs, runInvoice } from '../pipeline/invoice-run';
import type { InvoiceResult, LedgerHooks } from '../pipeline/invoice-run';
import type { Chunks } from '../render/chunks';
import { jsonChunks } from '../render/json';
import { outsideNotice, slashDateNotice, supersededNotice } from '../render/rejected-rows';
import { tableChunks } from '../render/table';
import { terminalSafe } from '../render/terminal-safe';
import { unlistedNotice } from '../render/unlisted';
import { colorWanted, painter } from './colors';
import type { CommandIO } from './io';
import { parseJobs } from './io';

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
  /** Also stream one CSV row per billed record into this file. */
  rated?: string;
  documents?: string;
  font?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
  jobs?: string;
  /** --delimiter, --date-format (docs/reference.md §2). */
  delimiter?: string;
  dateFormat?: string;
}

const FORMATS = ['table', 'csv', 'json'] as const;

function checkFormat(f: string): (typeof FORMATS)[number] {
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: expected table, csv or json, found ${JSON.stringify(f)}`);
  return f as (typeof FORMATS)[number];
}

/**
 * `callbill invoice`: the main job. Everything is computed before anything is written.
 * `--rated` is the exception that proves it: its rows stream into a temporary file as
 * the records are rated, which is renamed with the other outputs at the end and
 * removed whatever else happens (after the rename, removing the temporary name is a no-op).
 */
export async function invoiceCommand(files: string[], o: InvoiceOptions, io: CommandIO, ledger?: { hooks: LedgerHooks; file: string }): Promise<Chunks> {
  const format = checkFormat(o.format);
  if (o.detail && format !== 'csv') throw new UsageError('--detail goes with --format csv');
  if (o.font !== undefined && o.documents === undefined) throw new UsageError('--font goes with --documents');
  const jobs = parseJobs(o.jobs, o.quiet ? undefined : (m) => io.stderr.write(m));
  const r = { ...o, files, jobs, argv: io.argv ?? [], now: io.now(), stderr: io.stderr, env: io.env, ledgerFile: ledger?.file };
  // every output is checked against the inputs (the ledger's files among them) and the others before anything is read
  const plan = planInvoiceOutputs(r, (io.stdout as { fd?: number }).fd);
  try {
    const rated = o.rated !== undefined ? plan.stage(o.rated) : null;
    const result: InvoiceResult = await runInvoice(r, rated, plan, ledger?.hooks);

    const { outcome } = result;
    const { run } = outcome;
    const c = run.control;
    const notice = supersededNotice(outcome.superseded);
    if (notice && !o.quiet) io.stderr.write(notice);
    const outside = outsideNotice(outcome.fold.counts, o.period);
    if (outside && !o.quiet) io.stderr.write(outside);
    if (ledger && !o.quiet) for (const n of ledger.hooks.notices()) io.stderr.write(n + '\n');
    if (c.recordsRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.recordsRejected} bad usage row${c.recordsRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
    const dates = slashDateNotice(outcome.fold.rejects, outcome.fold.counts.rejected, outcome.fold.counts.slashDates, c.inputs.map((i) => i.path));
    if (dates && !o.quiet) io.stderr.write(dates);
    if (c.extrasRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.extrasRejected} bad extras row${c.extrasRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
    if (!o.quiet) io.stderr.write(unlistedNotice(outcome.unlisted, o.prices));
    if (outcome.feesLeftOut && !o.quiet) io.stderr.write('callbill: recurring fees were left out: they are billed for a month, with --period YYYY-MM\n');
    return await stdoutOf(format, result, o, io);
  } finally {
    plan.abort();
  }
}

/** Standard output, rendered piece by piece as it is written (main.ts). */
async function stdoutOf(format: (typeof FORMATS)[number], { outcome }: InvoiceResult, o: InvoiceOptions, io: CommandIO): Promise<Chunks> {
  switch (format) {
    case 'json':
      // SPEC §5's shape on stdout; the audit goes only into --out's invoices.json
      return jsonChunks(outcome.run);
    case 'csv':
      return o.detail ? outcome.linesCsv() : outcome.invoicesCsv();
    case 'table':
      return tableChunks(outcome.run, await painter(colorWanted(o.color, io.stdout, io.env)), { unlisted: outcome.unlisted });
  }
}
