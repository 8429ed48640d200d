import { priceChannel, surchargeCharge } from '../invoice/charge-models';
import type { ChargeModelName } from '../invoice/charge-models';
import { fillNumber } from '../invoice/invoice-number';
import { ledgerStep, runLedger } from '../invoice/diversion-ledger';
import { taxRuleFor, taxRuleText } from '../invoice/tax';
import { Dec } from '../money/decimal';
import { exactQuotient } from '../money/exact-text';
import { formatMoney, fromMinorUnits, toMinorUnits } from '../money/round';
import type { Channel, ChannelTerms, Increment, PlanVersion, PriceList } from '../pricing/types';
import type { RatedRecord, RatingContext } from '../rating/rate-record';
import type { Period } from '../time/period';
import { versionOf } from '../rating/usage-state';
import type { CustomerAcc } from '../rating/usage-state';
import { rateText } from '../render/format-figures';
import type { ColumnName, RowProblem } from '../usage/usage-record';
import type { BandCheck, StartInfo } from './steps';
import { bandChecks, incrementSteps, localText, startInfo, instantText } from './steps';

/**
 * `callbill explain` (issue #7): how one record was rated, step by step, as plain
 * data — the JSON output is this object, the table output is written from it.
 * Pure: the shell reads the inputs (twice: once to find the record and fold the
 * period, once more for the sums of the customer's records that come before it)
 * and hands the figures in.
 *
 * Exact values that do not terminate (a price × seconds / 60) are written with
 * their repeating digits in parentheses, `1.3458(3)`; see money/exact-text.ts.
 */

export interface Cell {
  column: string;
  value: string;
}

export interface VersionRef {
  effective_from: string;
  /** Local midnight starting effective_from, as an instant. */
  starts: string;
}

export interface UsagePiece {
  label: string;
  seconds: number;
  per_minute: string;
  exact: string;
  arithmetic: string;
}

export interface Explanation {
  record_id: string;
  status: 'billed' | 'rejected' | 'outside_period';
  /** file:line of the row. */
  source: string;
  cells: Cell[];
  /** Other rows with the same record_id, and what became of them. */
  same_id_elsewhere: string[];
  rejection: { column: string; message: string; value: string } | null;
  start: StartInfo | null;
  period: { start: string; end: string; label: string; given: boolean; starts: string; ends: string } | null;
  customer: { id: string; name: string | null; plan: string; plan_from: 'customers' | 'default_plan' } | null;
  version: {
    plan: string;
    effective_from: string;
    starts: string;
    starts_local: string;
    /** The record starts exactly at the version's first instant (local midnight of effective_from). */
    on_boundary: boolean;
    previous: VersionRef | null;
    next: VersionRef | null;
  } | null;
  band: { matched: string | null; code: string | null; checks: BandCheck[]; note: string | null } | null;
  billable: {
    channel: Channel;
    status: 'answered' | 'abandoned';
    duration_given: string;
    handled_seconds: number;
    increment: Increment;
    billable_seconds: number;
    arithmetic: string;
  } | null;
  usage: {
    code: string;
    version: string;
    pricing: ChargeModelName;
    pieces: UsagePiece[];
    exact: string;
    tiers: TierPosition | null;
  } | null;
  contacts: { code: string; count: number; per_contact: string; exact: string } | null;
  surcharge: { code: string; band: string; per_minute: string; seconds: number; exact: string; arithmetic: string } | null;
  /** Usage + per-contact + surcharge of this record, exact: its share of the usage charges before any rounding. */
  contribution: { exact: string; parts: string[] } | null;
  diversion: DiversionExplanation | null;
  /** The invoice the record is on and the line codes it adds to; `note` when it adds to none. */
  invoice: { invoice_number: string; lines: string[]; note: string | null } | null;
  notes: string[];
}

export interface TierPosition {
  /** What is counted and in which order. */
  counted: string;
  seconds_before: number;
  /** Of seconds_before: those of earlier plan versions. */
  earlier_versions_seconds: number;
  /** This record's place in the running count: seconds from..to. */
  from: number;
  to: number;
  /** Volume tiers: the period's total, which picks the step. */
  period_total_seconds: number | null;
  steps: Array<{ label: string; up_to_seconds: number | null; per_minute: string; seconds_of_this_record: number | null }>;
}

