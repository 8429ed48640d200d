import type { Plan } from '../pricing/types';
import { DAY_MS } from '../time/zone';
import type { RatedRecord } from './rate-record';

/**
 * The service report's part of the fold (docs/reference.md §10), kept apart from the
 * invoice's state and filled only when a report asks for it, so `invoice` never pays
 * for it. Per customer, channel, local day and local hour of the day (the price list's
 * zone: `RatedRecord.localMs` is already the wall clock, DST included), the counts and
 * sums every figure of the report is made of; per customer and channel, a histogram of
 * response times. Its size grows with customers × days × 24 × 2, never with records;
 * cells add up exactly in any order, so chunks rated by workers merge like the rest.
 */

/** One (customer, local day, local hour, channel) of the period. */
export interface StatsCell {
  /** Answered + abandoned. */
  offered: number;
  answered: number;
  abandoned: number;
  /** Diverted contacts, answered or abandoned (SPEC §4.4). */
  diverted: number;
  /** Voice contacts answered within each of the plan's thresholds (as CustomerAcc.within and withinMore). */
  within: number[];
  /**
   * Sum of the known response times of answered contacts, in ms: `responseMs` (a number,
   * kept below SPILL_MS, exact) plus `responseSumMs` (a bigint, what was moved out of it).
   * A bigint addition per record cost more than the rest of this fold; see responseSum.
   */
  responseMs: number;
  responseSumMs: bigint;
  responseCount: number;
  /** Sum of the whole handled seconds of answered contacts. */
  handledSeconds: number;
  billableSeconds: number;
}

/**
 * Upper bounds (seconds, inclusive) of the response-time histogram's buckets; one more
 * bucket holds everything above the last. Inclusive like the service level's "answered
 * within": the contacts within a threshold of 20 s are exactly the buckets up to 20.
 */
export const RESPONSE_BUCKETS_S: readonly number[] = [5, 10, 15, 20, 25, 30, 40, 50, 60, 90, 120, 180, 300];

export interface StatsCustomer {
  customerId: string;
  /** The plan's SLA thresholds, ascending (Plan.slaThresholds: one array per plan). */
  thresholds: readonly number[];
  /** Key: ((local day number × 24) + hour) × 2 + channel (0 voice, 1 chat). */
  cells: Map<number, StatsCell>;
  /** Answered contacts with a known response time, per bucket of RESPONSE_BUCKETS_S (one more at the end). */
  histogram: { voice: number[]; chat: number[] };
}

export interface StatisticsState {
  customers: Map<string, StatsCustomer>;
}

export function emptyStatistics(): StatisticsState {
  return { customers: new Map() };
}

export function cellKey(day: number, hour: number, channel: 0 | 1): number {
  return (day * 24 + hour) * 2 + channel;
}

/** The parts of a cell key. */
export function keyParts(key: number): { day: number; hour: number; channel: 0 | 1 } {
  const channel = (((key % 2) + 2) % 2) as 0 | 1;
  const dh = (key - channel) / 2;
  const hour = ((dh % 24) + 24) % 24;
  return { day: (dh - hour) / 24, hour, channel };
}

export function emptyCell(thresholds: number): StatsCell {
  return { offered: 0, answered: 0, abandoned: 0, diverted: 0, within: new Array<number>(thresholds).fill(0), responseMs: 0, responseSumMs: 0n, responseCount: 0, handledSeconds: 0, billableSeconds: 0 };
}

/**
 * Above this the number part moves into the bigint: a response is at most 10^10 ms, so
 * the part stays ≤ 2^51 + 10^10 and two parts add up below 2^53, exactly.
 */
const SPILL_MS = 2 ** 51;

function spill(c: StatsCell): void {
  if (c.responseMs > SPILL_MS) {
    c.responseSumMs += BigInt(c.responseMs);
    c.responseMs = 0;
  }
}

/** The exact sum of a cell's response times, ms. */
export function responseSum(c: StatsCell): bigint {
  return c.responseSumMs + BigInt(c.responseMs);
}

function statsCustomer(customerId: string, thresholds: readonly number[]): StatsCustomer {
  const buckets = RESPONSE_BUCKETS_S.length + 1;
  return { customerId, thresholds, cells: new Map(), histogram: { voice: new Array<number>(buckets).fill(0), chat: new Array<number>(buckets).fill(0) } };
}

function statsCustomerOf(customerId: string, plan: Plan): StatsCustomer {
  return statsCustomer(customerId, plan.slaThresholds);
}

/** The histogram bucket of a response time in ms. */
export function responseBucket(ms: number): number {
  for (let i = 0; i < RESPONSE_BUCKETS_S.length; i++) if (ms <= RESPONSE_BUCKETS_S[i]! * 1000) return i;
  return RESPONSE_BUCKETS_S.length;
}

const HOUR_MS = 3_600_000;

