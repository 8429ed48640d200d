import type { Dec } from '../money/decimal';

/** More destination prefixes than this in one table is a price-list error (a rate sheet is not that long). */
export const MAX_PREFIXES = 2_000_000;

/** Key of a prefix: its digits as a number, offset by its length so that "044" and "44" differ (< 2^53 for 15 digits). */
const BASE: number[] = [0];
for (let n = 1; n <= 16; n++) BASE[n] = BASE[n - 1]! + 10 ** (n - 1);

function keyOf(prefix: string, n = prefix.length): number {
  return BASE[n]! + Number(prefix.slice(0, n));
}

/**
 * Destination prefixes → rate, longest prefix wins (SPEC §4.4), held in two typed
 * arrays (a sorted key per prefix, the index of its rate) and one Dec per distinct
 * rate: about 12 bytes a prefix instead of a map entry, a string and a decimal object
 * each. A lookup tries the lengths that occur, longest first, with a binary search each:
 * at most 15 × log2(n) comparisons, whatever the size of the carrier's rate sheet.
 */
export class PrefixTable {
  private buildKeys: number[] = [];
  private buildRates: number[] = [];
  private keys = new Float64Array(0);
  private rateOf = new Uint32Array(0);
  private readonly rates: Dec[] = [];
  private readonly rateIndex = new Map<string, number>();
  /** Bit n set: some prefix has n digits. */
  private lengths = 0;
  private maxLength = 0;
  private built = true;

  /** Adds a prefix of 1 to 15 digits (the caller checks them). */
  set(prefix: string, rate: Dec): void {
    const text = rate.toString();
    let ri = this.rateIndex.get(text);
    if (ri === undefined) {
      ri = this.rates.length;
      this.rates.push(rate);
      this.rateIndex.set(text, ri);
    }
    this.buildKeys.push(keyOf(prefix));
    this.buildRates.push(ri);
    this.lengths |= 1 << prefix.length;
    if (prefix.length > this.maxLength) this.maxLength = prefix.length;
    this.built = false;
  }

  /**
   * Sorts what was added; returns the positions (in the order added) of prefixes
   * that repeat an earlier one, which are left out. Called by the first look-up if not before.
   */
  finish(): number[] {
    if (this.built) return [];
    const n = this.buildKeys.length;
    const order = new Uint32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    const bk = this.buildKeys;
    order.sort((a, b) => bk[a]! - bk[b]! || a - b);
    const keys = new Float64Array(n);
    const rates = new Uint32Array(n);
    const repeated: number[] = [];
    let k = 0;
    for (let j = 0; j < n; j++) {
      const i = order[j]!;
      if (k > 0 && keys[k - 1] === bk[i]) {
        repeated.push(i);
        continue;
      }
      keys[k] = bk[i]!;
      rates[k] = this.buildRates[i]!;
      k++;
    }
    this.keys = k === n ? keys : keys.slice(0, k);
    this.rateOf = k === n ? rates : rates.slice(0, k);
    this.buildKeys = [];
    this.buildRates = [];
    this.built = true;
    return repeated.sort((a, b) => a - b);
  }

  get size(): number {
    this.finish();
    return this.keys.length;
  }

  has(prefix: string): boolean {
    return /^[0-9]{1,15}$/.test(prefix) && this.find(keyOf(prefix)) >= 0;
  }

  /** The longest stored prefix of `digits`, or undefined. */
  match(digits: string): { prefix: string; rate: Dec } | undefined {
    this.finish();
    for (let n = Math.min(this.maxLength, digits.length); n > 0; n--) {
      if ((this.lengths & (1 << n)) === 0) continue;
      const at = this.find(keyOf(digits, n));
      if (at >= 0) return { prefix: digits.slice(0, n), rate: this.rates[this.rateOf[at]!]! };
    }
    return undefined;
  }

  private find(key: number): number {
    this.finish();
    const keys = this.keys;
    let lo = 0;
    let hi = keys.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = keys[mid]!;
      if (v === key) return mid;
      if (v < key) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }
}
