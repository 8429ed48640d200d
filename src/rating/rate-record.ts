import type { Dec } from '../money/decimal';
import { minorPerSecond, minuteCostMinor } from '../money/round';
import type { MinorPerSecond } from '../money/round';
import type { RoundingMode } from '../money/round';
import type { Channel, ChannelTerms, Plan, PlanVersion, PriceList } from '../pricing/types';
import { versionAt } from '../pricing/version-at';
import type { Period } from '../time/period';
import { isoDateOfDay, Zone } from '../time/zone';
import { inactiveMessage } from '../pricing/activity';
import { lookalikes } from '../pricing/unlisted';
import type { DiversionKind, RowProblem, UsageRecord } from '../usage/usage-record';
import type { Delimiter } from '../io/delimiter';
import { DateFormat } from '../usage/date-format';
import { matchBand } from './band-match';
import { billableSeconds } from './billable-seconds';

export interface RatedDiversion {
  kind: DiversionKind;
  /** Transfer billable seconds (SPEC §4.4 step 1). */
  seconds: number;
  rate: Dec;
  /** The destination prefix that matched; null for mobile or the default rate. */
  prefix: string | null;
  /** Transfer cost in minor units, rounded per record. */
  costMinor: bigint;
}

export interface RatedRecord {
  record: UsageRecord;
  plan: Plan;
  version: PlanVersion;
  /** Local wall-clock ms of the start, in the price list's zone. */
  localMs: number;
  billableSeconds: number;
  /** Index into version.bands, -1 when no band matched (or the contact was abandoned). */
  band: number;
  diversion: RatedDiversion | null;
}

/** How the CSV inputs of a run are written (docs/reference.md §2): `--delimiter`, `--date-format`. */
export interface InputReading {
  /** The field delimiter of usage and extras files; null: found from each file's header line. */
  delimiter: Delimiter | null;
  /** The pattern of `started_at` (and extras dates); null: ISO 8601. */
  dateFormat: string | null;
}

export const PLAIN_READING: InputReading = { delimiter: null, dateFormat: null };

/** Why a row of a customer not listed under `customers` is rejected, with the listed ids it looks like (a typo). */
function unknownCustomerMessage(prices: PriceList, like: readonly string[] = []): string {
  const looks = like.length > 0 ? ` (looks like ${like.join(' or ')})` : '';
  return prices.defaultPlan === null
    ? `unknown customer${looks}, and the price list has no default_plan`
    : `customer not listed under customers${looks}, and the price list says unlisted_customers: reject`;
}

/**
 * What rating one record needs, compiled once per run from the price list: the zone,
 * each customer's plan, and exact integer forms of the diversion rates.
 */
export class RatingContext {
  readonly zone: Zone;
  readonly rounding: RoundingMode;
  readonly minor: number;
  private readonly planOf = new Map<string, Plan | null>();
  private readonly scaled = new Map<Dec, MinorPerSecond>();
  /** `--date-format`, compiled; null: the ISO 8601 forms of docs/reference.md §2. */
  readonly dates: DateFormat | null;

  /** `reading`: how the CSV inputs are written (--delimiter, --date-format); plain data, handed to worker threads as it is. */
  constructor(readonly prices: PriceList, readonly reading: InputReading = PLAIN_READING) {
    this.zone = new Zone(prices.timezone);
    this.rounding = prices.rounding;
    this.minor = prices.currency.minor;
    this.dates = reading.dateFormat === null ? null : DateFormat.of(reading.dateFormat);
  }

  /** The customer's plan: its own, else default_plan, else null (a rejected row). */
  plan(customerId: string): Plan | null {
    let p = this.planOf.get(customerId);
    if (p === undefined) {
      const c = this.prices.customers.get(customerId);
      // unlisted_customers: reject makes a customer not listed a rejected row even with a default_plan
      const name = c ? c.plan : this.prices.unlistedCustomers === 'bill' ? this.prices.defaultPlan : null;
      p = name === null ? null : (this.prices.plans.get(name) ?? null);
      this.planOf.set(customerId, p);
    }
    return p;
  }

  private readonly active = new Map<string, { fromMs: number; untilMs: number } | null>();
  private readonly unknown = new Map<string, string>();

  /** The message of a rejected row of a customer without a plan (worked out once per id: the likeness search is not cheap). */
  unknownCustomer(customerId: string): string {
    let m = this.unknown.get(customerId);
    if (m === undefined) {
      m = unknownCustomerMessage(this.prices, lookalikes(customerId, [...this.prices.customers.keys()]));
      this.unknown.set(customerId, m);
    }
    return m;
  }

