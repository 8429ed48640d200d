import type { CommandIO } from './invoice-command';
import { foldInputs, loadImportProfile, loadPrices, newContext, parsePeriod, rejectsError, supersededNotice } from './run-usage';

export interface CheckOptions {
  prices: string;
  period?: string;
  quiet?: boolean;
  import?: string;
}

/** `callbill check`: validate the price list and usage files, report everything, invoice nothing. */
export async function checkCommand(files: string[], o: CheckOptions, io: CommandIO): Promise<string> {
  const { prices, path } = loadPrices(o.prices);
  const versions = [...prices.plans.values()].reduce((n, p) => n + p.versions.length, 0);
  let out = `${path}: OK (${prices.currency.code}, ${prices.timezone}, ${prices.plans.size} plan${prices.plans.size === 1 ? '' : 's'}, ${versions} version${versions === 1 ? '' : 's'}, ${prices.customers.size} customer${prices.customers.size === 1 ? '' : 's'})\n`;
  const profile = loadImportProfile(o.import);
  if (profile) out += `import profile ${profile.name} (${profile.origin}): OK\n`;
  if (files.length === 0) return out;
  const ctx = newContext(prices);
  const period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
  const { fold, names, superseded } = await foldInputs(files, ctx, { period, keepAllRejects: false, profile });
  const notice = supersededNotice(superseded);
  if (notice && !o.quiet) io.stderr.write(notice);
  const c = fold.counts;
  if (c.rejected > 0) throw rejectsError(fold.rejects, c.rejected, names, `${c.read} read, ${c.billed} would be billed`);
  out += `usage: OK (${c.read} records read, ${c.billed} would be billed, ${c.outside} outside the period)\n`;
  return out;
}
