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
 *
 * Small per customer (a month may hold a million of them): a customer's accumulator
 * is one object of counts, with the parts of a plan version it used chained from it,
 * and a part of a version (a channel, its bands, a kind of diversion) made only when a
 * record needs it: a customer with only voice records carries no chat or diversion
 * part. The counts an invoice shows are worked out from the parts (`countsOf`), the
 * plan's SLA thresholds are held once per plan, and sums of response times are exact
 * sums (`ExactSum`): a number while they are safe integers, a bigint past that.
 */

/**
 * An exact integer sum: a number while it is a safe integer, else a bigint — never a
 * number that lost precision. Canonical: a bigint only beyond the safe integers, so two
 * equal sums are equal values whatever order they were added in.
 */
export type ExactSum = number | bigint;

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const MIN_SAFE = -MAX_SAFE;

/** a + b, exactly (both integers). */
export function addExact(a: ExactSum, b: ExactSum): ExactSum {
  if (typeof a === 'number' && typeof b === 'number') {
    // two safe integers: the float sum is exact when the true sum is safe, and never
    // rounds a sum beyond the safe integers back into them
    const s = a + b;
    if (Number.isSafeInteger(s)) return s;
  }
  const s = BigInt(a) + BigInt(b);
  return s >= MIN_SAFE && s <= MAX_SAFE ? Number(s) : s;
}

export interface ChannelAcc {
  /** Answered (billed) contacts. */
  contacts: number;
  seconds: number;
  /** Billable seconds per band index of the version; null until a record falls in a band. */
  bandSeconds: number[] | null;
}

export interface DiversionAcc {
  records: number;
  seconds: number;
  /** Sum of the per-record rounded transfer costs, in minor units. */
  cost: bigint;
}

/** What a customer used of one plan version; each part null until a record needs it. */
export interface VersionAcc {
  /** The version's index in plan.versions. */
  index: number;
  /** The customer's next version used (the chain is in index order). */
  next: VersionAcc | null;
  voice: ChannelAcc | null;
  chat: ChannelAcc | null;
  mobile: DiversionAcc | null;
  international: DiversionAcc | null;
}

