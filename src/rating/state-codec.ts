import type { ChannelAcc, CustomerAcc, DiversionAcc, UsageState, VersionAcc } from './usage-state';
import { addEncodedStatistics, emptyStatistics, encodeStatistics } from './statistics-state';
import type { EncodedStatistics } from './statistics-state';

/**
 * A UsageState as three flat arrays, for worker replies (issue #5). Sent as an
 * object graph, each chunk's state (~1,500 small objects for 50 customers) was
 * rebuilt on the main thread and kept alive while replies waited to be applied in
 * order; those survivors grew the main thread's young generation to its largest
 * size and the 10M-row run's peak RSS with it. Typed arrays travel as one block
 * each and are added into the state in place (`addEncodedState`), building nothing.
 *
 * Exact: every figure is an integer; seconds, counts and milliseconds stay far
 * below 2^53 (MAX_SECONDS per record, a chunk's records), so a Float64Array holds
 * them exactly, and the bigint figures (costs in minor units, sums of response
 * milliseconds) go in a BigInt64Array. A state that does not fit (one beyond 64
 * bits) is not encoded: the caller sends it whole.
 */
export interface EncodedState {
  /** Per customer: its id and its plan's name. */
  ids: string[];
  plans: string[];
  nums: Float64Array;
  /** The bigint figures, in order. */
  costs: BigInt64Array;
  /** The service report's statistics, when the fold collects them. */
  stats: EncodedStatistics | null;
}

const MIN_I64 = -(2n ** 63n);
const MAX_I64 = 2n ** 63n - 1n;

class Writer {
  nums: number[] = [];
  costs: bigint[] = [];
  num(n: number): void {
    this.nums.push(n);
  }
  cost(c: bigint): void {
    this.costs.push(c);
  }
}

function putChannel(w: Writer, c: ChannelAcc): void {
  w.num(c.contacts);
  w.num(c.seconds);
  w.num(c.bandSeconds.length);
  for (const s of c.bandSeconds) w.num(s);
}

function putDiversion(w: Writer, d: DiversionAcc): void {
  w.num(d.records);
  w.num(d.seconds);
  w.cost(d.cost);
}

/** The state as flat arrays, or null when a figure does not fit them. */
export function encodeState(state: UsageState): EncodedState | null {
  const w = new Writer();
  const ids: string[] = [];
  const plans: string[] = [];
  w.num(state.firstMs);
  w.num(state.lastMs);
  for (const [id, c] of state.customers) {
    ids.push(id);
    plans.push(c.plan);
    w.num(c.versions.length);
    for (const v of c.versions) {
      if (!v) {
        w.num(0);
        continue;
      }
      w.num(1);
      putChannel(w, v.voice);
      putChannel(w, v.chat);
      putDiversion(w, v.mobile);
      putDiversion(w, v.international);
    }
    w.num(c.voiceOffered);
    w.num(c.voiceWithin.length);
    for (const n of c.voiceWithin) w.num(n);
    w.cost(c.response.voice.sumMs);
    w.num(c.response.voice.count);
    w.cost(c.response.chat.sumMs);
    w.num(c.response.chat.count);
    w.num(c.counts.voice);
    w.num(c.counts.chat);
    w.num(c.counts.abandoned);
    w.num(c.counts.diverted);
  }
  for (const n of w.nums) if (!Number.isNaN(n) && !Number.isSafeInteger(n)) return null;
  for (const c of w.costs) if (c < MIN_I64 || c > MAX_I64) return null;
  let stats: EncodedStatistics | null = null;
  if (state.stats) {
    const s = encodeStatistics(state.stats);
    for (const n of s.nums) if (!Number.isSafeInteger(n)) return null;
    for (const c of s.sums) if (c < MIN_I64 || c > MAX_I64) return null;
    stats = { ids: s.ids, nums: Float64Array.from(s.nums), sums: BigInt64Array.from(s.sums) };
  }
  return { ids, plans, nums: Float64Array.from(w.nums), costs: BigInt64Array.from(w.costs), stats };
}

/**
 * Adds an encoded state into `into`, exactly as `mergeState(into, decoded)` would.
 * `newCustomer(id, plan)` makes the empty accumulator of a customer not yet in it.
 */
export function addEncodedState(into: UsageState, enc: EncodedState, newCustomer: (id: string, plan: string) => CustomerAcc): void {
  const nums = enc.nums;
  const costs = enc.costs;
  let i = 0;
  let k = 0;
  const firstMs = nums[i++]!;
  const lastMs = nums[i++]!;
  const addChannel = (a: ChannelAcc): void => {
    a.contacts += nums[i++]!;
    a.seconds += nums[i++]!;
    const bands = nums[i++]!;
    for (let b = 0; b < bands; b++) a.bandSeconds[b] = (a.bandSeconds[b] ?? 0) + nums[i++]!;
  };
  const addDiversion = (a: DiversionAcc): void => {
    a.records += nums[i++]!;
    a.seconds += nums[i++]!;
    a.cost += costs[k++]!;
  };
  for (let ci = 0; ci < enc.ids.length; ci++) {
    const id = enc.ids[ci]!;
    let c = into.customers.get(id);
    if (!c) {
      c = newCustomer(id, enc.plans[ci]!);
      into.customers.set(id, c);
    }
    const versions = nums[i++]!;
    for (let vi = 0; vi < versions; vi++) {
      if (nums[i++] === 0) continue;
      let v = c.versions[vi];
      if (!v) {
        v = emptyVersion();
        c.versions[vi] = v;
      }
      addChannel(v.voice);
      addChannel(v.chat);
      addDiversion(v.mobile);
      addDiversion(v.international);
    }
    c.voiceOffered += nums[i++]!;
    const within = nums[i++]!;
    for (let t = 0; t < within; t++) c.voiceWithin[t] = (c.voiceWithin[t] ?? 0) + nums[i++]!;
    c.response.voice.sumMs += costs[k++]!;
    c.response.voice.count += nums[i++]!;
    c.response.chat.sumMs += costs[k++]!;
    c.response.chat.count += nums[i++]!;
    c.counts.voice += nums[i++]!;
    c.counts.chat += nums[i++]!;
    c.counts.abandoned += nums[i++]!;
    c.counts.diverted += nums[i++]!;
  }
  if (enc.stats) addEncodedStatistics((into.stats ??= emptyStatistics()), enc.stats);
  // as mergeState: NaN (no record) never wins
  if (!(into.firstMs <= firstMs)) into.firstMs = Number.isNaN(firstMs) ? into.firstMs : firstMs;
  if (!(into.lastMs >= lastMs)) into.lastMs = Number.isNaN(lastMs) ? into.lastMs : lastMs;
}

function emptyChannel(): ChannelAcc {
  return { contacts: 0, seconds: 0, bandSeconds: [] };
}

function emptyVersion(): VersionAcc {
  return {
    voice: emptyChannel(),
    chat: emptyChannel(),
    mobile: { records: 0, seconds: 0, cost: 0n },
    international: { records: 0, seconds: 0, cost: 0n },
  };
}
