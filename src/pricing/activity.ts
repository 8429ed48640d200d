import type { Customer } from './types';

/** SPEC §8: whether a customer is active on a local date (active_from and active_until inclusive; unlisted: always). */
export function isActiveOn(customer: Customer | undefined, isoDate: string): boolean {
  if (!customer) return true;
  if (customer.activeFrom && isoDate < customer.activeFrom) return false;
  if (customer.activeUntil && isoDate > customer.activeUntil) return false;
  return true;
}

/** Whether the customer is active on at least one day of [start, end] (SPEC §4.7). */
export function isActiveIn(customer: Customer | undefined, start: string, end: string): boolean {
  if (!customer) return true;
  if (customer.activeFrom && customer.activeFrom > end) return false;
  if (customer.activeUntil && customer.activeUntil < start) return false;
  return true;
}

/** SPEC §8: the message of a usage record or extras row of a customer on a day it is not active. */
export function inactiveMessage(customerId: string, date: string, from: string | null, until: string | null): string {
  const range = from && until ? `from ${from} to ${until}` : from ? `from ${from}` : `until ${until}`;
  return `customer ${customerId} is not active on ${date} (active ${range})`;
}
