import type { Dec } from '../money/decimal';

/**
 * Destination prefixes → rate, longest prefix wins (SPEC §4.4). A lookup tries the
 * number's own prefixes from the longest stored length down: at most one map probe
 * per digit of the longest prefix, whatever the size of the carrier's rate sheet.
 */
export class PrefixTable {
  private readonly byPrefix = new Map<string, Dec>();
  private maxLength = 0;

  set(prefix: string, rate: Dec): void {
    this.byPrefix.set(prefix, rate);
    if (prefix.length > this.maxLength) this.maxLength = prefix.length;
  }

  has(prefix: string): boolean {
    return this.byPrefix.has(prefix);
  }

  get size(): number {
    return this.byPrefix.size;
  }

  /** The longest stored prefix of `digits`, or undefined. */
  match(digits: string): { prefix: string; rate: Dec } | undefined {
    for (let n = Math.min(this.maxLength, digits.length); n > 0; n--) {
      const p = digits.slice(0, n);
      const rate = this.byPrefix.get(p);
      if (rate !== undefined) return { prefix: p, rate };
    }
    return undefined;
  }
}