export interface DiversionExplanation {
  kind: 'mobile' | 'international';
  destination_given: string;
  destination_digits: string;
  prefix: string | null;
  /** Shorter prefixes of the number that are in the list too: the longest wins. */
  shorter_prefixes: string[];
  rate_from: 'mobile.per_minute' | 'international.destinations' | 'international.default_per_minute';
  per_minute: string;
  diverted_seconds_given: string;
  handled_seconds: number;
  increment: Increment;
  transfer_seconds: number;
  arithmetic: string;
  cost_exact: string;
  cost: string;
  ledger: {
    fee: string;
    fee_version: string;
    opening_balance: string;
    opening_from: 'balances-in' | 'none';
    diverted_before: number;
    cost_before: string;
    blocks_before: number;
    balance_before: string;
    blocks: number;
    step: string;
    balance_after: string;
    blocks_after: number;
  };
}

/** What the shell knows about the row, whatever became of it. */
export interface RowFacts {
  recordId: string;
  source: string;
  cells: Cell[];
  sameIdElsewhere: string[];
  /** A known column's cell as read ('' when the file has no such column). */
  cell: (c: ColumnName) => string;
}

/** The customer's figures the explanation needs beyond the record itself. */
export interface CustomerFigures {
  /** The customer's sums over the period (the fold's state, as the invoice sees it). */
  acc: CustomerAcc;
  /** Of the same channel and plan version: billable seconds of records before this one (started_at, then record_id). */
  secondsBefore: number;
  /** Of the same plan version: rounded transfer costs (minor units) of diverted records before this one. */
  transferCostBefore: bigint;
  /** Diverted records of the customer in the period before this one, all versions. */
  divertedBefore: number;
  /** Opening diversion balance, and whether --balances-in had a row for the customer. */
  opening: Dec;
  openingGiven: boolean;
}

function emptyExplanation(row: RowFacts, status: Explanation['status']): Explanation {
  return {
    record_id: row.recordId,
    status,
    source: row.source,
    cells: row.cells,
    same_id_elsewhere: row.sameIdElsewhere,
    rejection: null,
    start: null,
    period: null,
    customer: null,
    version: null,
    band: null,
    billable: null,
    usage: null,
    contacts: null,
    surcharge: null,
    contribution: null,
    diversion: null,
    invoice: null,
    notes: [],
  };
}

function periodInfo(p: Period, given: boolean): NonNullable<Explanation['period']> {
  return { start: p.start, end: p.end, label: p.label, given, starts: instantText(p.startMs), ends: instantText(p.endMs) };
}

/** A row that was rejected: the reason, as `invoice` would report it. */
export function explainRejected(row: RowFacts, problem: RowProblem, start: { given: string; ms: number } | null, ctx: RatingContext): Explanation {
  const e = emptyExplanation(row, 'rejected');
  e.rejection = { column: problem.column, message: problem.message, value: problem.value };
  if (start) e.start = startInfo(start.given, start.ms, ctx.zone);
  e.notes.push('A rejected row is on no invoice: `callbill invoice` stops on it (exit 65), or with --rejects FILE sets it aside there and bills the good rows.');
  return e;
}

/** A row outside --period: read and checked, counted, not billed. */
export function explainOutside(row: RowFacts, start: { given: string; ms: number }, period: Period, ctx: RatingContext): Explanation {
  const e = emptyExplanation(row, 'outside_period');
  e.start = startInfo(start.given, start.ms, ctx.zone);
  e.period = periodInfo(period, true);
  const before = start.ms < period.startMs;
  e.notes.push(
    `${e.start.local} (${ctx.zone.name}) is ${before ? 'before' : 'after'} the period ${period.label}, which runs from ${localText(ctx.zone.toLocal(period.startMs))} to ${localText(ctx.zone.toLocal(period.endMs))} local time (end excluded): the record is counted in records_outside_period and billed in the month it belongs to.`,
  );
  return e;
}

/** Exact decimal of numerator / 60 with the currency's minor digits at least. */
function perMinuteExact(numerator: Dec, minor: number): string {
  return exactQuotient(numerator, 60n, minor);
}

