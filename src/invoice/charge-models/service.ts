import { Dec } from '../../money/decimal';
import { formatMoney, roundMoney } from '../../money/round';
import type { RoundingMode } from '../../money/round';
import type { ServiceTerms } from '../../pricing/types';

/** Quantities of extras are kept as exact thousandths (SPEC §8: at most 3 decimals). */
const QUANTITY_SCALE = 1000n;

/** A quantity in thousandths as people write it: 1500n → "1.5", 3000n → "3". */
export function quantityText(thousandths: bigint): string {
  return new Dec(thousandths.toString()).div(QUANTITY_SCALE.toString()).toFixed();
}

export interface ServicePiece {
  quantity: Dec;
  precise: Dec;
  amount: Dec;
  /** "2.50 × 3 request = 7.50" */
  explanation: string;
}

/** SPEC §8: a service line is price × the sum of the quantities, rounded once. */
export function serviceCharge(service: ServiceTerms, thousandths: bigint, minor: number, rounding: RoundingMode): ServicePiece {
  const quantity = new Dec(thousandths.toString()).div(QUANTITY_SCALE.toString());
  const precise = service.price.times(quantity);
  const amount = roundMoney(precise, minor, rounding);
  const price = service.price.toFixed(Math.max(minor, service.price.decimalPlaces()));
  const exact = precise.toFixed(Math.max(minor, precise.decimalPlaces()));
  const rounded = formatMoney(amount, minor);
  return { quantity, precise, amount, explanation: `${price} × ${quantity.toFixed()} ${service.unit} = ${exact}${exact === rounded ? '' : ` → ${rounded}`}` };
}
