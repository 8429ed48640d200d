import type { Dec } from '../money/decimal';
import type { Currency } from '../money/currency';
import type { RoundingMode } from '../money/round';
import type { PrefixTable } from './prefix-table';

export type Channel = 'voice' | 'chat';
export const CHANNELS: readonly Channel[] = ['voice', 'chat'];

export interface Increment {
  first: number;
  next: number;
}

export interface TierStep {
  /** Inclusive upper bound in seconds (`up_to_minutes` × 60); null for the last step. */
  upToSeconds: number | null;
  upToMinutes: Dec | null;
  perMinute: Dec;
}

export type ChannelPricing =
  | { kind: 'flat'; perMinute: Dec }
  | { kind: 'tiers'; mode: 'graduated' | 'volume'; steps: TierStep[] };

export interface ChannelTerms {
  pricing: ChannelPricing;
  increment: Increment;
  perContact: Dec | null;
}

export interface Band {
  name: string;
  /** days[0] = Sunday … days[6] = Saturday; null = every day. */
  days: boolean[] | null;
  /** Minutes after local midnight; both null = the whole day. */
  fromMinute: number | null;
  toMinute: number | null;
  holidays: boolean;
  voice: boolean;
  chat: boolean;
  surchargePerMinute: Dec;
}

export interface DiversionRate {
  perMinute: Dec;
}

export interface DiversionTerms {
  fee: Dec;
  mobile: { perMinute: Dec; increment: Increment } | null;
  international: { increment: Increment; destinations: PrefixTable; defaultPerMinute: Dec | null } | null;
}

export interface SlaTerms {
  serviceLevel: { answerWithinSeconds: number; targetPercent: Dec } | null;
  maxAverageResponse: { voice: Dec | null; chat: Dec | null };
  creditPercentPerMiss: Dec;
  creditCapPercent: Dec | null;
}

export interface PlanVersion {
  plan: string;
  /** Position in the plan's list, which is in date order. */
  index: number;
  effectiveFrom: string;
  /** Instant of local midnight starting `effectiveFrom`. */
  fromMs: number;
  voice: ChannelTerms | null;
  chat: ChannelTerms | null;
  bands: Band[];
  /** Local day numbers (days since 1970-01-01) of the holidays. */
  holidays: Set<number>;
  diversion: DiversionTerms | null;
  sla: SlaTerms | null;
  minimumMonthly: Dec | null;
}

export interface Plan {
  name: string;
  versions: PlanVersion[];
}

/** A tax rule (SPEC §3 `tax`, §11 a customer's own): tax = subtotal × rate / 100, rounded once. */
export interface TaxRule {
  name: string;
  rate: Dec;
  /** Printed on the invoice (a reverse-charge or exemption mention); null when none. */
  note: string | null;
}

export interface Customer {
  id: string;
  name: string;
  plan: string;
  /**
   * SPEC §11: the customer's own tax rule, replacing the price list's: a rule,
   * `'none'` (`tax: none`, no tax at all), or undefined when the customer has none.
   */
  tax?: TaxRule | 'none';
}

export interface PriceList {
  file: string;
  currency: Currency;
  timezone: string;
  rounding: RoundingMode;
  tax: TaxRule | null;
  paymentTermsDays: number;
  invoiceNumber: string;
  defaultPlan: string | null;
  customers: Map<string, Customer>;
  plans: Map<string, Plan>;
}