/** A record that was billed: everything from the version to the ledger. */
export function explainBilled(row: RowFacts, rr: RatedRecord, prices: PriceList, ctx: RatingContext, period: Period, periodGiven: boolean, fig: CustomerFigures, issueDate: string): Explanation {
  const e = emptyExplanation(row, 'billed');
  const r = rr.record;
  const v = rr.version;
  const plan = rr.plan;
  const minor = prices.currency.minor;
  const ch = r.channel;
  const terms = (ch === 'voice' ? v.voice : v.chat)!;

  e.start = startInfo(r.startedAt, r.startMs, ctx.zone);
  e.period = periodInfo(period, periodGiven);
  const listed = prices.customers.get(r.customerId);
  e.customer = { id: r.customerId, name: listed?.name ?? null, plan: plan.name, plan_from: listed ? 'customers' : 'default_plan' };

  const prev = v.index > 0 ? plan.versions[v.index - 1]! : null;
  const next = plan.versions[v.index + 1] ?? null;
  const ref = (x: PlanVersion): VersionRef => ({ effective_from: x.effectiveFrom, starts: instantText(x.fromMs) });
  e.version = {
    plan: plan.name,
    effective_from: v.effectiveFrom,
    starts: instantText(v.fromMs),
    starts_local: localText(ctx.zone.toLocal(v.fromMs)),
    on_boundary: r.startMs === v.fromMs,
    previous: prev ? ref(prev) : null,
    next: next ? ref(next) : null,
  };

  // SPEC §4.3 bands; abandoned contacts bill nothing, so no band is looked for
  if (r.abandoned) {
    e.band = { matched: null, code: null, checks: [], note: 'abandoned: 0 billable seconds, no band is looked for' };
  } else if (v.bands.length === 0) {
    e.band = { matched: null, code: null, checks: [], note: 'this version has no bands' };
  } else {
    const checks = bandChecks(v, ch, rr.localMs);
    const band = rr.band >= 0 ? v.bands[rr.band]! : null;
    e.band = { matched: band?.name ?? null, code: band ? `${ch}.surcharge.${band.name}` : null, checks, note: band ? null : 'no band matches: no surcharge' };
  }

  e.billable = {
    channel: ch,
    status: r.abandoned ? 'abandoned' : 'answered',
    duration_given: row.cell('duration_seconds').trim(),
    handled_seconds: r.durationSeconds,
    increment: terms.increment,
    billable_seconds: rr.billableSeconds,
    arithmetic: r.abandoned ? 'abandoned → 0 s (docs/reference.md §4.2: no seconds, no per-contact fee)' : incrementSteps(r.durationSeconds, terms.increment),
  };

  const lines: string[] = [];
  const parts: Dec[] = []; // numerators over 60
  if (!r.abandoned) {
    const usage = usagePart(rr, terms, fig, prices);
    e.usage = usage.explanation;
    parts.push(...usage.numerators);
    lines.push(e.usage.code);
    if (terms.perContact !== null) {
      e.contacts = { code: `${ch}.contacts`, count: 1, per_contact: rateText(terms.perContact, minor), exact: exactQuotient(terms.perContact, 1n, minor) };
      parts.push(terms.perContact.times(60));
      lines.push(e.contacts.code);
    }
    if (rr.band >= 0) {
      const band = v.bands[rr.band]!;
      const piece = surchargeCharge(band.surchargePerMinute, rr.billableSeconds, minor, prices.rounding);
      const num = piece.priceTimesSeconds;
      e.surcharge = {
        code: `${ch}.surcharge.${band.name}`,
        band: band.name,
        per_minute: rateText(piece.perMinute, minor),
        seconds: piece.seconds,
        exact: perMinuteExact(num, minor),
        arithmetic: `${rateText(piece.perMinute, minor)} × ${piece.seconds} s / 60 = ${perMinuteExact(num, minor)}`,
      };
      parts.push(num);
      lines.push(e.surcharge.code);
    }
    const total = parts.reduce((s, x) => s.plus(x), new Dec(0));
    e.contribution = { exact: perMinuteExact(total, minor), parts: parts.map((p) => perMinuteExact(p, minor)) };
    e.notes.push(
      `The invoice adds each line's exact seconds × price and rounds the line once (docs/reference.md §4.3), not record by record: ${e.contribution.exact} is this record's exact share of the usage charges, not an amount rounded on its own.`,
    );
  }

  if (rr.diversion) {
    e.diversion = diversionPart(row, rr, fig, minor);
    if (e.diversion.ledger.blocks > 0) lines.push('diversion.fee');
  }
  e.notes.push('SLA credit, the monthly minimum and tax are worked out on the whole invoice, not per record.');
  e.notes.push(taxNoteText(r.customerId, prices));
  // outside a ledger {seq} is shown as DRAFT
  const number = fillNumber(prices.invoiceNumber, { customer: r.customerId, period: period.label, issueDate, seq: null });
  let note: string | null = null;
  if (lines.length === 0) {
    note = r.abandoned
      ? `no line: an abandoned contact bills nothing${ch === 'voice' ? ' (it counts as offered for the service level)' : ''}`
      : 'no line';
  }
  e.invoice = { invoice_number: number, lines, note };
  return e;
}

