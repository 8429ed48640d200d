import { runCheck } from '../pipeline/check-run';
import type { CommandIO } from './io';
import { parseJobs } from './io';

export interface CheckOptions {
  prices: string;
  period?: string;
  quiet?: boolean;
  import?: string;
  jobs?: string;
  /** --delimiter, --date-format (docs/reference.md §2). */
  delimiter?: string;
  dateFormat?: string;
  customers?: boolean;
}

/** `callbill check`: validate the price list and usage files, report everything, invoice nothing. */
export async function checkCommand(files: string[], o: CheckOptions, io: CommandIO): Promise<string> {
  const jobs = parseJobs(o.jobs, o.quiet ? undefined : (m) => io.stderr.write(m));
  return runCheck({ ...o, files, jobs, stderr: io.stderr, env: io.env, notice: (s) => !o.quiet && io.stderr.write(s) });
}
