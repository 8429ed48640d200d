import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import type { InvoiceLine } from '../invoice/types';

/**
 * A line's unit price: an amount for diversion fees and items; an exact rate, with at
 * least the currency's minor digits, for the others (a service price or a monthly fee
 * of a fractional quantity may be finer than the minor unit).
 */
export function unitPriceText(line: InvoiceLine, minor: number): string {
  return line.code === 'diversion.fee' || line.code === 'sla.credit' || line.code === 'minimum.shortfall' ? formatMoney(line.unitPrice, minor) : rateText(line.unitPrice, minor);
}

/** A rate with at least the currency's minor digits, more when it has them: 0.6 → "0.60", 0.015 → "0.015". */
export function rateText(rate: Dec, minor: number): string {
  return rate.toFixed(Math.max(minor, rate.decimalPlaces()));
}

export function money(d: Dec, minor: number): string {
  return formatMoney(d, minor);
}

/**
 * A decimal string for people: thousands separators in the whole part (as the line
 * descriptions write "10,000 min"), the fraction and the sign untouched. The table only:
 * CSV and JSON keep plain numbers a spreadsheet or a program reads.
 */
export function grouped(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) return decimal;
  return `${m[1] ?? ''}${m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${m[3] ?? ''}`;
}
