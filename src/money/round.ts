import { Dec } from './decimal';

export type RoundingMode = 'half-up' | 'half-even';

/**
 * The one place where a money amount is rounded (SPEC §4.3: exact until the end of
 * a line, then rounded once to the currency's minor units). `half-up` rounds a tie
 * away from zero, so a credit of -0.005 becomes -0.01 like its positive mirror.
 */
export function roundMoney(exact: Dec, minor: number, mode: RoundingMode): Dec {
  return exact.toDecimalPlaces(minor, mode === 'half-up' ? Dec.ROUND_HALF_UP : Dec.ROUND_HALF_EVEN);
}

/** Text of an amount with exactly the currency's minor digits: "1049.92", "-12.50", "1050". */
export function formatMoney(amount: Dec, minor: number): string {
  const s = amount.toFixed(minor);
  // -0.00 is not a figure anyone wants on a bill
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** True when `d` is a whole number of minor units (SPEC §3: fixed amounts must be). */
export function isWholeMinor(d: Dec, minor: number): boolean {
  return d.decimalPlaces() <= minor;
}

/**
 * Integer division with the price list's rounding, for non-negative safe integers
 * or bigints. Used by the hot path (transfer costs in minor units) where results
 * must equal what decimal arithmetic gives.
 */
export function divRoundBig(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den;
  const r = num - q * den;
  const twice = r * 2n;
  if (twice > den) return q + 1n;
  if (twice < den) return q;
  return mode === 'half-up' ? q + 1n : q % 2n === 0n ? q : q + 1n;
}
