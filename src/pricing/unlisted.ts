/**
 * Customers billed under `default_plan` because the price list does not list them
 * (docs/reference.md §3.5). A typo in an export (`AMCE` for `ACME`) would otherwise be
 * invoiced as a new customer, monthly minimum included, without anyone being told: the
 * runs name every such customer with its record count, and the listed ids it looks like.
 */
import type { PriceList } from './types';

export interface UnlistedCustomer {
  id: string;
  /** Usage records billed for it. */
  records: number;
  /** Extras rows (services on request) billed for it. */
  extras: number;
  /** Listed ids it looks like (case or spacing, or an edit distance of 1–2), nearest first, at most 3. */
  lookalikes: string[];
}

/** How many customers a notice names with their lookalikes; the rest are counted. */
export const NAMED_AT_MOST = 20;

/**
 * The customers of a run that are not listed under `customers`, sorted by id, from the
 * records (and extras rows) billed per customer. Lookalikes are worked out for the first
 * `named` only: a month of thousands of unlisted ids against thousands of listed ones
 * would otherwise cost more than the billing.
 */
export function unlistedCustomers(prices: PriceList, billed: ReadonlyMap<string, { records: number; extras: number }>, named = NAMED_AT_MOST): UnlistedCustomer[] {
  const ids = [...billed.keys()].filter((id) => !prices.customers.has(id)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const listed = [...prices.customers.keys()];
  return ids.map((id, i) => ({ id, ...billed.get(id)!, lookalikes: i < named ? lookalikes(id, listed) : [] }));
}

/** Case, blanks and the usual separators do not make two ids different to a reader. */
function folded(id: string): string {
  return id.toLowerCase().replace(/[\s_.-]+/g, '');
}

/**
 * The listed ids that `id` may be a typo of: the same when case, blanks, `-`, `_` and
 * `.` are ignored, or at most 2 edits away (a transposed pair counts as one edit) when
 * the id is long enough for that to be a likeness: 1 edit from 3 characters, 2 edits from 6.
 */
export function lookalikes(id: string, listed: readonly string[]): string[] {
  const f = folded(id);
  const found: Array<{ key: string; d: number }> = [];
  for (const key of listed) {
    if (key === id) continue;
    const fk = folded(key);
    if (fk === f) {
      found.push({ key, d: 0 });
      continue;
    }
    const shorter = Math.min(f.length, fk.length);
    const limit = shorter >= 6 ? 2 : shorter >= 3 ? 1 : 0;
    if (limit === 0 || Math.abs(f.length - fk.length) > limit) continue;
    const d = editDistance(f, fk, limit);
    if (d <= limit) found.push({ key, d });
  }
  found.sort((a, b) => a.d - b.d || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return found.slice(0, 3).map((x) => x.key);
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, and
 * transpositions of neighbours), by code point; stops early with `limit + 1` once
 * every alignment is further than `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  const s = Array.from(a);
  const t = Array.from(b);
  let prev2: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let best = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur.push(v);
      best = Math.min(best, v);
    }
    if (best > limit) return limit + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[t.length]!;
}