  /**
   * SPEC §8: the instants in which a listed customer is active: from the local midnight of
   * active_from to the local midnight after active_until; null when always active.
   */
  activeRange(customerId: string): { fromMs: number; untilMs: number } | null {
    let a = this.active.get(customerId);
    if (a === undefined) {
      const c = this.prices.customers.get(customerId);
      a = null;
      if (c && (c.activeFrom || c.activeUntil)) {
        const day = (iso: string) => Math.round(Date.parse(`${iso}T00:00:00Z`) / 86_400_000);
        a = {
          fromMs: c.activeFrom ? this.zone.fromLocal(day(c.activeFrom) * 86_400_000) : -Infinity,
          untilMs: c.activeUntil ? this.zone.fromLocal((day(c.activeUntil) + 1) * 86_400_000) : Infinity,
        };
      }
      this.active.set(customerId, a);
    }
    return a;
  }

  /** SPEC §4.1: the latest version whose effective_from local midnight is ≤ the instant. */
  versionAt(plan: Plan, ms: number): PlanVersion | null {
    return versionAt(plan, ms);
  }

  /** SPEC §4.4 step 3: rate × seconds / 60, rounded to minor units, per record. */
  transferCostMinor(rate: Dec, seconds: number): bigint {
    let s = this.scaled.get(rate);
    if (!s) {
      s = minorPerSecond(rate, this.minor);
      this.scaled.set(rate, s);
    }
    return minuteCostMinor(s, seconds, this.rounding);
  }
}

/**
 * SPEC §4.1–4.4 for one record: which version, how many billable seconds, which band,
 * and the onward leg of a diversion. A record the price list cannot rate is a
 * rejected row, with the column to blame.
 */
export function rateRecord(r: UsageRecord, ctx: RatingContext): RatedRecord | RowProblem {
  const plan = ctx.plan(r.customerId);
  if (!plan) {
    return { column: 'customer_id', message: ctx.unknownCustomer(r.customerId), value: r.customerId };
  }
  const active = ctx.activeRange(r.customerId);
  if (active !== null && (r.startMs < active.fromMs || r.startMs >= active.untilMs)) {
    const c = ctx.prices.customers.get(r.customerId)!;
    const localDay = isoDateOfDay(Math.floor(ctx.zone.toLocal(r.startMs) / 86_400_000));
    return { column: 'started_at', message: inactiveMessage(r.customerId, localDay, c.activeFrom ?? null, c.activeUntil ?? null), value: r.startedAt };
  }
  const version = ctx.versionAt(plan, r.startMs);
  if (!version) {
    return { column: 'started_at', message: `earlier than the first version of plan ${plan.name} (effective from ${plan.versions[0]!.effectiveFrom})`, value: r.startedAt };
  }
  const terms: ChannelTerms | null = r.channel === 'voice' ? version.voice : version.chat;
  if (!terms) {
    return { column: 'channel', message: `plan ${plan.name} (from ${version.effectiveFrom}) has no ${r.channel} prices`, value: r.channel };
  }
  const localMs = ctx.zone.toLocal(r.startMs);
  let billable = 0;
  let band = -1;
  if (!r.abandoned) {
    billable = billableSeconds(r.durationSeconds, terms.increment);
    if (version.bands.length > 0) band = matchBand(version, r.channel, localMs);
  }
  let diversion: RatedDiversion | null = null;
  if (r.diversion !== null) {
    const d = version.diversion;
    if (!d) {
      return { column: 'diversion', message: `plan ${plan.name} (from ${version.effectiveFrom}) has no diversion prices`, value: r.diversion };
    }
    if (r.diversion === 'mobile') {
      if (!d.mobile) return { column: 'diversion', message: `plan ${plan.name} (from ${version.effectiveFrom}) has no mobile diversion prices`, value: 'mobile' };
      const seconds = billableSeconds(r.divertedSeconds, d.mobile.increment);
      diversion = { kind: 'mobile', seconds, rate: d.mobile.perMinute, prefix: null, costMinor: ctx.transferCostMinor(d.mobile.perMinute, seconds) };
    } else {
      const intl = d.international;
      if (!intl) return { column: 'diversion', message: `plan ${plan.name} (from ${version.effectiveFrom}) has no international diversion prices`, value: 'international' };
      const m = intl.destinations.match(r.destination);
      const rate = m ? m.rate : intl.defaultPerMinute;
      if (rate === null) {
        return { column: 'destination', message: `record ${r.recordId}: no international prefix matches ${r.destination} and plan ${plan.name} (from ${version.effectiveFrom}) has no default_per_minute`, value: r.destinationText };
      }
      const seconds = billableSeconds(r.divertedSeconds, intl.increment);
      diversion = { kind: 'international', seconds, rate, prefix: m ? m.prefix : null, costMinor: ctx.transferCostMinor(rate, seconds) };
    }
  }
  return { record: r, plan, version, localMs, billableSeconds: billable, band, diversion };
}
