import { UsageError } from '../errors';
import { planInvoiceOutputs, runInvoice } from '../pipeline/invoice-run';
import type { InvoiceResult, LedgerHooks } from '../pipeline/invoice-run';
import type { Chunks } from '../render/chunks';
import { InvoicesCsvWriter, LinesCsvWriter } from '../render/csv';
import type { InvoiceWriter, TextOut } from '../render/invoice-writer';
import { JsonWriter } from '../render/json';
import { TextSpool } from '../pipeline/spool';
import { outsideNotice, slashDateNotice, supersededNotice } from '../render/rejected-rows';
import { TableWriter } from '../render/table';
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
 * `callbill invoice`: the main job. Nothing is shown or put in place before everything is
 * computed: the files are staged and standard output's text is held (pipeline/spool.ts)
 * as each invoice is built, and shown once the files are in place.
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
  const shown = new TextSpool();
  let done = false;
  try {
    const rated = o.rated !== undefined ? plan.stage(o.rated) : null;
    const stdout = await stdoutWriter(format, o, io, (t) => shown.write(t));
    const result: InvoiceResult = await runInvoice(r, rated, plan, ledger?.hooks, stdout);

    const { outcome, end } = result;
    const c = outcome.control;
    const notice = supersededNotice(outcome.superseded);
    if (notice && !o.quiet) io.stderr.write(notice);
    const outside = outsideNotice(outcome.fold.counts, o.period);
    if (outside && !o.quiet) io.stderr.write(outside);
    if (ledger && !o.quiet) for (const n of ledger.hooks.notices()) io.stderr.write(n + '\n');
    if (c.recordsRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.recordsRejected} bad usage row${c.recordsRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
    const dates = slashDateNotice(outcome.fold.rejects, outcome.fold.counts.rejected, outcome.fold.counts.slashDates, c.inputs.map((i) => i.path));
    if (dates && !o.quiet) io.stderr.write(dates);
    if (c.extrasRejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.extrasRejected} bad extras row${c.extrasRejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
    if (!o.quiet) io.stderr.write(unlistedNotice(end.unlisted, o.prices));
    if (end.feesLeftOut && !o.quiet) io.stderr.write('callbill: recurring fees were left out: they are billed for a month, with --period YYYY-MM\n');
    done = true;
    return shown.chunks();
  } finally {
    plan.abort();
    if (!done) shown.discard();
  }
}

/** Standard output's writer for the format (SPEC §5's shape on stdout; the audit goes only into --out's invoices.json). */
async function stdoutWriter(format: (typeof FORMATS)[number], o: InvoiceOptions, io: CommandIO, out: TextOut): Promise<InvoiceWriter> {
  switch (format) {
    case 'json':
      return new JsonWriter(out);
    case 'csv':
      return o.detail ? new LinesCsvWriter(out) : new InvoicesCsvWriter(out);
    case 'table':
      return new TableWriter(out, await painter(colorWanted(o.color, io.stdout, io.env)));
  }
}
