import type { Invoice } from '../invoice/types';
import type { PriceList } from '../pricing/types';
import { unlistedCustomers } from '../pricing/unlisted';
import type { UnlistedCustomer } from '../pricing/unlisted';
import type { ExtrasState } from '../rating/extras-fold';
import type { UsageState } from '../rating/usage-state';

/**
 * The customers of a run billed under default_plan because they are not listed
 * (docs/reference.md §3.5), with the usage records and extras rows billed for each;
 * with invoices, also a customer invoiced only for its opening balance (0 records).
 */
export interface UnlistedOfRun {
  /** The default_plan they were billed under (null: none, so there are none). */
  plan: string | null;
  customers: UnlistedCustomer[];
}

export function unlistedOfRun(prices: PriceList, usage: UsageState, extras?: ExtrasState | null, invoices: readonly Invoice[] = []): UnlistedOfRun {
  if (prices.defaultPlan === null || prices.unlistedCustomers !== 'bill') return { plan: null, customers: [] };
  const billed = new Map<string, { records: number; extras: number }>();
  const at = (id: string) => {
    let e = billed.get(id);
    if (!e) billed.set(id, (e = { records: 0, extras: 0 }));
    return e;
  };
  for (const [id, c] of usage.customers) if (!prices.customers.has(id)) at(id).records += c.counts.voice + c.counts.chat + c.counts.abandoned;
  for (const [id, x] of extras?.customers ?? []) if (!prices.customers.has(id)) at(id).extras += x.rows;
  for (const inv of invoices) if (!prices.customers.has(inv.customerId)) at(inv.customerId);
  return { plan: prices.defaultPlan, customers: unlistedCustomers(prices, billed) };
}
