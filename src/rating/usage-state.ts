import { CHANNELS } from '../pricing/types';
import type { Plan } from '../pricing/types';
import type { RatedRecord } from './rate-record';
import { mergeStatistics } from './statistics-state';
import type { StatisticsState } from './statistics-state';

/**
 * The streaming fold of SPEC §4: everything an invoice needs, summed per customer,
 * plan version, channel and band — its size grows with customers × versions × bands,
 * never with records. Plain data (numbers, bigints, arrays, Maps), so a worker
 * thread can post it back whole, and `mergeState` is associative and commutative,
 * so chunks rated anywhere combine exactly.
 */

export interface ChannelAcc {
  /** Answered (billed) contacts. */
  contacts: number;
  seconds: number;
  /** Billable seconds per band index of the version. */
  bandSeconds: number[];
}

export interface DiversionAcc {
  records: number;
  seconds: number;
  /** Sum of the per-record rounded transfer costs, in minor units. */
  cost: bigint;
}

export interface VersionAcc {
  voice: ChannelAcc;
  chat: ChannelAcc;
  mobile: DiversionAcc;
  international: DiversionAcc;
}

export interface ResponseAcc {
  /** A bigint: a sum of many long response times passes 2^53 ms, and a float sum would depend on the order. */
  sumMs: bigint;
  count: number;
}

export interface CustomerAcc {
  customerId: string;
  plan: string;
  /** Indexed like plan.versions. */
  versions: Array<VersionAcc | null>;
  /** Voice contacts offered (answered + abandoned), for the service level. */
  voiceOffered: number;
  /** The plan's `slaThresholds`, ascending (worked out once per customer, not per record). */
  slaThresholds: readonly number[];
  /** Answered voice contacts with response ≤ each of `slaThresholds`. */
  voiceWithin: number[];
  response: { voice: ResponseAcc; chat: ResponseAcc };
  counts: { voice: number; chat: number; abandoned: number; diverted: number };
}

export interface UsageState {
  customers: Map<string, CustomerAcc>;
  /** Earliest and latest billed start instants (NaN when none): the period when no --period is given. */
  firstMs: number;
  lastMs: number;
  /** The service report's statistics (statistics-state.ts): present only when a report asked for them. */
  stats?: StatisticsState;
}

export function emptyState(): UsageState {
  return { customers: new Map(), firstMs: NaN, lastMs: NaN };
}

/**
 * The distinct `answer_within_seconds` of a plan's versions, ascending. Which one
 * applies is known only at the end (the version in effect on the period's last day),
 * so the fold counts contacts within each of them.
 */
export function slaThresholds(plan: Plan): number[] {
  const s = new Set<number>();
  for (const v of plan.versions) if (v.sla?.serviceLevel) s.add(v.sla.serviceLevel.answerWithinSeconds);
  return [...s].sort((a, b) => a - b);
}

function channelAcc(bands: number): ChannelAcc {
  return { contacts: 0, seconds: 0, bandSeconds: new Array<number>(bands).fill(0) };
}

function diversionAcc(): DiversionAcc {
  return { records: 0, seconds: 0, cost: 0n };
}

function versionAcc(bands: number): VersionAcc {
  return { voice: channelAcc(bands), chat: channelAcc(bands), mobile: diversionAcc(), international: diversionAcc() };
}

/** Each plan's thresholds, worked out once and held once for all its customers (a month of a million customers holds a million accumulators). */
const THRESHOLDS = new WeakMap<Plan, readonly number[]>();

export function customerAcc(customerId: string, plan: Plan): CustomerAcc {
  let thresholds = THRESHOLDS.get(plan);
  if (!thresholds) THRESHOLDS.set(plan, (thresholds = Object.freeze(slaThresholds(plan))));
  return {
    customerId,
    plan: plan.name,
    versions: plan.versions.map(() => null),
    voiceOffered: 0,
    slaThresholds: thresholds,
    voiceWithin: thresholds.map(() => 0),
    response: { voice: { sumMs: 0n, count: 0 }, chat: { sumMs: 0n, count: 0 } },
    counts: { voice: 0, chat: 0, abandoned: 0, diverted: 0 },
  };
}

