import { Dec, ZERO } from '../money/decimal';
import { fromMinorUnits, roundMoney, toMinorUnits } from '../money/round';
import type { RoundingMode } from '../money/round';
import { CHANNELS } from '../pricing/types';
import type { Channel, Customer, Plan, PlanVersion, PriceList } from '../pricing/types';
import { isActiveIn } from '../pricing/activity';
import type { ExtrasAcc, ExtrasState } from '../rating/extras-fold';
import { recurringFeeCharges } from './charge-models/recurring-fee';
import { quantityText, serviceCharge } from './charge-models/service';
import { versionAt } from '../pricing/version-at';
import type { Period } from '../time/period';
import { customerAcc } from '../rating/usage-state';
import type { CustomerAcc, UsageState } from '../rating/usage-state';
import { addDays } from '../time/dates';
import { DAY_MS, dayOfIsoDate, Zone } from '../time/zone';
import { minutesQuantity } from './amounts';
import { priceChannel, surchargeCharge } from './charge-models';
import { runLedger } from './diversion-ledger';
import { evaluateSla } from './sla';
import { taxAmount, taxRuleFor } from './tax';
import { fillNumber, UniqueNumbers } from './invoice-number';
import type { DiversionSummary, Invoice, InvoiceLine, SlaSummary } from './types';

export interface BuildOptions {
  period: Period;
  /** True for a --period month: listed customers and opening balances get invoices too (SPEC §4.7). */
  periodGiven: boolean;
  issueDate: string;
  /** Opening diversion balances (SPEC §4.4), by customer. */
  openingBalances: ReadonlyMap<string, Dec>;
  /** Services requested (SPEC §8 --extras), folded. */
  extras?: ExtrasState;
  /**
   * Drop each customer's accumulator from `state` once its invoice is built (the
   * caller reads the state no more): a month of a million customers then does not
   * hold both at once.
   */
  release?: boolean;
}

const CHANNEL_NAME: Record<Channel, string> = { voice: 'Voice', chat: 'Chat' };
const NO_DIVERSION: DiversionSummary['mobile'] = Object.freeze({ records: 0, seconds: 0, cost: ZERO });
const NO_MISSES: string[] = Object.freeze([]) as unknown as string[];

/**
 * What repeats across the invoices of one run, held once: line descriptions and
 * quantities, the period, the due date, repeated values. A month of a
 * million customers holds a million invoices until they are written, and a text
 * built per invoice costs a few hundred bytes each time. Only immutable values
 * (strings, Decimals) and objects nothing writes to are shared.
 */
class Shared {
  private readonly texts = new Map<string, string>();
  constructor(readonly period: { start: string; end: string }, readonly dueDate: string) {}

  /** The first copy of an equal text (a bounded table: past it, texts are kept as they come). */
  text(s: string): string {
    const t = this.texts.get(s);
    if (t !== undefined) return t;
    if (this.texts.size < 200_000) this.texts.set(s, s);
    return s;
  }

  private readonly decs = new Map<string, Dec>();
  private readonly targets = new Map<PlanVersion | null, SlaSummary['targets']>();

  /** The first copy of an equal value, for the few that repeat (percentages, average seconds). */
  private dec(d: Dec): Dec {
    const k = d.toString();
    const t = this.decs.get(k);
    if (t !== undefined) return t;
    if (this.decs.size < 100_000) this.decs.set(k, d);
    return d;
  }

  /** An invoice's SLA block with its repeated parts held once (the targets depend on the version alone). */
  sla(s: SlaSummary, version: PlanVersion | null): SlaSummary {
    const targets = this.targets.get(version);
    if (targets) s.targets = targets;
    else this.targets.set(version, s.targets);
    s.missed = s.missed.length === 0 ? NO_MISSES : s.missed.map((m) => this.text(m));
    if (s.serviceLevelPercent !== null) s.serviceLevelPercent = this.dec(s.serviceLevelPercent);
    for (const ch of CHANNELS) {
      const a = s.averageResponseSeconds[ch];
      if (a !== null) s.averageResponseSeconds[ch] = this.dec(a);
    }
    s.creditPercent = this.dec(s.creditPercent);
    return s;
  }