/** Folds one rated record (the same record `accumulate` adds to the invoice's state). */
export function accumulateStatistics(s: StatisticsState, rr: RatedRecord): void {
  const r = rr.record;
  let c = s.customers.get(r.customerId);
  if (!c) {
    c = statsCustomerOf(r.customerId, rr.plan);
    s.customers.set(r.customerId, c);
  }
  const day = Math.floor(rr.localMs / DAY_MS);
  const hour = Math.floor((rr.localMs - day * DAY_MS) / HOUR_MS);
  const key = cellKey(day, hour, r.channel === 'voice' ? 0 : 1);
  let cell = c.cells.get(key);
  if (!cell) {
    cell = emptyCell(c.thresholds.length);
    c.cells.set(key, cell);
  }
  cell.offered++;
  if (rr.diversion) cell.diverted++;
  if (r.abandoned) {
    cell.abandoned++;
    return;
  }
  cell.answered++;
  cell.handledSeconds += r.durationSeconds;
  cell.billableSeconds += rr.billableSeconds;
  if (r.responseMs === null) return;
  cell.responseMs += r.responseMs;
  spill(cell);
  cell.responseCount++;
  c.histogram[r.channel][responseBucket(r.responseMs)]!++;
  // SPEC §4.5, as the invoice's fold counts it: within = answered with a known response ≤ the threshold
  if (r.channel === 'voice') {
    const th = c.thresholds;
    for (let i = 0; i < th.length; i++) if (r.responseMs <= th[i]! * 1000) cell.within[i]!++;
  }
}

export function addCell(a: StatsCell, b: StatsCell): void {
  a.offered += b.offered;
  a.answered += b.answered;
  a.abandoned += b.abandoned;
  a.diverted += b.diverted;
  for (let i = 0; i < b.within.length; i++) a.within[i] = (a.within[i] ?? 0) + b.within[i]!;
  a.responseMs += b.responseMs;
  a.responseSumMs += b.responseSumMs;
  spill(a);
  a.responseCount += b.responseCount;
  a.handledSeconds += b.handledSeconds;
  a.billableSeconds += b.billableSeconds;
}

/** Adds `b` into `a` (b is left as it was); exact in any order. */
export function mergeStatistics(a: StatisticsState, b: StatisticsState): StatisticsState {
  for (const [id, cb] of b.customers) {
    let ca = a.customers.get(id);
    if (!ca) {
      ca = statsCustomer(id, cb.thresholds);
      a.customers.set(id, ca);
    }
    for (const [key, cell] of cb.cells) {
      let x = ca.cells.get(key);
      if (!x) {
        x = emptyCell(ca.thresholds.length);
        ca.cells.set(key, x);
      }
      addCell(x, cell);
    }
    for (const ch of ['voice', 'chat'] as const) cb.histogram[ch].forEach((n, i) => (ca.histogram[ch][i] = (ca.histogram[ch][i] ?? 0) + n));
  }
  return a;
}

/**
 * The statistics as flat arrays for a worker's reply (state-codec.ts): integers in
 * `nums` (exact below 2^53, as the codec checks), the response sums in `sums`.
 */
export interface EncodedStatistics {
  ids: string[];
  nums: Float64Array;
  sums: BigInt64Array;
}

export function encodeStatistics(s: StatisticsState): { ids: string[]; nums: number[]; sums: bigint[] } {
  const ids: string[] = [];
  const nums: number[] = [];
  const sums: bigint[] = [];
  for (const [id, c] of s.customers) {
    ids.push(id);
    nums.push(c.thresholds.length, ...c.thresholds);
    nums.push(c.histogram.voice.length, ...c.histogram.voice, ...c.histogram.chat);
    nums.push(c.cells.size);
    for (const [key, x] of c.cells) {
      nums.push(key, x.offered, x.answered, x.abandoned, x.diverted, x.responseCount, x.handledSeconds, x.billableSeconds, x.responseMs, ...x.within);
      sums.push(x.responseSumMs);
    }
  }
  return { ids, nums, sums };
}

/** Adds encoded statistics into `into`, exactly as mergeStatistics would. */
export function addEncodedStatistics(into: StatisticsState, enc: EncodedStatistics): void {
  const { nums, sums } = enc;
  let i = 0;
  let k = 0;
  for (const id of enc.ids) {
    const nt = nums[i++]!;
    const thresholds = Array.from(nums.subarray(i, i + nt));
    i += nt;
    let c = into.customers.get(id);
    if (!c) {
      c = statsCustomer(id, thresholds);
      into.customers.set(id, c);
    }
    const nb = nums[i++]!;
    for (const ch of ['voice', 'chat'] as const) for (let b = 0; b < nb; b++) c.histogram[ch][b] = (c.histogram[ch][b] ?? 0) + nums[i++]!;
    const cells = nums[i++]!;
    for (let n = 0; n < cells; n++) {
      const key = nums[i++]!;
      const part: StatsCell = {
        offered: nums[i++]!,
        answered: nums[i++]!,
        abandoned: nums[i++]!,
        diverted: nums[i++]!,
        responseCount: nums[i++]!,
        handledSeconds: nums[i++]!,
        billableSeconds: nums[i++]!,
        responseMs: nums[i++]!,
        within: Array.from(nums.subarray(i, i + nt)),
        responseSumMs: sums[k++]!,
      };
      i += nt;
      let x = c.cells.get(key);
      if (!x) {
        x = emptyCell(c.thresholds.length);
        c.cells.set(key, x);
      }
      addCell(x, part);
    }
  }
}
