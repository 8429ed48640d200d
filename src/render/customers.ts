import type { PriceList } from '../pricing/types';
import { counted } from './plural';
import { terminalSafe } from './terminal-safe';

function pad(s: string, n: number): string {
  const len = [...s].length;
  return len >= n ? s : s + ' '.repeat(n - len);
}

/**
 * `check --customers`: the customers a price list knows, with their plans, and what
 * becomes of a customer it does not list (docs/reference.md §3.5), then the plans.
 */
export function customersReport(prices: PriceList, path: string): string {
  const out: string[] = [];
  const list = [...prices.customers.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  out.push(`Customers of ${terminalSafe(path)} (${list.length}):`);
  const rows = list.map((c) => {
    const active = c.activeFrom && c.activeUntil ? `active ${c.activeFrom} to ${c.activeUntil}` : c.activeFrom ? `active from ${c.activeFrom}` : c.activeUntil ? `active until ${c.activeUntil}` : '';
    return [terminalSafe(c.id), terminalSafe(c.name), `plan ${terminalSafe(c.plan)}`, active];
  });
  const w = [0, 0, 0];
  for (const r of rows) for (let i = 0; i < 3; i++) w[i] = Math.max(w[i]!, [...r[i]!].length);
  for (const r of rows) out.push(`  ${pad(r[0]!, w[0]!)}  ${pad(r[1]!, w[1]!)}  ${r[3] ? `${pad(r[2]!, w[2]!)}  ${r[3]}` : r[2]}`);
  if (list.length === 0) out.push('  (none listed)');
  out.push(
    prices.defaultPlan !== null && prices.unlistedCustomers === 'bill'
      ? `Customers not listed: billed under default_plan ${terminalSafe(prices.defaultPlan)}, and named on stderr`
      : prices.defaultPlan !== null
        ? `Customers not listed: their rows are rejected (unlisted_customers: reject; default_plan ${terminalSafe(prices.defaultPlan)} is not used for them)`
        : 'Customers not listed: their rows are rejected (no default_plan)',
  );
  out.push(`Plans (${prices.plans.size}):`);
  for (const p of [...prices.plans.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const users = list.filter((c) => c.plan === p.name).length;
    out.push(`  ${terminalSafe(p.name)}: ${counted(p.versions.length, 'version')} (from ${p.versions.map((v) => v.effectiveFrom).join(', ')}), ${counted(users, 'customer')} listed${p.name === prices.defaultPlan ? ', the default_plan' : ''}`);
  }
  return out.join('\n') + '\n';
}
