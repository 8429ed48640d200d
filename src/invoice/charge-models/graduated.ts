import type { TierStep } from '../../pricing/types';
import { minuteAmount } from '../amounts';
import type { ChargeInput, ChargePiece } from './index';
import { stepIndexFor, tierLabel } from './tier-label';

/**
 * Graduated (SPEC §4.3): the version's seconds occupy the running count from
 * `countBefore` to `countBefore + seconds`, and are split over the version's own
 * steps by where they fall; each step with seconds is one piece at its price.
 */
export function graduatedCharge(steps: readonly TierStep[], input: ChargeInput): ChargePiece[] {
  const out: ChargePiece[] = [];
  const from = input.countBefore;
  const to = input.countBefore + input.seconds;
  let lower = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const upper = step.upToSeconds ?? Infinity;
    const s = Math.max(0, Math.min(to, upper) - Math.max(from, lower));
    if (s > 0) {
      const { precise, amount } = minuteAmount(step.perMinute, s, input.minor, input.rounding);
      out.push({ seconds: s, perMinute: step.perMinute, precise, amount, label: tierLabel(steps, i) });
    }
    lower = upper;
  }
  if (out.length === 0) {
    // contacts billed with 0 seconds still show the step the count sits in
    const i = stepIndexFor(steps, from + 1);
    const step = steps[i]!;
    const { precise, amount } = minuteAmount(step.perMinute, 0, input.minor, input.rounding);
    out.push({ seconds: 0, perMinute: step.perMinute, precise, amount, label: tierLabel(steps, i) });
  }
  return out;
}
