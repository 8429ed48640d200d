import type { Dec } from '../money/decimal';
import type { Currency } from '../money/currency';
import type { RoundingMode } from '../money/round';
import type { PrefixTable } from './prefix-table';

/** SPEC §2 channels, in the order invoices list them. */
export const CHANNELS = ['voice', 'chat'] as const;
export type Channel = (typeof CHANNELS)[number];

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

export interface DiversionTerms {
  fee: Dec;
  mobile: { perMinute: Dec; increment: Increment } | null;
  international: { increment: Increment; destinations: PrefixTable; defaultPerMinute: Dec | null } | null;
}

export interface SlaTerms {
  /** SPEC §8: what the credit is a percentage of: usage charges U, or U + the `fee.*` lines. */
  creditBase: 'usage' | 'usage_and_fees';
  serviceLevel: { answerWithinSeconds: number; targetPercent: Dec } | null;
  maxAverageResponse: { voice: Dec | null; chat: Dec | null };
  creditPercentPerMiss: Dec;
  creditCapPercent: Dec | null;
}

/** SPEC §8: a recurring fee of a plan version, per period, prorated by day. */
export type FeeTerms =
  | { code: string; name: string; kind: 'fixed'; amount: Dec }
  | { code: string; name: string; kind: 'per_unit'; perUnit: Dec; unit: string };

/** SPEC §8: a service on request, billed from --extras. */
export interface ServiceTerms {
  code: string;
  name: string;
  price: Dec;
  /** `unit` of the line; `request` when the price list names none. */
  unit: string;
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
  /** SPEC §8, in YAML order. */
  fees: FeeTerms[];
  /** SPEC §8, by code, in YAML order. */
  services: Map<string, ServiceTerms>;
}

export interface Plan {
  name: string;
  versions: PlanVersion[];
  /**
   * The distinct `answer_within_seconds` of its versions, ascending. Which one applies is
   * known only at the end (the version in effect on the period's last day), so the fold
   * counts contacts within each of them; one array for all the plan's customers.
   */
  slaThresholds: readonly number[];
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
  /** Where its documents go (docs/reference.md §9); null when the price list says nothing. */
  billing: Billing | null;
  /**
   * SPEC §11: the customer's own tax rule, replacing the price list's: a rule,
   * `'none'` (`tax: none`, no tax at all), or undefined when the customer has none.
   */
  tax?: TaxRule | 'none';
  /** SPEC §8: units of the plan's `per_unit` fees, by fee code (agents: 12). */
  quantities?: Map<string, Dec>;
  /** SPEC §8: local dates, inclusive; null when open. */
  activeFrom?: string | null;
  activeUntil?: string | null;
}

/** The seller block of the documents (docs/reference.md §9). */
export interface Seller {
  name: string;
  address: string[];
  vatId: string | null;
  email: string | null;
  bank: { iban: string; bic: string | null } | null;
  footer: string | null;
}

export interface Billing {
  address: string[];
  vatId: string | null;
  email: string | null;
}

export interface PriceList {
  file: string;
  currency: Currency;
  timezone: string;
  rounding: RoundingMode;
  tax: TaxRule | null;
  paymentTermsDays: number;
  invoiceNumber: string;
  /** SPEC §7: the template of credit note numbers (default `CN-{year}-{seq:5}`). */
  creditNoteNumber: string;
  defaultPlan: string | null;
  /** `unlisted_customers`: a customer not listed is billed under defaultPlan (`bill`, the default when there is one) or its rows are rejected. */
  unlistedCustomers: 'bill' | 'reject';
  customers: Map<string, Customer>;
  plans: Map<string, Plan>;
  /** Who issues the documents; null when the price list has no `seller:`. */
  seller: Seller | null;
  /** `documents.font`, as written (relative to the price list's folder). */
  documentsFont: string | null;
}
