import type { Increment } from '../pricing/types';

/**
 * SPEC §4.2: d = 0 → 0; d ≤ first → first; else first + ceil((d − first) / next) × next.
 * (Also the rule for the onward leg of a diversion, §4.4 step 1.)
 */
export function billableSeconds(d: number, inc: Increment): number {
  if (d <= 0) return 0;
  if (d <= inc.first) return inc.first;
  return inc.first + Math.ceil((d - inc.first) / inc.next) * inc.next;
}