/** SPEC §11: which tax rule the customer's invoice follows, and why. */
function taxNoteText(customerId: string, prices: PriceList): string {
  const { rule, from } = taxRuleFor(customerId, prices);
  const source = from === 'customer' ? `the customer's own tax rule (customers.${customerId}.tax)` : prices.tax ? "the price list's tax" : 'the price list has no tax';
  if (rule === null) return `Tax: none on this customer's invoice (${source}).`;
  const note = rule.note !== null ? `; the invoice carries the note ${JSON.stringify(rule.note)}` : '';
  return `Tax: ${taxRuleText(rule)} of the subtotal, rounded once (${source})${note}.`;
}

function usagePart(rr: RatedRecord, terms: ChannelTerms, fig: CustomerFigures, prices: PriceList): { explanation: NonNullable<Explanation['usage']>; numerators: Dec[] } {
  const ch = rr.record.channel;
  const v = rr.version;
  const minor = prices.currency.minor;
  // SPEC §4.3 tiers: the customer's seconds of the channel over the period, versions in
  // date order; within a version, records are taken by started_at, then record_id.
  // The record's seconds are priced as the charge model prices a version's: at their
  // place in that count (flat pricing looks at neither figure).
  let earlier = 0;
  let total = 0;
  for (const pv of rr.plan.versions) {
    const sec = versionOf(fig.acc, pv.index)?.[ch]?.seconds ?? 0;
    if (pv.index < v.index) earlier += sec;
    total += sec;
  }
  const charge = priceChannel(terms.pricing, {
    seconds: rr.billableSeconds,
    countBefore: earlier + fig.secondsBefore,
    periodTotal: total,
    minor,
    rounding: prices.rounding,
  });
  const { model, used, tiers } = charge.explanation;
  const pieces: UsagePiece[] = used.map(({ label, piece }) => {
    const rate = rateText(piece.perMinute, minor);
    const exact = perMinuteExact(piece.priceTimesSeconds, minor);
    return { label, seconds: piece.seconds, per_minute: rate, exact, arithmetic: `${rate} × ${piece.seconds} s / 60 = ${exact}` };
  });
  const numerators = used.map(({ piece }) => piece.priceTimesSeconds);
  const sum = numerators.reduce((a, x) => a.plus(x), new Dec(0));
  const counted = `${fig.acc.customerId}'s ${ch} billable seconds in the period, plan versions in date order, records of a version by started_at then record_id`;
  return {
    explanation: {
      code: `${ch}.usage`,
      version: v.effectiveFrom,
      pricing: model,
      pieces,
      exact: perMinuteExact(sum, minor),
      tiers: tiers && {
        counted,
        seconds_before: tiers.from,
        earlier_versions_seconds: earlier,
        from: tiers.from,
        to: tiers.to,
        period_total_seconds: tiers.periodTotal,
        steps: tiers.steps.map((st) => ({ label: st.label, up_to_seconds: st.upToSeconds, per_minute: rateText(st.perMinute, minor), seconds_of_this_record: st.seconds })),
      },
    },
    numerators,
  };
}

