import type { Dec } from '../../money/decimal';
import type { RoundingMode } from '../../money/round';
import type { ChannelPricing } from '../../pricing/types';
import { flatCharge } from './flat';
import { graduatedCharge } from './graduated';
import { volumeCharge } from './volume';

/** One priced piece of a version's seconds: a line to be. */
export interface ChargePiece {
  seconds: number;
  perMinute: Dec;
  precise: Dec;
  amount: Dec;
  /** How a reader names the piece: "per minute", "10,001–50,000 min". */
  label: string;
}

export interface ChargeInput {
  /** This version's billable seconds of the channel. */
  seconds: number;
  /** Seconds of the same customer and channel counted before this version (earlier versions). */
  countBefore: number;
  /** All the period's seconds of the customer and channel (volume tiers). */
  periodTotal: number;
  minor: number;
  rounding: RoundingMode;
}

function assertNever(x: never): never {
  throw new Error(`unhandled pricing ${JSON.stringify(x)}`);
}

/** SPEC §4.3, one pricing model per file behind an exhaustive switch. */
export function priceChannel(pricing: ChannelPricing, input: ChargeInput): ChargePiece[] {
  switch (pricing.kind) {
    case 'flat':
      return flatCharge(pricing.perMinute, input);
    case 'tiers':
      switch (pricing.mode) {
        case 'graduated':
          return graduatedCharge(pricing.steps, input);
        case 'volume':
          return volumeCharge(pricing.steps, input);
        default:
          return assertNever(pricing.mode);
      }
    default:
      return assertNever(pricing);
  }
}
