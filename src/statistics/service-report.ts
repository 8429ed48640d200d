import type { Dec } from '../money/decimal';
import { averageSeconds, averageResponse, percentOf, serviceLevel, withinFor } from '../invoice/sla';
import type { SlaFigure } from '../invoice/sla';
import type { Invoice, InvoiceRun, SlaSummary } from '../invoice/types';
import { compareIds } from '../invoice/build-invoices';
import { CHANNELS } from '../pricing/types';
import type { Channel } from '../pricing/types';
import { addCell, emptyCell, keyParts, responseSum, RESPONSE_BUCKETS_S } from '../rating/statistics-state';
import type { StatisticsState, StatsCell, StatsCustomer } from '../rating/statistics-state';
import { dayOfIsoDate, isoDateOfDay, weekdayOfDay } from '../time/zone';

/**
 * The figures of `callbill report` (docs/reference.md §10), from the fold's statistics
 * and the invoices of the same run. Pure. Every ratio goes through the SLA functions
 * of src/invoice/sla.ts; a customer's own service level and average response are
 * taken from its invoice's SLA statement itself, so the two cannot disagree.
 */

export interface Figures {
  offered: number;
  answered: number;
  abandoned: number;
  diverted: number;
  abandonmentPercent: Dec | null;
  /** Voice only; null for chat, with no contact offered, or without a service-level target. */
  serviceLevelPercent: Dec | null;
  averageResponseSeconds: Dec | null;
  /** Mean whole handled seconds of answered contacts. */
  averageHandledSeconds: Dec | null;
  billableSeconds: number;
  /** Against the customer's targets; null when not evaluated (no target, or nothing to measure). */
  serviceLevelMet: boolean | null;
  responseMet: boolean | null;
}

export interface DayFigures {
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  channel: Channel;
  figures: Figures;
}

export interface HourFigures {
  hour: number;
  channel: Channel;
  figures: Figures;
}

export interface CustomerReport {
  customerId: string;
  customerName: string;
  channels: Record<Channel, Figures>;
  /** Every local date of the period, voice then chat. */
  days: DayFigures[];
  /** Hours 0–23 of the local day, voice then chat. */
  hours: HourFigures[];
  /** Answered contacts with a known response, per bucket of `RESPONSE_BUCKETS_S` (and one above). */
  histogram: Record<Channel, number[]>;
  /** Contacts offered (both channels) by weekday (0 = Monday) and local hour. */
  heat: number[][];
  /** The invoice's SLA statement (the same object). */
  sla: SlaSummary;
}

export interface ServiceReport {
  /** null when nothing was counted and no --period was given. */
  period: { start: string; end: string } | null;
  customers: CustomerReport[];
  control: InvoiceRun['control'];
  bucketsS: readonly number[];
}

/** The targets one customer's figures are measured against: its invoice's (SPEC §4.1, the period's last day). */
interface Targets {
  answerWithinSeconds: number | null;
  serviceLevelPercent: Dec | null;
  maxAverageResponse: Record<Channel, Dec | null>;
}

function shown(f: SlaFigure | null): Dec | null {
  return f === null ? null : f.shown;
}

/** The figures of a (summed) cell of one channel. */
function figuresOf(cell: StatsCell, channel: Channel, thresholds: readonly number[], t: Targets): Figures {
  const within = channel === 'voice' ? withinFor({ voiceWithin: cell.within, thresholds }, t.answerWithinSeconds) : null;
  const sl = within === null ? null : serviceLevel(within, cell.offered);
  const avg = averageResponse(responseSum(cell), cell.responseCount);
  const max = t.maxAverageResponse[channel];
  return {
    offered: cell.offered,
    answered: cell.answered,
    abandoned: cell.abandoned,
    diverted: cell.diverted,
    abandonmentPercent: shown(percentOf(cell.abandoned, cell.offered)),
    serviceLevelPercent: shown(sl),
    averageResponseSeconds: shown(avg),
    averageHandledSeconds: shown(averageSeconds(cell.handledSeconds, cell.answered)),
    billableSeconds: cell.billableSeconds,
    serviceLevelMet: sl === null || t.serviceLevelPercent === null ? null : !sl.exact.lt(t.serviceLevelPercent),
    responseMet: avg === null || max === null ? null : !avg.exact.gt(max),
  };
}