function diversionPart(
  row: RowFacts,
  rr: RatedRecord,
  fig: CustomerFigures,
  minor: number,
): DiversionExplanation {
  const money = (x: Dec): string => formatMoney(x, minor);
  const fromMinor = (n: bigint): Dec => fromMinorUnits(n, minor);
  const toMinor = (x: Dec): bigint => toMinorUnits(x, minor);
  const d = rr.diversion!;
  const r = rr.record;
  const v = rr.version;
  const terms = v.diversion!;
  let increment: Increment;
  let rateFrom: DiversionExplanation['rate_from'];
  const shorter: string[] = [];
  if (d.kind === 'mobile') {
    increment = terms.mobile!.increment;
    rateFrom = 'mobile.per_minute';
  } else {
    const intl = terms.international!;
    increment = intl.increment;
    rateFrom = d.prefix === null ? 'international.default_per_minute' : 'international.destinations';
    if (d.prefix !== null) {
      for (let n = 1; n < d.prefix.length; n++) if (intl.destinations.has(d.prefix.slice(0, n))) shorter.push(d.prefix.slice(0, n));
    }
  }
  const dsGiven = row.cell('diverted_seconds').trim();
  const num = d.rate.times(d.seconds);
  const costExact = perMinuteExact(num, minor);
  const cost = fromMinor(d.costMinor);

  // SPEC §4.4: the ledger runs over version segments (runLedger, as the invoice does) up
  // to this record's version; within it, the earlier records' costs, whatever their
  // order, leave the balance that ledgerStep computes (blocks = ceil((costs − balance)/fee)).
  const plan = rr.plan;
  const segs = plan.versions.filter((pv) => {
    const a = versionOf(fig.acc, pv.index);
    return pv.diversion && a && ((a.mobile?.records ?? 0) > 0 || (a.international?.records ?? 0) > 0);
  });
  const earlier = segs.filter((pv) => pv.index < v.index);
  const openingMinor = toMinor(fig.opening);
  const earlierSegs = earlier.map((pv) => {
    const a = versionOf(fig.acc, pv.index)!;
    return { fee: toMinor(pv.diversion!.fee), cost: (a.mobile?.cost ?? 0n) + (a.international?.cost ?? 0n) };
  });
  const run = runLedger(openingMinor, earlierSegs);
  const fee = toMinor(terms.fee);
  const within = ledgerStep(run.closing, fee, fig.transferCostBefore);
  const blocksBefore = run.blocks.reduce((s, b) => s + b, 0n) + within.blocks;
  const costBefore = earlierSegs.reduce((s, x) => s + x.cost, 0n) + fig.transferCostBefore;
  const balanceBefore = within.after;
  const step = ledgerStep(balanceBefore, fee, d.costMinor);
  const m = (n: bigint) => money(fromMinor(n));
  let stepText: string;
  if (d.costMinor === 0n) {
    stepText = 'a cost of 0 draws nothing and charges no fee';
  } else if (step.blocks === 0n) {
    stepText = `${m(balanceBefore)} ≥ ${m(d.costMinor)}: no fee block; ${m(balanceBefore)} − ${m(d.costMinor)} = ${m(step.after)}`;
  } else {
    const topped = balanceBefore + step.blocks * fee;
    const blocks = step.blocks === 1n ? `1 fee block of ${m(fee)}` : `${step.blocks} fee blocks of ${m(fee)} (${m(step.blocks * fee)})`;
    stepText = `${m(balanceBefore)} < ${m(d.costMinor)}: ${blocks} → ${m(topped)}; ${m(topped)} − ${m(d.costMinor)} = ${m(step.after)}`;
  }
  return {
    kind: d.kind,
    destination_given: row.cell('destination'),
    destination_digits: r.destination,
    prefix: d.prefix,
    shorter_prefixes: shorter,
    rate_from: rateFrom,
    per_minute: rateText(d.rate, minor),
    diverted_seconds_given: dsGiven,
    handled_seconds: r.divertedSeconds,
    increment,
    transfer_seconds: d.seconds,
    arithmetic: incrementSteps(r.divertedSeconds, increment),
    cost_exact: costExact,
    cost: money(cost),
    ledger: {
      fee: money(terms.fee),
      fee_version: v.effectiveFrom,
      opening_balance: money(fig.opening),
      opening_from: fig.openingGiven ? 'balances-in' : 'none',
      diverted_before: fig.divertedBefore,
      cost_before: m(costBefore),
      blocks_before: Number(blocksBefore),
      balance_before: m(balanceBefore),
      blocks: Number(step.blocks),
      step: stepText,
      balance_after: m(step.after),
      blocks_after: Number(blocksBefore + step.blocks),
    },
  };
}