  /** The precise amount of a line, as the amount itself when they are equal (one value held, not two). */
  precise(amount: Dec, precise: Dec): Dec {
    return precise.eq(amount) ? amount : precise;
  }
}

/**
 * From the folded usage to invoices (SPEC §4.3–4.7). Pure (but for `release`): the period, issue date
 * and balances come in as arguments; invoices come out sorted by customer_id.
 */
export function buildInvoices(state: UsageState, prices: PriceList, opts: BuildOptions): Invoice[] {
  return [...eachInvoice(state, prices, opts)];
}

/**
 * The same invoices one at a time, each built when the caller asks for it: a caller that
 * writes each before asking for the next holds one invoice, not the month's (with `release`,
 * the customer's accumulator is let go as its invoice is built). Iterate once.
 */
export function* eachInvoice(state: UsageState, prices: PriceList, opts: BuildOptions): Generator<Invoice> {
  const zone = new Zone(prices.timezone);
  const shared = new Shared({ start: opts.period.start, end: opts.period.end }, addDays(opts.issueDate, prices.paymentTermsDays));
  const numbers = new UniqueNumbers(prices.invoiceNumber, true);
  for (const id of invoicedIds(state, prices, opts)) {
    const planName = prices.customers.get(id)?.plan ?? prices.defaultPlan;
    const plan = planName === null ? undefined : prices.plans.get(planName);
    if (!plan) continue; // unreachable: such records and balances are rejected before
    const acc = state.customers.get(id) ?? customerAcc(id, plan);
    const inv = buildInvoice(acc, plan, prices, opts, zone, shared);
    if (opts.release) state.customers.delete(id);
    numbers.check(inv);
    yield inv;
  }
}

/**
 * The customers invoiced, sorted; a function of its own so that what it builds is not kept
 * alive by the generator. The fold's customers are taken as they are (no copy of a
 * million ids into a set): only the others are checked for repeats.
 */
function invoicedIds(state: UsageState, prices: PriceList, opts: BuildOptions): string[] {
  const ids = [...state.customers.keys()];
  const more = new Set<string>();
  const add = (id: string) => {
    if (!state.customers.has(id)) more.add(id);
  };
  for (const id of opts.extras?.customers.keys() ?? []) add(id);
  if (opts.periodGiven) {
    // SPEC §4.7: a listed customer active in the period owes its minimum and fees even in an idle month
    for (const [id, c] of prices.customers) if (isActiveIn(c, opts.period.start, opts.period.end)) add(id);
    for (const id of opts.openingBalances.keys()) add(id);
  }
  for (const id of more) ids.push(id);
  return ids.sort(compareIds);
}

