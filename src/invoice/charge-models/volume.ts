import type { TierStep } from '../../pricing/types';
import { minuteAmount } from '../amounts';
import type { ChargeInput, ChargePiece } from './index';
import { stepIndexFor, tierLabel } from './tier-label';

/**
 * Volume (SPEC §4.3): the step that the period's total falls in prices all of the
 * version's seconds, at this version's price for that step; one piece per version.
 */
export function volumeCharge(steps: readonly TierStep[], input: ChargeInput): ChargePiece[] {
  const i = stepIndexFor(steps, input.periodTotal);
  const step = steps[i]!;
  const { precise, amount } = minuteAmount(step.perMinute, input.seconds, input.minor, input.rounding);
  return [{ seconds: input.seconds, perMinute: step.perMinute, precise, amount, label: `${tierLabel(steps, i)} by volume` }];
}
