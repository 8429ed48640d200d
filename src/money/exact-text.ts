import type { Dec } from './decimal';
import { decimalFraction } from './round';

/** How many digits after the point we follow before giving up on a repeat (never reached: divisors here are 60 or 1). */
const MAX_DIGITS = 200;

/**
 * The exact text of `n / d` for a decimal `n` and a positive integer `d`, as
 * `callbill explain` shows a record's share of a line before rounding. A quotient
 * that terminates is written in full, with at least `minDigits` decimals
 * (`9 / 1` → "9.00"); one that does not is written with its repeating digits in
 * parentheses (`80.75 / 60` → "1.3458(3)", i.e. 1.34583333…). Either way nothing
 * is cut off: the text is the exact value. Pure integer arithmetic (bigint).
 */
export function exactQuotient(n: Dec, d: bigint, minDigits: number): string {
  if (d <= 0n) throw new Error('exactQuotient: the divisor must be positive');
  const { units: scaled, places: k } = decimalFraction(n);
  const negative = scaled < 0n;
  const num = negative ? -scaled : scaled;
  const den = d * 10n ** BigInt(k);
  const whole = num / den;
  let rem = num % den;
  const digits: string[] = [];
  const seen = new Map<bigint, number>();
  let repeatFrom = -1;
  while (rem !== 0n && digits.length < MAX_DIGITS) {
    const at = seen.get(rem);
    if (at !== undefined) {
      repeatFrom = at;
      break;
    }
    seen.set(rem, digits.length);
    rem *= 10n;
    digits.push((rem / den).toString());
    rem %= den;
  }
  let frac: string;
  if (repeatFrom >= 0) {
    frac = `${digits.slice(0, repeatFrom).join('')}(${digits.slice(repeatFrom).join('')})`;
  } else {
    frac = digits.join('').padEnd(minDigits, '0');
  }
  const sign = negative && (whole !== 0n || digits.length > 0) ? '-' : '';
  return frac === '' ? `${sign}${whole}` : `${sign}${whole}.${frac}`;
}

/** True when `n / d` has a finite decimal expansion. */
export function terminates(n: Dec, d: bigint): boolean {
  return !exactQuotient(n, d, 0).includes('(');
}
