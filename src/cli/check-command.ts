import type { CommandIO } from './invoice-command';
import type { FoldPool } from './parallel-fold';
import { foldInputs, loadImportProfile, loadPrices, newContext, parseJobs, parsePeriod, progressFor, readPrices, rejectsError, startPool, supersededNotice } from './run-usage';

export interface CheckOptions {
  prices: string;
  period?: string;
  quiet?: boolean;
  import?: string;
  jobs?: string;
}

/** `callbill check`: validate the price list and usage files, report everything, invoice nothing. */
export async function checkCommand(files: string[], o: CheckOptions, io: CommandIO): Promise<string> {
  const jobs = parseJobs(o.jobs, o.quiet ? undefined : (m) => io.stderr.write(m));
  const pricesBytes = readPrices(o.prices);
  // worker threads read the price list while this thread does (only when there is a large file)
  const pool = files.length > 0 ? startPool(files, jobs, { text: pricesBytes.toString('utf8'), path: o.prices }, o.import !== undefined) : null;
  try {
    return await check(files, o, io, pricesBytes, pool);
  } finally {
    await pool?.close();
  }
}

async function check(files: string[], o: CheckOptions, io: CommandIO, pricesBytes: Buffer, pool: FoldPool | null): Promise<string> {
  const loaded = loadPrices(o.prices, o.prices, pricesBytes);
  const { prices, path } = loaded;
  const versions = [...prices.plans.values()].reduce((n, p) => n + p.versions.length, 0);
  let out = `${path}: OK (${prices.currency.code}, ${prices.timezone}, ${prices.plans.size} plan${prices.plans.size === 1 ? '' : 's'}, ${versions} version${versions === 1 ? '' : 's'}, ${prices.customers.size} customer${prices.customers.size === 1 ? '' : 's'})\n`;
  const profile = loadImportProfile(o.import);
  if (profile) out += `import profile ${profile.name} (${profile.origin}): OK\n`;
  if (files.length === 0) return out;
  const ctx = newContext(prices);
  const period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
  const progress = progressFor(files, o.quiet, io.stderr, io.env);
  let folded;
  try {
    folded = await foldInputs(files, ctx, { period, keepAllRejects: false, profile, pool, onBytes: progress.onBytes, onRecords: progress.onRecords, onPass: progress.onPass });
  } finally {
    progress.done();
  }
  const { fold, names, superseded } = folded;
  const notice = supersededNotice(superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  const c = fold.counts;
  if (c.rejected > 0) throw rejectsError(fold.rejects, c.rejected, names, `${c.read} read, ${c.billed} would be billed`);
  out += `usage: OK (${c.read} records read, ${c.billed} would be billed, ${c.outside} outside the period)\n`;
  return out;
}