function sumCells(c: StatsCustomer, keep: (day: number, hour: number, channel: 0 | 1) => boolean): StatsCell {
  const total = emptyCell(c.thresholds.length);
  for (const [key, cell] of c.cells) {
    const p = keyParts(key);
    if (keep(p.day, p.hour, p.channel)) addCell(total, cell);
  }
  return total;
}

export function buildServiceReport(stats: StatisticsState | undefined, invoices: readonly Invoice[], period: { start: string; end: string } | null, control: InvoiceRun['control']): ServiceReport {
  if (period === null) return { period, customers: [], control, bucketsS: RESPONSE_BUCKETS_S };
  const byId = new Map(invoices.map((inv) => [inv.customerId, inv]));
  const customers: CustomerReport[] = [];
  const first = dayOfIsoDate(period.start)!;
  const last = dayOfIsoDate(period.end)!;
  for (const id of [...(stats?.customers.keys() ?? [])].sort(compareIds)) {
    const c = stats!.customers.get(id)!;
    const inv = byId.get(id);
    if (!inv) continue; // unreachable: a customer with billed records has an invoice
    customers.push(customerReport(c, inv, first, last));
  }
  return { period: { start: period.start, end: period.end }, customers, control, bucketsS: RESPONSE_BUCKETS_S };
}

function customerReport(c: StatsCustomer, inv: Invoice, first: number, last: number): CustomerReport {
  const s = inv.sla;
  const t: Targets = {
    answerWithinSeconds: s.targets.answerWithinSeconds,
    serviceLevelPercent: s.targets.serviceLevelPercent,
    maxAverageResponse: s.targets.maxAverageResponseSeconds,
  };
  const ch = (i: 0 | 1): Channel => (i === 0 ? 'voice' : 'chat');
  // per day and per hour from one pass over the cells
  const nDays = last - first + 1;
  const dayCells = Array.from({ length: nDays * 2 }, () => emptyCell(c.thresholds.length));
  const hourCells = Array.from({ length: 48 }, () => emptyCell(c.thresholds.length));
  const heat = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
  for (const [key, cell] of c.cells) {
    const p = keyParts(key);
    if (p.day >= first && p.day <= last) addCell(dayCells[(p.day - first) * 2 + p.channel]!, cell);
    addCell(hourCells[p.hour * 2 + p.channel]!, cell);
    heat[(weekdayOfDay(p.day) + 6) % 7]![p.hour]! += cell.offered;
  }
  const channels = {} as Record<Channel, Figures>;
  CHANNELS.forEach((name, i) => {
    const f = figuresOf(sumCells(c, (_d, _h, k) => k === i), name, c.thresholds, t);
    // the invoice's own statement (SPEC §10: equal by construction)
    f.averageResponseSeconds = s.averageResponseSeconds[name];
    f.responseMet = s.met.averageResponse[name];
    if (name === 'voice') {
      f.serviceLevelPercent = s.serviceLevelPercent;
      f.serviceLevelMet = s.met.serviceLevel;
    }
    channels[name] = f;
  });
  const days: DayFigures[] = [];
  for (let d = 0; d < nDays; d++) {
    for (const k of [0, 1] as const) {
      days.push({ date: isoDateOfDay(first + d), weekday: (weekdayOfDay(first + d) + 6) % 7, channel: ch(k), figures: figuresOf(dayCells[d * 2 + k]!, ch(k), c.thresholds, t) });
    }
  }
  const hours: HourFigures[] = [];
  for (let h = 0; h < 24; h++) for (const k of [0, 1] as const) hours.push({ hour: h, channel: ch(k), figures: figuresOf(hourCells[h * 2 + k]!, ch(k), c.thresholds, t) });
  return {
    customerId: c.customerId,
    customerName: inv.customerName,
    channels,
    days,
    hours,
    histogram: { voice: [...c.histogram.voice], chat: [...c.histogram.chat] },
    heat,
    sla: s,
  };
}
