import { Dec } from '../../money/decimal';
import { exactQuotient } from '../../money/exact-text';
import { formatMoney, roundMoney } from '../../money/round';
import type { RoundingMode } from '../../money/round';
import type { Customer, FeeTerms, Plan, PlanVersion } from '../../pricing/types';
import { isActiveOn } from '../../pricing/activity';
import { versionAt } from '../../pricing/version-at';
import { dayOfIsoDate, isoDateOfDay } from '../../time/zone';

/** One fee line to be: a fee code at one monthly amount, for the days it applied. */
export interface FeePiece {
  code: string;
  name: string;
  /** `amount`, or `per_unit` × the customer's quantity. */
  monthly: Dec;
  /** per_unit fees: the quantity and its unit; null for a fixed amount. */
  units: { quantity: Dec; unit: string; perUnit: Dec } | null;
  /** Days of the period on which the customer was active and this amount applied. */
  days: number;
  daysInPeriod: number;
  /** effective_from of the first version that charged this amount in the period. */
  versionFrom: string;
  /** Every version whose days are in the line (same monthly amount). */
  versions: string[];
  precise: Dec;
  amount: Dec;
  /** How the amount was computed, for explain and documents: "1500.00 × 14 / 31 = 677.4(193548387096774) → 677.42". */
  explanation: string;
}

export interface FeeInput {
  plan: Plan;
  customer: Customer | undefined;
  /** First and last local dates of the period, inclusive. */
  start: string;
  end: string;
  /** Local midnight of a day number (days since 1970-01-01), as an instant. */
  midnight: (day: number) => number;
  minor: number;
  rounding: RoundingMode;
}

function monthlyOf(fee: FeeTerms, customer: Customer | undefined): { monthly: Dec; units: FeePiece['units'] } {
  if (fee.kind === 'fixed') return { monthly: fee.amount, units: null };
  // the price list refuses a per_unit fee without a quantity (SPEC §8); 0 is what is left
  const quantity = customer?.quantities?.get(fee.code) ?? new Dec(0);
  return { monthly: fee.perUnit.times(quantity), units: { quantity, unit: fee.unit, perUnit: fee.perUnit } };
}

/**
 * Recurring fees, prorated by day (SPEC §8): for each day of the period on which the
 * customer is active, the version in effect at that day's local midnight applies. One
 * piece per (fee code, monthly amount): monthly × days / days in the period, rounded
 * once; a fee whose amount does not change over versions is one piece, so a full month
 * bills exactly its amount. Codes in YAML order (of the first version that has them),
 * then by the first day of each amount.
 */
export function recurringFeeCharges(input: FeeInput): FeePiece[] {
  const first = dayOfIsoDate(input.start);
  const last = dayOfIsoDate(input.end);
  if (first === undefined || last === undefined || last < first) return [];
  const daysInPeriod = last - first + 1;
  const groups = new Map<string, { fee: FeeTerms; monthly: Dec; units: FeePiece['units']; days: number; versions: string[]; order: [number, number, number] }>();
  let cached: { v: PlanVersion | null; from: number; to: number } = { v: null, from: 1, to: 0 };
  for (let day = first; day <= last; day++) {
    const iso = isoDateOfDay(day);
    if (!isActiveOn(input.customer, iso)) continue;
    // the version in effect at the day's local midnight; versions change at local midnights
    if (!(day >= cached.from && day <= cached.to)) cached = { v: versionAt(input.plan, input.midnight(day)), from: day, to: day };
    const v = cached.v;
    if (!v) continue;
    v.fees.forEach((fee, i) => {
      const { monthly, units } = monthlyOf(fee, input.customer);
      const key = `${fee.code}\u0000${monthly.toFixed()}`;
      const g = groups.get(key);
      if (g) {
        g.days++;
        if (!g.versions.includes(v.effectiveFrom)) g.versions.push(v.effectiveFrom);
      } else {
        groups.set(key, { fee, monthly, units, days: 1, versions: [v.effectiveFrom], order: [v.index, i, day] });
      }
    });
  }
  // codes in YAML order: by where each code first appears (version, position), then each amount by its first day
  const codeOrder = new Map<string, [number, number]>();
  for (const g of groups.values()) {
    const o = codeOrder.get(g.fee.code);
    if (!o || g.order[0] < o[0] || (g.order[0] === o[0] && g.order[1] < o[1])) codeOrder.set(g.fee.code, [g.order[0], g.order[1]]);
  }
  const sorted = [...groups.values()].sort((a, b) => {
    const ca = codeOrder.get(a.fee.code)!, cb = codeOrder.get(b.fee.code)!;
    return ca[0] - cb[0] || ca[1] - cb[1] || a.order[2] - b.order[2];
  });
  return sorted.map((g) => {
    const precise = g.monthly.times(g.days).div(daysInPeriod);
    const amount = roundMoney(precise, input.minor, input.rounding);
    const monthlyText = formatMoney(g.monthly, Math.max(input.minor, g.monthly.decimalPlaces()));
    const exact = exactQuotient(g.monthly.times(g.days), BigInt(daysInPeriod), input.minor);
    const base = g.units ? `${g.units.quantity.toFixed()} ${g.units.unit} × ${formatMoney(g.units.perUnit, input.minor)} = ${monthlyText} a month` : `${monthlyText} a month`;
    const explanation =
      g.days === daysInPeriod ? `${base}, all ${daysInPeriod} days of the period: ${formatMoney(amount, input.minor)}` : `${base} × ${g.days} / ${daysInPeriod} days = ${exact} → ${formatMoney(amount, input.minor)}`;
    return {
      code: g.fee.code,
      name: g.fee.name,
      monthly: g.monthly,
      units: g.units,
      days: g.days,
      daysInPeriod,
      versionFrom: g.versions[0]!,
      versions: g.versions,
      precise,
      amount,
      explanation,
    };
  });
}
