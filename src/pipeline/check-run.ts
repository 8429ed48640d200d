import { inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import { outsideNotice, rejectsError, supersededNotice } from '../render/rejected-rows';
import { parsePeriod } from '../time/period';
import { counted } from '../render/plural';
import { unlistedReport } from '../render/unlisted';
import { customersReport } from '../render/customers';
import { unlistedOfRun } from './unlisted';
import { foldInputs, newContext, progressFor, startPool } from './fold-inputs';
import { loadImportProfile, loadPrices, readPrices } from './load-inputs';
import type { FoldPool } from './parallel-fold';

export interface CheckRequest extends ReadingOptions {
  files: string[];
  prices: string;
  period?: string;
  import?: string;
  jobs: number;
  quiet?: boolean;
  /** --customers: also list the customers and plans the price list knows. */
  customers?: boolean;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  /** A notice for stderr (the caller decides whether it shows). */
  notice: (text: string) => void;
}

/** `check`: validates the price list and the usage files; returns the report, throws the problems found. */
export async function runCheck(r: CheckRequest): Promise<string> {
  const reading = inputReading(r);
  const pricesBytes = readPrices(r.prices);
  // worker threads read the price list while this thread does (only when there is a large file)
  const pool = r.files.length > 0 ? startPool(r.files, r.jobs, { text: pricesBytes.toString('utf8'), path: r.prices }, r.import !== undefined, reading) : null;
  try {
    return await check(r, pricesBytes, pool);
  } finally {
    await pool?.close();
  }
}

async function check(r: CheckRequest, pricesBytes: Buffer, pool: FoldPool | null): Promise<string> {
  const files = r.files;
  const loaded = loadPrices(r.prices, r.prices, pricesBytes);
  const { prices, path } = loaded;
  const versions = [...prices.plans.values()].reduce((n, p) => n + p.versions.length, 0);
  let out = `${path}: OK (${prices.currency.code}, ${prices.timezone}, ${prices.plans.size} plan${prices.plans.size === 1 ? '' : 's'}, ${versions} version${versions === 1 ? '' : 's'}, ${prices.customers.size} customer${prices.customers.size === 1 ? '' : 's'})\n`;
  if (r.customers) out += customersReport(prices, path);
  const profile = loadImportProfile(r.import);
  if (profile) out += `import profile ${profile.name} (${profile.origin}): OK\n`;
  if (files.length === 0) return out;
  const ctx = newContext(prices, inputReading(r));
  const period = r.period !== undefined ? parsePeriod(r.period, ctx.zone) : null;
  const progress = progressFor(files, r.quiet, r.stderr, r.env);
  let folded;
  try {
    folded = await foldInputs(files, ctx, { period, keepAllRejects: false, profile, pool, onBytes: progress.onBytes, onRecords: progress.onRecords, onPass: progress.onPass });
  } finally {
    progress.done();
  }
  const { fold, names, superseded } = folded;
  const notice = supersededNotice(superseded);
  if (notice) r.notice(notice);
  const c = fold.counts;
  const outside = outsideNotice(c, r.period);
  if (outside) r.notice(outside);
  if (c.rejected > 0) throw rejectsError(fold.rejects, c.rejected, names, `${c.read} read, ${c.billed} would be billed`, undefined, c.slashDates);
  out += `usage: OK (${counted(c.read, 'record')} read, ${c.billed} would be billed, ${c.outside} outside the period)\n`;
  out += unlistedReport(unlistedOfRun(prices, fold.state));
  return out;
}
