import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import type { InvoiceLine } from '../invoice/types';

/** A line's unit price: an exact rate for time and contact lines, an amount for fees and items. */
export function unitPriceText(line: InvoiceLine, minor: number): string {
  return line.unit === 'minute' || line.unit === 'contact' ? rateText(line.unitPrice, minor) : formatMoney(line.unitPrice, minor);
}

/** A rate with at least the currency's minor digits, more when it has them: 0.6 → "0.60", 0.015 → "0.015". */
export function rateText(rate: Dec, minor: number): string {
  return rate.toFixed(Math.max(minor, rate.decimalPlaces()));
}

export function money(d: Dec, minor: number): string {
  return formatMoney(d, minor);
}
