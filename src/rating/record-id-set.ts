/**
 * Duplicate `record_id` detection in a few bytes per record (issue #5: a Map of
 * 10 million ids took more memory than the whole target). Each id is reduced to a
 * 64-bit hash kept in an open-addressing table of typed arrays; a hash seen twice
 * marks a *suspect*. A hash match is not proof: the ids are compared exactly in a
 * second pass over the inputs, made only when there is a suspect (run-usage.ts).
 *
 * Memory: 8 bytes a slot, the table at most 85 % full and usually sized from the
 * inputs' size to about 70 %: 9.5–12 bytes per record.
 */

/** High 32 bits of the last `hashId`. */
let lastHi = 0;

/**
 * A 64-bit hash of a string, two 32-bit lanes in the manner of MurmurHash3 x86_128
 * over its UTF-16 units. Returns the low 32 bits; `hashIdHi()` gives the high ones.
 */
export function hashId(s: string): number {
  const n = s.length;
  let h1 = 0x9747b28c;
  let h2 = 0x2f1a6b3d;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    const k = s.charCodeAt(i) | (s.charCodeAt(i + 1) << 16);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    h1 = (h1 << 19) | (h1 >>> 13);
    h1 = (Math.imul(h1, 5) + 0x561ccd1b) | 0;
    let k2 = Math.imul(k, 0x239b961b);
    k2 = (k2 << 16) | (k2 >>> 16);
    h2 ^= Math.imul(k2, 0xab0e9789);
    h2 = (h2 << 17) | (h2 >>> 15);
    h2 = (Math.imul(h2, 5) + 0x0bcaa747) | 0;
  }
  if (i < n) {
    const k = s.charCodeAt(i);
    let k1 = Math.imul(k, 0xcc9e2d51);
    k1 = (k1 << 15) | (k1 >>> 17);
    h1 ^= Math.imul(k1, 0x1b873593);
    let k2 = Math.imul(k, 0x239b961b);
    k2 = (k2 << 16) | (k2 >>> 16);
    h2 ^= Math.imul(k2, 0xab0e9789);
  }
  h1 ^= n;
  h2 ^= n;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix32(h1);
  h2 = fmix32(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  lastHi = h2 >>> 0;
  return h1 >>> 0;
}

export function hashIdHi(): number {
  return lastHi;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const SUSPECT = 0x80000000;
const HI_MASK = 0x7fffffff;
const MAX_LOAD = 0.85;
const TARGET_LOAD = 0.7;

/**
 * A set of 63-bit hashes (the 64-bit hash without its top bit, which marks a
 * suspect) with linear probing. Slot i is words 2i (low) and 2i+1 (high); (0, 0)
 * is an empty slot, so a hash of 0 is stored as 1.
 */
export class IdHashTable {
  private slots: Uint32Array;
  private capacity: number;
  size = 0;
  /** Hashes seen more than once. */
  suspects = 0;

  /** A table for about `records` records (it grows beyond). */
  constructor(records = 0) {
    this.capacity = Math.max(1024, Math.ceil(records / TARGET_LOAD));
    this.slots = new Uint32Array(this.capacity * 2);
  }

  /** Bytes held. */
  get bytes(): number {
    return this.slots.byteLength;
  }

  /** Adds a hash; returns true when it was there already (both are then suspects). */
  add(lo: number, hi: number): boolean {
    if (this.size + 1 > this.capacity * MAX_LOAD) this.grow();
    hi &= HI_MASK;
    if (lo === 0 && hi === 0) lo = 1;
    const slots = this.slots;
    const cap = this.capacity;
    let i = Math.floor((lo / 4294967296) * cap);
    for (;;) {
      const j = i << 1;
      const l = slots[j]!;
      const h = slots[j + 1]!;
      if (l === 0 && h === 0) {
        slots[j] = lo;
        slots[j + 1] = hi;
        this.size++;
        return false;
      }
      if (l === lo && (h & HI_MASK) === hi) {
        if ((h & SUSPECT) === 0) {
          slots[j + 1] = h | SUSPECT;
          this.suspects++;
        }
        return true;
      }
      if (++i === cap) i = 0;
    }
  }

  /** Adds hashes given as pairs (low, high), as a worker sends them. */
  addAll(pairs: Uint32Array, count = pairs.length >> 1): void {
    for (let k = 0; k < count; k++) this.add(pairs[2 * k]!, pairs[2 * k + 1]!);
  }

  /** Was this hash seen more than once? */
  isSuspect(lo: number, hi: number): boolean {
    hi &= HI_MASK;
    if (lo === 0 && hi === 0) lo = 1;
    const slots = this.slots;
    const cap = this.capacity;
    let i = Math.floor((lo / 4294967296) * cap);
    for (;;) {
      const j = i << 1;
      const l = slots[j]!;
      const h = slots[j + 1]!;
      if (l === 0 && h === 0) return false;
      if (l === lo && (h & HI_MASK) === hi) return (h & SUSPECT) !== 0;
      if (++i === cap) i = 0;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil((this.capacity * 2 * MAX_LOAD) / TARGET_LOAD);
    this.slots = new Uint32Array(this.capacity * 2);
    const cap = this.capacity;
    const slots = this.slots;
    for (let j = 0; j < old.length; j += 2) {
      const lo = old[j]!;
      const h = old[j + 1]!;
      if (lo === 0 && h === 0) continue;
      let i = Math.floor((lo / 4294967296) * cap);
      while (slots[i << 1] !== 0 || slots[(i << 1) + 1] !== 0) if (++i === cap) i = 0;
      slots[i << 1] = lo;
      slots[(i << 1) + 1] = h;
    }
  }
}

/** Growable list of hash pairs, as a worker collects them for its chunk. */
export class HashList {
  pairs = new Uint32Array(8192);
  count = 0;

  push(lo: number, hi: number): void {
    if (2 * this.count + 2 > this.pairs.length) {
      const bigger = new Uint32Array(this.pairs.length * 2);
      bigger.set(this.pairs);
      this.pairs = bigger;
    }
    this.pairs[2 * this.count] = lo;
    this.pairs[2 * this.count + 1] = hi;
    this.count++;
  }

  /** The pairs, trimmed (a copy that owns its buffer, to transfer). */
  take(): Uint32Array {
    return this.pairs.slice(0, 2 * this.count);
  }
}
