import type { Dec } from '../../money/decimal';
import { minuteAmount } from '../amounts';
import type { ChargeInput, ChargePiece } from './index';

/** Flat: per_minute × seconds / 60, one line per version used. */
export function flatCharge(perMinute: Dec, input: ChargeInput): ChargePiece[] {
  const { precise, amount } = minuteAmount(perMinute, input.seconds, input.minor, input.rounding);
  return [{ seconds: input.seconds, perMinute, precise, amount, label: 'per minute' }];
}
