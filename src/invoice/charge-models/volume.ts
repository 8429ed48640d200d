import type { TierStep } from '../../pricing/types';
import { minuteAmount } from '../amounts';
import type { Charge, ChargeInput } from './index';
import { stepIndexFor, tierLabel } from './tier-label';

/**
 * Volume (SPEC §4.3): the step that the period's total falls in prices all of the
 * version's seconds, at this version's price for that step; one piece per version.
 */
export function volumeCharge(steps: readonly TierStep[], input: ChargeInput): Charge {
  const at = stepIndexFor(steps, input.periodTotal);
  const step = steps[at]!;
  const label = tierLabel(steps, at);
  const piece = { ...minuteAmount(step.perMinute, input.seconds, input.minor, input.rounding), label: `${label} by volume` };
  const uses = steps.map((s, i) => ({ label: tierLabel(steps, i), upToSeconds: s.upToSeconds, perMinute: s.perMinute, seconds: i === at ? input.seconds : null }));
  return {
    pieces: [piece],
    explanation: {
      model: 'volume',
      used: [{ label: `${label} (volume)`, piece }],
      tiers: { from: input.countBefore, to: input.countBefore + input.seconds, periodTotal: input.periodTotal, steps: uses },
    },
  };
}
