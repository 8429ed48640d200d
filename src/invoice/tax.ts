import { ZERO } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { roundMoney } from '../money/round';
import type { RoundingMode } from '../money/round';
import type { PriceList, TaxRule } from '../pricing/types';

/** Which tax rule an invoice follows, and where it comes from (explain names it). */
export interface AppliedTax {
  /** null: no tax at all (`tax: none`, or a price list without `tax`). */
  rule: TaxRule | null;
  from: 'customer' | 'price_list';
}

/** SPEC §11: a customer's own `tax` replaces the price list's for its invoices. */
export function taxRuleFor(customerId: string, prices: PriceList): AppliedTax {
  const own = prices.customers.get(customerId)?.tax;
  if (own === 'none') return { rule: null, from: 'customer' };
  if (own !== undefined) return { rule: own, from: 'customer' };
  return { rule: prices.tax, from: 'price_list' };
}

/** SPEC §4.5: tax = subtotal × rate / 100, rounded once; no rule, no tax. */
export function taxAmount(subtotal: Dec, rule: TaxRule | null, minor: number, mode: RoundingMode): { precise: Dec; amount: Dec } {
  if (rule === null) return { precise: ZERO, amount: ZERO };
  const precise = subtotal.times(rule.rate).div(100);
  return { precise, amount: roundMoney(precise, minor, mode) };
}

/** How people read a rule: "VAT 23%", "VAT 0%", "no tax". */
export function taxRuleText(rule: TaxRule | null): string {
  return rule === null ? 'no tax' : `${rule.name} ${rule.rate.toFixed()}%`;
}
