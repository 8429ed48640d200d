import type { Dec } from '../money/decimal';

export type LineCode =
  | 'voice.usage'
  | 'chat.usage'
  | 'voice.contacts'
  | 'chat.contacts'
  | `voice.surcharge.${string}`
  | `chat.surcharge.${string}`
  | 'diversion.fee'
  | `fee.${string}`
  | `service.${string}`
  | 'sla.credit'
  | 'minimum.shortfall';

export interface InvoiceLine {
  code: LineCode;
  description: string;
  /** Billable seconds for time lines; null for the others (SPEC §4.6). */
  seconds: number | null;
  /** Display quantity: minutes to at most 4 decimals, a count, or 1. */
  quantity: string;
  /** `day` for recurring fees (SPEC §8); a service's own unit (`request`, `hour`, …) for services. */
  unit: 'minute' | 'contact' | 'fee' | 'item' | 'day' | (string & {});
  unitPrice: Dec;
  /** Rounded once, to the currency's minor units. */
  amount: Dec;
  /** The exact value before rounding (lago's precise_amount), for explanations. */
  preciseAmount: Dec;
  /** effective_from of the version the line comes from, when one does. */
  versionFrom: string | null;
  /** How a fee or service line's amount was computed (its charge model's own words), for explain and documents. */
  explanation?: string;
}

export interface DiversionSummary {
  opening: Dec;
  /**
   * The part of `opening` that a correction of an earlier month left (SPEC §7), carried
   * into this invoice by the ledger; absent outside a ledger.
   */
  adjustment?: Dec;
  /** Blocks charged: a bigint, exact however many (absurd prices can pass 2^53; SPEC §5 says counts are integers). */
  feesCharged: bigint;
  closing: Dec;
  mobile: { records: number; seconds: number; cost: Dec };
  international: { records: number; seconds: number; cost: Dec };
}

export interface SlaSummary {
  /** null when no voice contact was offered. */
  serviceLevelPercent: Dec | null;
  averageResponseSeconds: { voice: Dec | null; chat: Dec | null };
  misses: number;
  /** Which targets were missed, for people: "service level 75.00% < 80%". */
  missed: string[];
  /** Whether each target was met; null when it was not evaluated (no target, or no contact to measure). */
  met: { serviceLevel: boolean | null; averageResponse: { voice: boolean | null; chat: boolean | null } };
  creditPercent: Dec;
  /** Whether the version in effect on the period's last day has SLA terms. */
  hasTerms: boolean;
  /** The targets of those terms, so that a document shows each figure against its target (null: no such target). */
  targets: {
    serviceLevelPercent: Dec | null;
    answerWithinSeconds: number | null;
    maxAverageResponseSeconds: { voice: Dec | null; chat: Dec | null };
  };
}

export interface Invoice {
  invoiceNumber: string;
  customerId: string;
  customerName: string;
  plan: string;
  currency: string;
  minor: number;
  period: { start: string; end: string };
  issueDate: string;
  dueDate: string;
  lines: InvoiceLine[];
  usageCharges: Dec;
  subtotal: Dec;
  /** SPEC §11: the tax rule applied (the customer's own or the price list's); both null when no tax applies. */
  taxName: string | null;
  taxRate: Dec | null;
  tax: Dec;
  /** The rule's mention (reverse charge, exemption), printed on the invoice; null when none. */
  taxNote: string | null;
  total: Dec;
  diversion: DiversionSummary;
  sla: SlaSummary;
  counts: { voice: number; chat: number; abandoned: number; diverted: number };
}

export interface ControlFigures {
  recordsRead: number;
  recordsBilled: number;
  recordsRejected: number;
  recordsOutsidePeriod: number;
  /** SPEC §7, with a ledger only: records billed before (skipped) and late records of an issued month. */
  recordsAlreadyBilled?: number;
  recordsLate?: number;
  /** SPEC §8: rows of the --extras files (all 0 without them). */
  extrasRead: number;
  extrasBilled: number;
  extrasRejected: number;
  extrasOutsidePeriod: number;
  /** SPEC §7, with a ledger only: extras rows of a month already issued for their customer. */
  extrasLate?: number;
  inputs: Array<{ path: string; sha256: string; records: number }>;
  priceList: { path: string; sha256: string };
}

export interface InvoiceRun {
  invoices: Invoice[];
  totals: Map<string, { minor: number; subtotal: Dec; tax: Dec; total: Dec }>;
  control: ControlFigures;
}
