import { addChannel, addCustomerCounts, addDiversion, addExact, versionIn } from './usage-state';
import type { ChannelAcc, CustomerAcc, DiversionAcc, ExactSum, UsageState } from './usage-state';
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

function putChannel(w: Writer, c: ChannelAcc | null): void {
  if (!c) {
    w.num(-1);
    return;
  }
  w.num(c.contacts);
  w.num(c.seconds);
  const bands = c.bandSeconds ?? [];
  w.num(bands.length);
  for (const s of bands) w.num(s);
}

function putDiversion(w: Writer, d: DiversionAcc | null): void {
  if (!d) {
    w.num(-1);
    return;
  }
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
    let used = 0;
    for (let v = c.versions; v !== null; v = v.next) used++;
    w.num(used);
    for (let v = c.versions; v !== null; v = v.next) {
      w.num(v.index);
      putChannel(w, v.voice);
      putChannel(w, v.chat);
      putDiversion(w, v.mobile);
      putDiversion(w, v.international);
    }
    w.num(c.abandonedVoice);
    w.num(c.abandonedChat);
    w.num(c.within);
    const more = c.withinMore ?? [];
    w.num(more.length);
    for (const n of more) w.num(n);
    w.cost(BigInt(c.voiceResponseMs));
    w.num(c.voiceResponses);
    w.cost(BigInt(c.chatResponseMs));
    w.num(c.chatResponses);
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
  const channel = (a: ChannelAcc | null): ChannelAcc | null => {
    const contacts = nums[i++]!;
    if (contacts === -1) return a;
    const seconds = nums[i++]!;
    const bands = nums[i++]!;
    const bandSeconds = bands === 0 ? null : nums.subarray(i, i + bands);
    i += bands;
    return addChannel(a, { contacts, seconds, bandSeconds });
  };
  const diversion = (a: DiversionAcc | null): DiversionAcc | null => {
    const records = nums[i++]!;
    if (records === -1) return a;
    const seconds = nums[i++]!;
    return addDiversion(a, records, seconds, costs[k++]!);
  };
  for (let ci = 0; ci < enc.ids.length; ci++) {
    const id = enc.ids[ci]!;
    let c = into.customers.get(id);
    if (!c) {
      c = newCustomer(id, enc.plans[ci]!);
      into.customers.set(id, c);
    }
    const used = nums[i++]!;
    for (let n = 0; n < used; n++) {
      const v = versionIn(c, nums[i++]!);
      v.voice = channel(v.voice);
      v.chat = channel(v.chat);
      v.mobile = diversion(v.mobile);
      v.international = diversion(v.international);
    }
    const abandonedVoice = nums[i++]!;
    const abandonedChat = nums[i++]!;
    const within = nums[i++]!;
    const more = nums[i++]!;
    const withinMore = more === 0 ? null : Array.from(nums.subarray(i, i + more));
    i += more;
    const voiceResponseMs = exact(costs[k++]!);
    const voiceResponses = nums[i++]!;
    const chatResponseMs = exact(costs[k++]!);
    const chatResponses = nums[i++]!;
    addCustomerCounts(c, { abandonedVoice, abandonedChat, within, withinMore, voiceResponseMs, voiceResponses, chatResponseMs, chatResponses });
  }
  if (enc.stats) addEncodedStatistics((into.stats ??= emptyStatistics()), enc.stats);
  // as mergeState: NaN (no record) never wins
  if (!(into.firstMs <= firstMs)) into.firstMs = Number.isNaN(firstMs) ? into.firstMs : firstMs;
  if (!(into.lastMs >= lastMs)) into.lastMs = Number.isNaN(lastMs) ? into.lastMs : lastMs;
}

/** A bigint figure back as an ExactSum (a number when it is a safe integer). */
function exact(n: bigint): ExactSum {
  return addExact(0, n);
}
