import { Dec } from './decimal';

/**
 * Money in minor units: the one place where an amount is rounded and where an
 * exact decimal meets the integers of the hot loop (cents as bigint).
 *
 * SPEC §4.3: exact until the end of a line, then rounded once to the currency's
 * minor units with the price list's mode. There is one rounding rule,
 * `roundQuotient`, on exact fractions of integers: `roundMoney` applies it to a
 * decimal amount, `minuteCostMinor` to a price × seconds / 60 kept in integers.
 * test/property/money-integers.test.ts checks both against decimal arithmetic.
 */

export type RoundingMode = 'half-up' | 'half-even';

/**
 * num / den rounded to an integer, for num ≥ 0 and den > 0: `half-up` takes a tie
 * up, `half-even` to the even neighbour.
 */
function roundQuotient(num: bigint, den: bigint, mode: RoundingMode): bigint {
  const q = num / den;
  const twice = (num - q * den) * 2n;
  if (twice > den) return q + 1n;
  if (twice < den) return q;
  return mode === 'half-up' || q % 2n !== 0n ? q + 1n : q;
}

const scales: bigint[] = [];

/** 10^n as a bigint. */
function tenTo(n: number): bigint {
  return (scales[n] ??= 10n ** BigInt(n));
}

/** An exact decimal as an integer over a power of ten: 1.275 → { units: 1275n, places: 3 }. */
export function decimalFraction(d: Dec): { units: bigint; places: number } {
  const places = d.decimalPlaces();
  return { units: BigInt(d.times(new Dec(10).pow(places)).toFixed(0)), places };
}

/**
 * The amount, rounded once to the currency's minor units with the price list's
 * mode. `half-up` rounds a tie away from zero, so a credit of -0.005 becomes -0.01
 * like its positive mirror; an amount that rounds to nothing keeps its sign, as
 * decimal rounding does (formatMoney never prints -0).
 */
export function roundMoney(exact: Dec, minor: number, mode: RoundingMode): Dec {
  const { units, places } = decimalFraction(exact);
  if (places <= minor) return exact;
  const negative = units < 0n;
  const q = roundQuotient(negative ? -units : units, tenTo(places - minor), mode);
  if (q === 0n) return negative ? new Dec(-0) : new Dec(0);
  return fromMinorUnits(negative ? -q : q, minor);
}

/** A whole amount of minor units (a fee, a balance: checked as such when read) as an integer: 50.00 EUR → 5000n. */
export function toMinorUnits(amount: Dec, minor: number): bigint {
  return BigInt(amount.times(new Dec(10).pow(minor)).toFixed(0));
}

/** Minor units as a decimal amount: 5000n → 50 (EUR). */
export function fromMinorUnits(n: bigint, minor: number): Dec {
  return new Dec(n.toString()).div(new Dec(10).pow(minor));
}

/** Minor units as an amount with the currency's digits: 3600n, 2 → "36.00"; no decimal detour. */
export function minorUnitsText(n: bigint, minor: number): string {
  if (minor === 0) return n.toString();
  const neg = n < 0n;
  const a = neg ? -n : n;
  const scale = tenTo(minor);
  return `${neg ? '-' : ''}${a / scale}.${(a % scale).toString().padStart(minor, '0')}`;
}

/** A price per minute as an exact fraction of minor units per second: cost = seconds × num / den. */
export interface MinorPerSecond {
  num: bigint;
  den: bigint;
}

/** 0.015 a minute, EUR → 1.5 cents a minute → 15 / 600 cents a second (not reduced: exactness is all that counts). */
export function minorPerSecond(perMinute: Dec, minor: number): MinorPerSecond {
  const { units, places } = decimalFraction(perMinute);
  return { num: units * tenTo(minor), den: 60n * tenTo(places) };
}

/**
 * SPEC §4.4 step 3: price × seconds / 60 rounded once to minor units, in integers
 * (the hot loop, once per diverted record). Equal to
 * toMinorUnits(roundMoney(price × seconds / 60)) for every non-negative price and
 * whole number of seconds.
 */
export function minuteCostMinor(rate: MinorPerSecond, seconds: number, mode: RoundingMode): bigint {
  return roundQuotient(BigInt(seconds) * rate.num, rate.den, mode);
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
