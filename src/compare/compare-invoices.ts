import { compareIds } from '../invoice/build-invoices';
import type { Invoice } from '../invoice/types';
import { Dec, ZERO } from '../money/decimal';

/**
 * `callbill compare` (issue #7): the same usage billed under two price lists, per
 * customer. Pure: two invoice lists in, the differences out. Every figure is a sum
 * of rounded invoice figures, so a customer's line-code differences (with `tax`)
 * add up to the difference of its totals, and the customers add up to the totals row.
 */

export interface CodeDifference {
  /** A line code of SPEC §4.6, or `tax`. */
  code: string;
  a: Dec;
  b: Dec;
  difference: Dec;
  /** difference / a × 100, rounded half-up to 2 decimals; null when a is 0. */
  percent: Dec | null;
}

export interface CustomerDifference {
  customerId: string;
  customerName: string;
  /** Invoice totals (tax included); 0 when the list gives the customer no invoice. */
  totalA: Dec;
  totalB: Dec;
  difference: Dec;
  percent: Dec | null;
  lines: CodeDifference[];
  /**
   * SPEC §11: the tax rule each list applies to the customer ("VAT 23%", "VAT 0%: Reverse
   * charge…", "no tax"); null when the list gives the customer no invoice. A change of rule
   * shows even when the tax amount does not change (0% and none both tax 0.00).
   */
  taxRuleA: string | null;
  taxRuleB: string | null;
}

/** How compare names an invoice's tax rule. */
function invoiceTaxRule(inv: Invoice | undefined): string | null {
  if (!inv) return null;
  const base = inv.taxName === null || inv.taxRate === null ? 'no tax' : `${inv.taxName} ${inv.taxRate.toFixed()}%`;
  return inv.taxNote === null ? base : `${base}: ${inv.taxNote}`;
}

export interface Comparison {
  currency: string;
  minor: number;
  /** Largest absolute difference first, ties by customer_id. */
  customers: CustomerDifference[];
  totals: Omit<CustomerDifference, 'customerId' | 'customerName' | 'taxRuleA' | 'taxRuleB'>;
}

function percentOf(difference: Dec, base: Dec): Dec | null {
  if (base.isZero()) return null;
  return difference.times(100).div(base).toDecimalPlaces(2, Dec.ROUND_HALF_UP);
}

const FIXED_RANK: Record<string, number> = {
  'voice.usage': 0,
  'chat.usage': 1,
  'voice.contacts': 2,
  'chat.contacts': 3,
  'diversion.fee': 6,
  'sla.credit': 7,
  'minimum.shortfall': 8,
  tax: 9,
};

/** SPEC §4.6 order of codes (surcharges by band name within their channel), then tax. */
export function compareCodes(x: string, y: string): number {
  // SPEC §8 order: … diversion.fee, fee.<code>, service.<code>, sla.credit, minimum.shortfall
  const rank = (c: string): number =>
    FIXED_RANK[c] ?? (c.startsWith('voice.surcharge.') ? 4 : c.startsWith('chat.surcharge.') ? 5 : c.startsWith('fee.') ? 6.1 : c.startsWith('service.') ? 6.2 : 10);
  return rank(x) - rank(y) || compareIds(x, y);
}

function amountsByCode(inv: Invoice | undefined): Map<string, Dec> {
  const m = new Map<string, Dec>();
  if (!inv) return m;
  for (const l of inv.lines) m.set(l.code, (m.get(l.code) ?? ZERO).plus(l.amount));
  m.set('tax', inv.tax);
  return m;
}

function codeDifferences(a: Map<string, Dec>, b: Map<string, Dec>): CodeDifference[] {
  const codes = [...new Set([...a.keys(), ...b.keys()])].sort(compareCodes);
  return codes.map((code) => {
    const x = a.get(code) ?? ZERO;
    const y = b.get(code) ?? ZERO;
    const difference = y.minus(x);
    return { code, a: x, b: y, difference, percent: percentOf(difference, x) };
  });
}

export function compareInvoices(underA: readonly Invoice[], underB: readonly Invoice[], currency: string, minor: number): Comparison {
  const byA = new Map(underA.map((i) => [i.customerId, i]));
  const byB = new Map(underB.map((i) => [i.customerId, i]));
  const ids = [...new Set([...byA.keys(), ...byB.keys()])];
  const customers: CustomerDifference[] = ids.map((id) => {
    const a = byA.get(id);
    const b = byB.get(id);
    const totalA = a?.total ?? ZERO;
    const totalB = b?.total ?? ZERO;
    const difference = totalB.minus(totalA);
    return {
      customerId: id,
      customerName: a?.customerName ?? b?.customerName ?? id,
      totalA,
      totalB,
      difference,
      percent: percentOf(difference, totalA),
      lines: codeDifferences(amountsByCode(a), amountsByCode(b)),
      taxRuleA: invoiceTaxRule(a),
      taxRuleB: invoiceTaxRule(b),
    };
  });
  customers.sort((x, y) => y.difference.abs().comparedTo(x.difference.abs()) || compareIds(x.customerId, y.customerId));

  const sumA = new Map<string, Dec>();
  const sumB = new Map<string, Dec>();
  for (const c of customers) {
    for (const l of c.lines) {
      sumA.set(l.code, (sumA.get(l.code) ?? ZERO).plus(l.a));
      sumB.set(l.code, (sumB.get(l.code) ?? ZERO).plus(l.b));
    }
  }
  const totalA = customers.reduce((s, c) => s.plus(c.totalA), ZERO);
  const totalB = customers.reduce((s, c) => s.plus(c.totalB), ZERO);
  const difference = totalB.minus(totalA);
  return {
    currency,
    minor,
    customers,
    totals: { totalA, totalB, difference, percent: percentOf(difference, totalA), lines: codeDifferences(sumA, sumB) },
  };
}
