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
  /** perMinute × seconds, exact: `precise` is this / 60 (an explanation writes it out without rounding). */
  priceTimesSeconds: Dec;
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

/** A step of tiered pricing and what a charge put in it. */
export interface StepUse {
  label: string;
  upToSeconds: number | null;
  perMinute: Dec;
  /** Seconds this charge priced in the step; null for a step it did not look at (volume prices in one step only). */
  seconds: number | null;
}

/**
 * Why a charge came out as it did, in terms a reader can check: the pieces that
 * priced seconds (named as an explanation names them) and, for tiered pricing,
 * the window of the running count the seconds occupied and every step with what
 * fell in it. `explain` shows this; it never prices anything itself.
 */
export interface ChargeExplanation {
  model: ChargeModelName;
  used: Array<{ label: string; piece: ChargePiece }>;
  tiers: {
    /** The seconds priced are seconds `from`..`to` of the running count. */
    from: number;
    to: number;
    /** The period's total, when it picks the step (volume); else null. */
    periodTotal: number | null;
    steps: StepUse[];
  } | null;
}

/** What a charge model returns: the pieces (invoice lines to be) and their explanation. */
export interface Charge {
  pieces: ChargePiece[];
  explanation: ChargeExplanation;
}

export type ChargeModelName = 'flat' | 'graduated' | 'volume';

function assertNever(x: never): never {
  throw new Error(`unhandled pricing ${JSON.stringify(x)}`);
}

/** SPEC §4.3, one pricing model per file behind an exhaustive switch. */
export function priceChannel(pricing: ChannelPricing, input: ChargeInput): Charge {
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

/** SPEC §4.3 band surcharges: a flat price per minute on the seconds that fell in the band. */
export function surchargeCharge(perMinute: Dec, seconds: number, minor: number, rounding: RoundingMode): ChargePiece {
  return flatCharge(perMinute, { seconds, countBefore: 0, periodTotal: seconds, minor, rounding }).pieces[0]!;
}
