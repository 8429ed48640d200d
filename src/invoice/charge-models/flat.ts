import type { Dec } from '../../money/decimal';
import { minuteAmount } from '../amounts';
import type { Charge, ChargeInput } from './index';

/** Flat: per_minute × seconds / 60, one line per version used. Band surcharges are priced so too. */
export function flatCharge(perMinute: Dec, input: ChargeInput): Charge {
  const piece = { ...minuteAmount(perMinute, input.seconds, input.minor, input.rounding), label: 'per minute' };
  return { pieces: [piece], explanation: { model: 'flat', used: [{ label: piece.label, piece }], tiers: null } };
}
