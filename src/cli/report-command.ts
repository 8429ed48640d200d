import { UsageError } from '../errors';
import { planReportOutputs, runReport } from '../pipeline/report-run';
import type { Chunks } from '../render/chunks';
import { reportCsvChunks } from '../render/report/csv';
import { reportHtml } from '../render/report/html';
import { reportJsonChunks } from '../render/report/json';
import { reportTableChunks } from '../render/report/table';
import { outsideNotice, supersededNotice } from '../render/rejected-rows';
import { terminalSafe } from '../render/terminal-safe';
import { colorWanted, painter } from './colors';
import type { CommandIO } from './io';
import { parseJobs } from './io';

export interface ReportOptions {
  prices: string;
  period?: string;
  format: string;
  by?: string;
  rejects?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
  jobs?: string;
  /** --delimiter, --date-format (docs/reference.md §2). */
  delimiter?: string;
  dateFormat?: string;
}

const FORMATS = ['table', 'csv', 'json', 'html'] as const;

/** `callbill report` (docs/reference.md §10): service statistics per customer, from the same fold as the invoice. */
export async function reportCommand(files: string[], o: ReportOptions, io: CommandIO): Promise<Chunks> {
  const format = o.format as (typeof FORMATS)[number];
  if (!(FORMATS as readonly string[]).includes(format)) throw new UsageError(`--format: expected table, csv, json or html, found ${JSON.stringify(o.format)}`);
  if (o.by !== undefined && format !== 'csv') throw new UsageError('--by goes with --format csv');
  const by = (o.by ?? 'day') as 'day' | 'hour';
  const jobs = parseJobs(o.jobs, o.quiet ? undefined : (m) => io.stderr.write(m));
  const r = { ...o, files, jobs, now: io.now(), stderr: io.stderr, env: io.env };
  const plan = planReportOutputs(r, (io.stdout as { fd?: number }).fd);
  try {
    const { report, rejected, superseded, counts } = await runReport(r, plan);
    const notice = supersededNotice(superseded);
    if (notice && !o.quiet) io.stderr.write(notice);
    const outside = outsideNotice(counts, o.period);
    if (outside && !o.quiet) io.stderr.write(outside);
    if (rejected > 0 && !o.quiet) io.stderr.write(`callbill: ${rejected} bad usage row${rejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
    switch (format) {
      case 'json':
        return reportJsonChunks(report);
      case 'csv':
        return reportCsvChunks(report, by);
      case 'html':
        return [reportHtml(report)];
      case 'table':
        return reportTableChunks(report, await painter(colorWanted(o.color, io.stdout, io.env)));
    }
  } finally {
    plan.abort();
  }
}