export interface CustomerAcc {
  customerId: string;
  plan: string;
  /** The plan versions used (a chain, see versionOf). */
  versions: VersionAcc | null;
  /** Abandoned contacts (SPEC §4.5 offered = answered + abandoned). */
  abandonedVoice: number;
  abandonedChat: number;
  /**
   * Answered voice contacts with response ≤ each of the plan's SLA thresholds
   * (Plan.slaThresholds): the first here, the others in `withinMore` (null when the plan has
   * fewer than two).
   */
  within: number;
  withinMore: number[] | null;
  /** Sums and counts of the known response times of answered contacts, ms. */
  voiceResponseMs: ExactSum;
  voiceResponses: number;
  chatResponseMs: ExactSum;
  chatResponses: number;
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

export function customerAcc(customerId: string, plan: Plan): CustomerAcc {
  return {
    customerId,
    plan: plan.name,
    versions: null,
    abandonedVoice: 0,
    abandonedChat: 0,
    within: 0,
    withinMore: plan.slaThresholds.length > 1 ? new Array<number>(plan.slaThresholds.length - 1).fill(0) : null,
    voiceResponseMs: 0,
    voiceResponses: 0,
    chatResponseMs: 0,
    chatResponses: 0,
  };
}

/** A customer's part of a plan version, or null when it used none of it. */
export function versionOf(c: CustomerAcc, index: number): VersionAcc | null {
  for (let v = c.versions; v !== null; v = v.next) if (v.index === index) return v;
  return null;
}

export function versionIn(c: CustomerAcc, index: number): VersionAcc {
  let before: VersionAcc | null = null;
  let v = c.versions;
  while (v !== null && v.index < index) {
    before = v;
    v = v.next;
  }
  if (v !== null && v.index === index) return v;
  const made: VersionAcc = { index, next: v, voice: null, chat: null, mobile: null, international: null };
  if (before === null) c.versions = made;
  else before.next = made;
  return made;
}

function channelAcc(): ChannelAcc {
  return { contacts: 0, seconds: 0, bandSeconds: null };
}

function diversionAcc(): DiversionAcc {
  return { records: 0, seconds: 0, cost: 0n };
}

/** Adds billable seconds to a band of a channel (made as long as the version's bands). */
function addBandSeconds(ch: ChannelAcc, band: number, bands: number, seconds: number): void {
  const b = (ch.bandSeconds ??= new Array<number>(Math.max(bands, band + 1)).fill(0));
  b[band] = (b[band] ?? 0) + seconds;
}

/** The contacts of a customer, as an invoice counts them. */
export function countsOf(c: CustomerAcc): { voice: number; chat: number; abandoned: number; diverted: number } {
  let voice = 0, chat = 0, diverted = 0;
  for (let v = c.versions; v !== null; v = v.next) {
    voice += v.voice?.contacts ?? 0;
    chat += v.chat?.contacts ?? 0;
    diverted += (v.mobile?.records ?? 0) + (v.international?.records ?? 0);
  }
  return { voice, chat, abandoned: c.abandonedVoice + c.abandonedChat, diverted };
}

/** Voice contacts offered (answered + abandoned), for the service level. */
export function voiceOffered(c: CustomerAcc): number {
  let answered = 0;
  for (let v = c.versions; v !== null; v = v.next) answered += v.voice?.contacts ?? 0;
  return answered + c.abandonedVoice;
}

/** What the SLA evaluation needs (sla.ts), in its own terms. */
export function slaCounts(c: CustomerAcc, plan: Plan): { voiceOffered: number; voiceWithin: number[]; thresholds: readonly number[]; response: { voice: { sumMs: bigint; count: number }; chat: { sumMs: bigint; count: number } } } {
  const thresholds = plan.slaThresholds;
  return {
    voiceOffered: voiceOffered(c),
    voiceWithin: thresholds.length === 0 ? [] : [c.within, ...(c.withinMore ?? [])],
    thresholds,
    response: {
      voice: { sumMs: BigInt(c.voiceResponseMs), count: c.voiceResponses },
      chat: { sumMs: BigInt(c.chatResponseMs), count: c.chatResponses },
    },
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
  const v = versionIn(c, rr.version.index);
  if (!(state.firstMs <= r.startMs)) state.firstMs = r.startMs;
  if (!(state.lastMs >= r.startMs)) state.lastMs = r.startMs;

  const voice = r.channel === 'voice';
  if (r.abandoned) {
    if (voice) c.abandonedVoice++;
    else c.abandonedChat++;
  } else {
    const ch = voice ? (v.voice ??= channelAcc()) : (v.chat ??= channelAcc());
    ch.contacts++;
    ch.seconds += rr.billableSeconds;
    if (rr.band >= 0) addBandSeconds(ch, rr.band, rr.version.bands.length, rr.billableSeconds);
    if (r.responseMs !== null) {
      if (voice) {
        c.voiceResponseMs = addExact(c.voiceResponseMs, r.responseMs);
        c.voiceResponses++;
        // SPEC §4.5: an answered contact with no response time is not within
        const th = rr.plan.slaThresholds;
        if (th.length > 0 && r.responseMs <= th[0]! * 1000) c.within++;
        for (let i = 1; i < th.length; i++) if (r.responseMs <= th[i]! * 1000) c.withinMore![i - 1]!++;
      } else {
        c.chatResponseMs = addExact(c.chatResponseMs, r.responseMs);
        c.chatResponses++;
      }
    }
  }
  const d = rr.diversion;
  if (d) {
    const acc = d.kind === 'mobile' ? (v.mobile ??= diversionAcc()) : (v.international ??= diversionAcc());
    acc.records++;
    acc.seconds += d.seconds;
    acc.cost += d.costMinor;
  }
}

/** Adds channel b into a's (either may be missing); returns a's. */
export function addChannel(a: ChannelAcc | null, b: { contacts: number; seconds: number; bandSeconds: ArrayLike<number> | null }): ChannelAcc {
  const c = a ?? channelAcc();
  c.contacts += b.contacts;
  c.seconds += b.seconds;
  const bs = b.bandSeconds;
  if (bs && bs.length > 0) {
    const into = (c.bandSeconds ??= new Array<number>(bs.length).fill(0));
    for (let i = 0; i < bs.length; i++) into[i] = (into[i] ?? 0) + bs[i]!;
  }
  return c;
}

/** Adds diversion b into a's (either may be missing); returns a's. */
export function addDiversion(a: DiversionAcc | null, records: number, seconds: number, cost: bigint): DiversionAcc {
  const d = a ?? diversionAcc();
  d.records += records;
  d.seconds += seconds;
  d.cost += cost;
  return d;
}

/** Adds the figures of customer b that are not per version into a. */
export function addCustomerCounts(a: CustomerAcc, b: Omit<CustomerAcc, 'customerId' | 'plan' | 'versions'>): void {
  a.abandonedVoice += b.abandonedVoice;
  a.abandonedChat += b.abandonedChat;
  a.within += b.within;
  if (b.withinMore) {
    const into = (a.withinMore ??= new Array<number>(b.withinMore.length).fill(0));
    b.withinMore.forEach((n, i) => (into[i] = (into[i] ?? 0) + n));
  }
  a.voiceResponseMs = addExact(a.voiceResponseMs, b.voiceResponseMs);
  a.voiceResponses += b.voiceResponses;
  a.chatResponseMs = addExact(a.chatResponseMs, b.chatResponseMs);
  a.chatResponses += b.chatResponses;
}

/** Adds `b` into `a` (b is left as it was). */
export function mergeState(a: UsageState, b: UsageState): UsageState {
  for (const [id, cb] of b.customers) {
    const ca = a.customers.get(id);
    if (!ca) {
      a.customers.set(id, structuredClone(cb));
      continue;
    }
    for (let vb = cb.versions; vb !== null; vb = vb.next) {
      const va = versionIn(ca, vb.index);
      if (vb.voice) va.voice = addChannel(va.voice, vb.voice);
      if (vb.chat) va.chat = addChannel(va.chat, vb.chat);
      if (vb.mobile) va.mobile = addDiversion(va.mobile, vb.mobile.records, vb.mobile.seconds, vb.mobile.cost);
      if (vb.international) va.international = addDiversion(va.international, vb.international.records, vb.international.seconds, vb.international.cost);
    }
    addCustomerCounts(ca, cb);
  }
  if (b.stats) mergeStatistics((a.stats ??= { customers: new Map() }), b.stats);
  if (!(a.firstMs <= b.firstMs)) a.firstMs = Number.isNaN(b.firstMs) ? a.firstMs : b.firstMs;
  if (!(a.lastMs >= b.lastMs)) a.lastMs = Number.isNaN(b.lastMs) ? a.lastMs : b.lastMs;
  return a;
}