/** Code-unit order, the same on every machine and locale. */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function buildInvoice(acc: CustomerAcc, plan: Plan, prices: PriceList, opts: BuildOptions, zone: Zone, shared: Shared): Invoice {
  const { minor } = prices.currency;
  const mode = prices.rounding;
  const customer = prices.customers.get(acc.customerId);
  const used = plan.versions.map((v) => ({ v, a: acc.versions[v.index] ?? null }));

  // SPEC §4.6 order: code, then version date, then step or band
  const usage: InvoiceLine[] = [];
  const contacts: InvoiceLine[] = [];
  const surcharges: InvoiceLine[] = [];
  for (const ch of CHANNELS) {
    const periodTotal = used.reduce((s, { a }) => s + (a ? a[ch].seconds : 0), 0);
    let count = 0;
    for (const { v, a } of used) {
      const ca = a?.[ch];
      if (!ca || ca.contacts === 0) continue;
      const terms = v[ch]!;
      for (const p of priceChannel(terms.pricing, { seconds: ca.seconds, countBefore: count, periodTotal, minor, rounding: mode }).pieces) {
        usage.push({
          code: `${ch}.usage`,
          description: shared.text(`${CHANNEL_NAME[ch]}, ${p.label} (from ${v.effectiveFrom})`),
          seconds: p.seconds,
          quantity: shared.text(minutesQuantity(p.seconds)),
          unit: 'minute',
          unitPrice: p.perMinute,
          amount: p.amount,
          preciseAmount: shared.precise(p.amount, p.precise),
          versionFrom: v.effectiveFrom,
        });
      }
      count += ca.seconds;
      if (terms.perContact !== null) {
        const precise = terms.perContact.times(ca.contacts);
        const amount = roundMoney(precise, minor, mode);
        contacts.push({
          code: `${ch}.contacts`,
          description: shared.text(`${CHANNEL_NAME[ch]}, per contact (from ${v.effectiveFrom})`),
          seconds: null,
          quantity: shared.text(String(ca.contacts)),
          unit: 'contact',
          unitPrice: terms.perContact,
          amount,
          preciseAmount: shared.precise(amount, precise),
          versionFrom: v.effectiveFrom,
        });
      }
      v.bands.forEach((band, bi) => {
        const s = ca.bandSeconds[bi] ?? 0;
        if (s === 0) return;
        const { precise, amount } = surchargeCharge(band.surchargePerMinute, s, minor, mode);
        surcharges.push({
          code: `${ch}.surcharge.${band.name}`,
          description: shared.text(`${CHANNEL_NAME[ch]}, ${band.name} surcharge (from ${v.effectiveFrom})`),
          seconds: s,
          quantity: shared.text(minutesQuantity(s)),
          unit: 'minute',
          unitPrice: band.surchargePerMinute,
          amount,
          preciseAmount: shared.precise(amount, precise),
          versionFrom: v.effectiveFrom,
        });
      });
    }
  }
  // voice lines before chat lines within each group: usage/contacts/surcharges were pushed voice first
  const usageCharges = sum([...usage, ...contacts, ...surcharges].map((l) => l.amount));

  const { lines: feeLines, summary: diversion } = diversionPart(acc, used, prices, opts, shared);

  // SPEC §8: recurring fees only for a --period month (the shell says they were left out otherwise)
  const fees = opts.periodGiven ? recurringFeeLines(plan, customer, opts, zone, minor, mode, shared) : [];
  const services = serviceLines(opts.extras?.customers.get(acc.customerId), plan, minor, mode);

  const lastDay = zone.fromLocal(dayMs(opts.period.end));
  const periodVersion = versionAt(plan, lastDay);
  const sla = shared.sla(evaluateSla({ ...acc, thresholds: acc.slaThresholds }, periodVersion), periodVersion);
  const slaLines: InvoiceLine[] = [];
  // SPEC §8: the credit is a percentage of U, or of U + the fee.* lines with credit_base: usage_and_fees
  const feeBase = periodVersion?.sla?.creditBase === 'usage_and_fees';
  const creditBase = feeBase ? usageCharges.plus(sum(fees.map((l) => l.amount))) : usageCharges;
  // it never exceeds its base (SPEC §8), whatever the misses add up to
  const creditPrecise = Dec.min(creditBase.times(sla.creditPercent).div(100), creditBase).neg();
  const creditAmount = roundMoney(creditPrecise, minor, mode);
  // a miss on a month without usage charges credits nothing: no line of 0.00
  if (!creditAmount.isZero()) {
    const precise = creditPrecise;
    const amount = creditAmount;
    slaLines.push({
      code: 'sla.credit',
      description: shared.text(`SLA credit: ${sla.misses} target${sla.misses === 1 ? '' : 's'} missed, ${sla.creditPercent.toFixed()}% of usage charges${feeBase ? ' and fees' : ''}`),
      seconds: null,
      quantity: '1',
      unit: 'item',
      unitPrice: amount,
      amount,
      preciseAmount: precise,
      versionFrom: periodVersion?.effectiveFrom ?? null,
    });
  }
  const minLines: InvoiceLine[] = [];
  const minimum = periodVersion?.minimumMonthly ?? null;
  if (minimum !== null && usageCharges.lt(minimum)) {
    const amount = minimum.minus(usageCharges);
    minLines.push({
      code: 'minimum.shortfall',
      description: `Monthly minimum ${minimum.toFixed(minor)}, usage charges ${usageCharges.toFixed(minor)}`,
      seconds: null,
      quantity: '1',
      unit: 'item',
      unitPrice: amount,
      amount,
      preciseAmount: amount,
      versionFrom: periodVersion!.effectiveFrom,
    });
  }
  // SPEC §8 line order: usage, contacts, surcharges, diversion.fee, fee.*, service.*, sla.credit, minimum.shortfall
  const lines = [...usage, ...contacts, ...surcharges, ...feeLines, ...fees, ...services, ...slaLines, ...minLines];
  const subtotal = sum(lines.map((l) => l.amount));
  const { rule: taxRule } = taxRuleFor(acc.customerId, prices);
  const tax = taxAmount(subtotal, taxRule, minor, mode).amount;
  // outside a ledger {seq} prints DRAFT; `issue` puts the ledger's number in its place
  const number = fillNumber(prices.invoiceNumber, { customer: acc.customerId, period: opts.period.label, issueDate: opts.issueDate, seq: null });
  return {
    invoiceNumber: number,
    customerId: acc.customerId,
    customerName: customer?.name ?? acc.customerId,
    plan: plan.name,
    currency: prices.currency.code,
    minor,
    period: shared.period,
    issueDate: opts.issueDate,
    dueDate: shared.dueDate,
    lines,
    usageCharges,
    subtotal,
    taxName: taxRule?.name ?? null,
    taxRate: taxRule?.rate ?? null,
    tax,
    taxNote: taxRule?.note ?? null,
    total: subtotal.plus(tax),
    diversion,
    sla,
    counts: { ...acc.counts },
  };
}

