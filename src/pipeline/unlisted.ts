import type { Invoice } from '../invoice/types';
import type { PriceList } from '../pricing/types';
import { lookalikes, NAMED_AT_MOST, unlistedCustomers } from '../pricing/unlisted';
import type { UnlistedCustomer } from '../pricing/unlisted';
import type { ExtrasState } from '../rating/extras-fold';
import type { UsageState } from '../rating/usage-state';

/**
 * The customers of a run billed under default_plan because they are not listed
 * (docs/reference.md §3.5): how many, and the first NAMED_AT_MOST by id with the usage
 * records and extras rows billed for each and the listed ids they look like (the notices
 * name those and count the rest).
 */
export interface UnlistedOfRun {
  /** The default_plan they were billed under (null: none, so there are none). */
  plan: string | null;
  count: number;
  named: UnlistedCustomer[];
}

/** Records billed for a customer: its contacts of every kind. */
function recordsOf(counts: { voice: number; chat: number; abandoned: number }): number {
  return counts.voice + counts.chat + counts.abandoned;
}

function billsUnlisted(prices: PriceList): boolean {
  return prices.defaultPlan !== null && prices.unlistedCustomers === 'bill';
}

/** The customers not listed in a folded usage (`check`: what a run would bill). */
export function unlistedOfRun(prices: PriceList, usage: UsageState): UnlistedOfRun {
  if (!billsUnlisted(prices)) return { plan: null, count: 0, named: [] };
  const billed = new Map<string, { records: number; extras: number }>();
  for (const [id, c] of usage.customers) if (!prices.customers.has(id)) billed.set(id, { records: recordsOf(c.counts), extras: 0 });
  const list = unlistedCustomers(prices, billed);
  return { plan: prices.defaultPlan, count: list.length, named: list.slice(0, NAMED_AT_MOST) };
}

/**
 * The same for an invoice run, told each invoice as it is built (in customer-id order):
 * every customer a run bills has an invoice, so the customers not listed are those of the
 * invoices, an invoice for an opening balance alone among them (0 records).
 */
export class UnlistedTally {
  private count = 0;
  private readonly named: UnlistedCustomer[] = [];
  private readonly listed: string[];

  constructor(private readonly prices: PriceList, private readonly extras?: ExtrasState | null) {
    this.listed = billsUnlisted(prices) ? [...prices.customers.keys()] : [];
  }

  /** The invoice's customer when it is not listed: its records, extras rows and (for the first ones named) lookalikes. */
  see(inv: Invoice): UnlistedCustomer | undefined {
    if (!billsUnlisted(this.prices) || this.prices.customers.has(inv.customerId)) return undefined;
    const named = this.count++ < NAMED_AT_MOST;
    const u = {
      id: inv.customerId,
      records: recordsOf(inv.counts),
      extras: this.extras?.customers.get(inv.customerId)?.rows ?? 0,
      lookalikes: named ? lookalikes(inv.customerId, this.listed) : [],
    };
    if (named) this.named.push(u);
    return u;
  }

  result(): UnlistedOfRun {
    if (!billsUnlisted(this.prices)) return { plan: null, count: 0, named: [] };
    return { plan: this.prices.defaultPlan, count: this.count, named: this.named };
  }
}