/** Folds one rated record into the state. */
export function accumulate(state: UsageState, rr: RatedRecord): void {
  const r = rr.record;
  let c = state.customers.get(r.customerId);
  if (!c) {
    c = customerAcc(r.customerId, rr.plan);
    state.customers.set(r.customerId, c);
  }
  let v = c.versions[rr.version.index];
  if (!v) {
    v = versionAcc(rr.version.bands.length);
    c.versions[rr.version.index] = v;
  }
  if (!(state.firstMs <= r.startMs)) state.firstMs = r.startMs;
  if (!(state.lastMs >= r.startMs)) state.lastMs = r.startMs;

  if (r.abandoned) {
    c.counts.abandoned++;
  } else {
    const ch = r.channel === 'voice' ? v.voice : v.chat;
    ch.contacts++;
    ch.seconds += rr.billableSeconds;
    if (rr.band >= 0) ch.bandSeconds[rr.band]! += rr.billableSeconds;
    c.counts[r.channel]++;
    if (r.responseMs !== null) {
      const acc = c.response[r.channel];
      acc.sumMs += BigInt(r.responseMs);
      acc.count++;
    }
  }
  if (r.channel === 'voice') {
    // SPEC §4.5: offered = answered + abandoned; an answered contact with no response time is not within
    c.voiceOffered++;
    if (!r.abandoned && r.responseMs !== null) {
      const th = c.slaThresholds;
      for (let i = 0; i < th.length; i++) if (r.responseMs <= th[i]! * 1000) c.voiceWithin[i]!++;
    }
  }
  const d = rr.diversion;
  if (d) {
    c.counts.diverted++;
    const acc = d.kind === 'mobile' ? v.mobile : v.international;
    acc.records++;
    acc.seconds += d.seconds;
    acc.cost += d.costMinor;
  }
}

function addChannel(a: ChannelAcc, b: ChannelAcc): void {
  a.contacts += b.contacts;
  a.seconds += b.seconds;
  for (let i = 0; i < b.bandSeconds.length; i++) a.bandSeconds[i] = (a.bandSeconds[i] ?? 0) + b.bandSeconds[i]!;
}

function addDiversion(a: DiversionAcc, b: DiversionAcc): void {
  a.records += b.records;
  a.seconds += b.seconds;
  a.cost += b.cost;
}

/** Adds `b` into `a` (b is left as it was). */
export function mergeState(a: UsageState, b: UsageState): UsageState {
  for (const [id, cb] of b.customers) {
    const ca = a.customers.get(id);
    if (!ca) {
      a.customers.set(id, structuredClone(cb));
      continue;
    }
    cb.versions.forEach((vb, i) => {
      if (!vb) return;
      const va = ca.versions[i];
      if (!va) {
        ca.versions[i] = structuredClone(vb);
        return;
      }
      addChannel(va.voice, vb.voice);
      addChannel(va.chat, vb.chat);
      addDiversion(va.mobile, vb.mobile);
      addDiversion(va.international, vb.international);
    });
    ca.voiceOffered += cb.voiceOffered;
    cb.voiceWithin.forEach((n, i) => (ca.voiceWithin[i] = (ca.voiceWithin[i] ?? 0) + n));
    for (const ch of CHANNELS) {
      ca.response[ch].sumMs += cb.response[ch].sumMs;
      ca.response[ch].count += cb.response[ch].count;
    }
    ca.counts.voice += cb.counts.voice;
    ca.counts.chat += cb.counts.chat;
    ca.counts.abandoned += cb.counts.abandoned;
    ca.counts.diverted += cb.counts.diverted;
  }
  if (b.stats) mergeStatistics((a.stats ??= { customers: new Map() }), b.stats);
  if (!(a.firstMs <= b.firstMs)) a.firstMs = Number.isNaN(b.firstMs) ? a.firstMs : b.firstMs;
  if (!(a.lastMs >= b.lastMs)) a.lastMs = Number.isNaN(b.lastMs) ? a.lastMs : b.lastMs;
  return a;
}