/** SPEC §8 recurring fees: the charge model's pieces as invoice lines. */
function recurringFeeLines(plan: Plan, customer: Customer | undefined, opts: BuildOptions, zone: Zone, minor: number, mode: RoundingMode, shared: Shared): InvoiceLine[] {
  const pieces = recurringFeeCharges({ plan, customer, start: opts.period.start, end: opts.period.end, midnight: (day) => zone.fromLocal(day * DAY_MS), minor, rounding: mode });
  return pieces.map((p) => ({
    code: `fee.${p.code}`,
    description: shared.text(`${p.name}${p.units ? `, ${p.units.quantity.toFixed()} ${p.units.unit} × ${p.units.perUnit.toFixed(Math.max(minor, p.units.perUnit.decimalPlaces()))}` : ''}, ${p.days} of ${p.daysInPeriod} days (from ${p.versionFrom})`),
    seconds: null,
    quantity: shared.text(String(p.days)),
    unit: 'day',
    // the monthly amount the days are a share of (SPEC §8: amount = monthly × days / days in the period)
    unitPrice: p.monthly,
    amount: p.amount,
    preciseAmount: p.precise,
    versionFrom: p.versionFrom,
    explanation: shared.text(p.explanation),
  }));
}

/** SPEC §8 services: one line per (service, version), services in YAML order, versions in date order. */
function serviceLines(acc: ExtrasAcc | undefined, plan: Plan, minor: number, mode: RoundingMode): InvoiceLine[] {
  if (!acc) return [];
  const found: Array<{ order: number; v: PlanVersion; code: string; thousandths: bigint }> = [];
  for (const v of plan.versions) {
    const byService = acc.versions.get(v.index);
    if (!byService) continue;
    for (const [code, thousandths] of byService) found.push({ order: firstServiceOrder(plan, code), v, code, thousandths });
  }
  found.sort((a, b) => a.order - b.order || a.v.index - b.v.index);
  return found.map(({ v, code, thousandths }) => {
    const service = v.services.get(code)!;
    const piece = serviceCharge(service, thousandths, minor, mode);
    return {
      code: `service.${code}`,
      description: `${service.name} (from ${v.effectiveFrom})`,
      seconds: null,
      quantity: quantityText(thousandths),
      unit: service.unit,
      unitPrice: service.price,
      amount: piece.amount,
      preciseAmount: piece.precise,
      versionFrom: v.effectiveFrom,
      explanation: piece.explanation,
    };
  });
}

