import type { TierStep } from '../../pricing/types';
import { minuteAmount } from '../amounts';
import type { Charge, ChargeInput, ChargePiece, StepUse } from './index';
import { stepIndexFor, tierLabel } from './tier-label';

/**
 * Graduated (SPEC §4.3): the version's seconds occupy the running count from
 * `countBefore` to `countBefore + seconds`, and are split over the version's own
 * steps by where they fall; each step with seconds is one piece at its price.
 */
export function graduatedCharge(steps: readonly TierStep[], input: ChargeInput): Charge {
  const pieces: ChargePiece[] = [];
  const uses: StepUse[] = [];
  const from = input.countBefore;
  const to = input.countBefore + input.seconds;
  let lower = 0;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    const upper = step.upToSeconds ?? Infinity;
    const s = Math.max(0, Math.min(to, upper) - Math.max(from, lower));
    const label = tierLabel(steps, i);
    uses.push({ label, upToSeconds: step.upToSeconds, perMinute: step.perMinute, seconds: s });
    if (s > 0) pieces.push({ ...minuteAmount(step.perMinute, s, input.minor, input.rounding), label });
    lower = upper;
  }
  const used = pieces.map((piece) => ({ label: piece.label, piece }));
  if (pieces.length === 0) {
    // contacts billed with 0 seconds still show the step the count sits in (a line, not a use of the step)
    const i = stepIndexFor(steps, from + 1);
    const step = steps[i]!;
    pieces.push({ ...minuteAmount(step.perMinute, 0, input.minor, input.rounding), label: tierLabel(steps, i) });
  }
  return { pieces, explanation: { model: 'graduated', used, tiers: { from, to, periodTotal: null, steps: uses } } };
}
