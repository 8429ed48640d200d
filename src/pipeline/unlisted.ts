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

/**
 * The usage records billed per customer not listed (none when no notice is due). An
 * invoice run counts them before it lets go of the per-customer state.
 */
export function unlistedRecordsOf(prices: PriceList, usage: UsageState): Map<string, number> {
  const records = new Map<string, number>();
  if (prices.defaultPlan === null || prices.unlistedCustomers !== 'bill') return records;
  for (const [id, c] of usage.customers) if (!prices.customers.has(id)) records.set(id, c.counts.voice + c.counts.chat + c.counts.abandoned);
  return records;
}

/** `usage`: the run's state, or its unlisted records counted beforehand (unlistedRecordsOf). */
export function unlistedOfRun(prices: PriceList, usage: UsageState | ReadonlyMap<string, number>, extras?: ExtrasState | null, invoices: readonly Invoice[] = []): UnlistedOfRun {
  if (prices.defaultPlan === null || prices.unlistedCustomers !== 'bill') return { plan: null, customers: [] };
  const billed = new Map<string, { records: number; extras: number }>();
  const at = (id: string) => {
    let e = billed.get(id);
    if (!e) billed.set(id, (e = { records: 0, extras: 0 }));
    return e;
  };
  for (const [id, n] of usage instanceof Map ? usage : unlistedRecordsOf(prices, usage as UsageState)) at(id).records += n;
  for (const [id, x] of extras?.customers ?? []) if (!prices.customers.has(id)) at(id).extras += x.rows;
  for (const inv of invoices) if (!prices.customers.has(inv.customerId)) at(inv.customerId);
  return { plan: prices.defaultPlan, customers: unlistedCustomers(prices, billed) };
}