/** A service's place in YAML order: its position in the first version (in date order) that lists it. */
function firstServiceOrder(plan: Plan, code: string): number {
  for (const v of plan.versions) {
    const i = [...v.services.keys()].indexOf(code);
    if (i >= 0) return v.index * 10_000 + i;
  }
  return Number.MAX_SAFE_INTEGER;
}

function diversionPart(
  acc: CustomerAcc,
  used: Array<{ v: PlanVersion; a: CustomerAcc['versions'][number] }>,
  prices: PriceList,
  opts: BuildOptions,
  shared: Shared,
): { lines: InvoiceLine[]; summary: DiversionSummary } {
  const { minor } = prices.currency;
  const toMinor = (d: Dec): bigint => toMinorUnits(d, minor);
  const fromMinor = (n: bigint): Dec => fromMinorUnits(n, minor);
  const opening = opts.openingBalances.get(acc.customerId) ?? ZERO;
  const segs = used.filter(({ v, a }) => v.diversion && a && (a.mobile.records > 0 || a.international.records > 0));
  const ledger = runLedger(
    toMinor(opening),
    segs.map(({ v, a }) => ({ fee: toMinor(v.diversion!.fee), cost: a!.mobile.cost + a!.international.cost })),
  );
  // one line per fee price charged, in the order the prices were first charged
  const byFee = new Map<string, { fee: Dec; blocks: bigint; from: string }>();
  segs.forEach(({ v }, i) => {
    const n = ledger.blocks[i]!;
    if (n === 0n) return;
    const fee = v.diversion!.fee;
    const key = fee.toFixed(minor);
    const e = byFee.get(key);
    if (e) e.blocks += n;
    else byFee.set(key, { fee, blocks: n, from: v.effectiveFrom });
  });
  const lines: InvoiceLine[] = [...byFee.values()].map(({ fee, blocks, from }) => {
    const amount = fee.times(blocks.toString());
    return {
      code: 'diversion.fee',
      description: shared.text(`Diversion fee, prepaid block of ${fee.toFixed(minor)} (from ${from})`),
      seconds: null,
      quantity: shared.text(blocks.toString()),
      unit: 'fee',
      unitPrice: fee,
      amount,
      preciseAmount: amount,
      versionFrom: from,
    };
  });
  const part = (k: 'mobile' | 'international') => {
    let records = 0, seconds = 0, cost = 0n;
    for (const { a } of used) {
      if (!a) continue;
      records += a[k].records;
      seconds += a[k].seconds;
      cost += a[k].cost;
    }
    // nothing diverted (most customers): one shared part, which nothing writes to
    if (records === 0 && seconds === 0 && cost === 0n) return NO_DIVERSION;
    return { records, seconds, cost: fromMinor(cost) };
  };
  const feesCharged = ledger.blocks.reduce((s, n) => s + n, 0n);
  return {
    lines,
    summary: {
      opening,
      feesCharged,
      closing: ledger.closing === 0n ? ZERO : fromMinor(ledger.closing),
      mobile: part('mobile'),
      international: part('international'),
    },
  };
}

/** Local midnight of a date, as wall-clock ms (the period's dates are valid: they come from the period). */
function dayMs(iso: string): number {
  return dayOfIsoDate(iso)! * DAY_MS;
}

function sum(ds: Dec[]): Dec {
  return ds.reduce((s, d) => s.plus(d), ZERO);
}
