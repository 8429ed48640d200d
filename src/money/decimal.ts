import Decimal from 'decimal.js';
import { quoteValue } from '../errors';

/**
 * The one configured decimal constructor of callbill (no global Decimal.set).
 * 60 significant digits: prices are short decimals and seconds are integers, so a
 * line's exact value (price × seconds / 60) is either exact here or, when it does
 * not terminate, cannot sit on a rounding tie, so rounding it once is exact.
 */
export const Dec = Decimal.clone({
  precision: 60,
  rounding: Decimal.ROUND_HALF_UP,
  toExpNeg: -100,
  toExpPos: 100,
});
export type Dec = Decimal;

export const ZERO = new Dec(0);

/** A plain non-negative or negative decimal as written in a file: no exponent, no hex, no sign other than '-'. */
const DECIMAL_RE = /^-?(?:0|[1-9][0-9]*|0[0-9]+)(?:\.[0-9]+)?$/;

/** The longest decimal text we accept: a price has no business being longer. */
const MAX_DECIMAL_CHARS = 40;

export type DecimalParse = { ok: true; value: Dec } | { ok: false; reason: string };

/** Parses the exact source text of a number; never goes through a JS number. */
export function parseDecimalText(text: string): DecimalParse {
  const t = text.trim();
  if (t.length === 0) return { ok: false, reason: 'expected a decimal number, found nothing' };
  if (t.length > MAX_DECIMAL_CHARS) return { ok: false, reason: `number too long (${t.length} characters, at most ${MAX_DECIMAL_CHARS})` };
  if (!DECIMAL_RE.test(t)) return { ok: false, reason: `expected a plain decimal number like 0.85, found ${quoteValue(t)}` };
  return { ok: true, value: new Dec(t) };
}
