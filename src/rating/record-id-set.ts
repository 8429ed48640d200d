/**
 * Duplicate `record_id` detection in a few bytes per record (issue #5: a Map of
 * 10 million ids took more memory than the whole target). Each id is reduced to a
 * 64-bit hash, kept as a fingerprint in an open-addressing table of typed arrays;
 * a hash met again marks a *suspect*. A hash match is not proof: the ids are compared exactly in a
 * second pass over the inputs, made only when there is a suspect (pipeline/fold-inputs.ts).
 *
 * Memory: 4 bytes a slot, the table at most 85 % full and usually sized from the
 * inputs' size to about 70 %: about 6 bytes per record.
 */

/** A 64-bit hash as two 32-bit words; the caller owns one and `hashId` fills it (no allocation per record). */
export interface Hash64 {
  lo: number;
  hi: number;
}

/**
 * A 64-bit hash of a string, two 32-bit lanes in the manner of MurmurHash3 x86_128
 * over its UTF-16 units, written into `into` (and returned).
 */
export function hashId(s: string, into: Hash64): Hash64 {
  return hashIdAt(s, 0, s.length, into);
}

/** hashId of the text `s[from..to)`, read where it lies (a cell of a line): the same hash as of that text alone. */
export function hashIdAt(s: string, from: number, to: number, into: Hash64): Hash64 {
  const n = to - from;
  let h1 = 0x9747b28c;
  let h2 = 0x2f1a6b3d;
  let i = from;
  for (; i + 1 < to; i += 2) {
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
  if (i < to) {
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
  into.lo = h1 >>> 0;
  into.hi = h2 >>> 0;
  return into;
}

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

const MAX_LOAD = 0.85;
const TARGET_LOAD = 0.7;

/** Home slot of a hash in a table of `cap` slots: its low 32 bits scaled (exact in doubles). */
function home(lo: number, cap: number): number {
  return Math.floor((lo / 4294967296) * cap);
}

/**
 * A set of full 64-bit hashes with linear probing: slot i is words 2i (low) and
 * 2i+1 (high); (0, 0) is an empty slot, so a hash of 0 is stored as 1. It grows
 * (the full hash gives each entry its new slot). Used for the few suspects.
 */
export class HashSet64 {
  private slots: Uint32Array;
  private capacity: number;
  size = 0;

  /**
   * Sized for `records` (it grows past them). `shared`: the slots are in shared memory,
   * for other threads to look in (`sharedSlots`, `HashSet64.view`) while it no longer grows.
   */
  constructor(records = 0, shared = false) {
    this.capacity = Math.max(64, Math.ceil(records / TARGET_LOAD));
    this.slots = new Uint32Array(shared ? new SharedArrayBuffer(this.capacity * 8) : new ArrayBuffer(this.capacity * 8));
  }

  /** A set to look in, over the slots of one in shared memory (another thread's). */
  static view(slots: SharedArrayBuffer): HashSet64 {
    const set = new HashSet64();
    set.slots = new Uint32Array(slots);
    set.capacity = set.slots.length / 2;
    set.size = 1; // not counted; never added to
    return set;
  }

  /** The slots, when they are in shared memory (they are not once the set has grown). */
  sharedSlots(): SharedArrayBuffer | null {
    return this.slots.buffer instanceof SharedArrayBuffer ? this.slots.buffer : null;
  }

  /** Adds a hash; returns false when it was there already. */
  add(lo: number, hi: number): boolean {
    if (this.size + 1 > this.capacity * MAX_LOAD) this.grow();
    if (lo === 0 && hi === 0) lo = 1;
    const slots = this.slots;
    const cap = this.capacity;
    for (let i = home(lo, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const l = slots[2 * i]!;
      const h = slots[2 * i + 1]!;
      if (l === 0 && h === 0) {
        slots[2 * i] = lo;
        slots[2 * i + 1] = hi;
        this.size++;
        return true;
      }
      if (l === lo && h === hi) return false;
    }
  }

  has(lo: number, hi: number): boolean {
    if (lo === 0 && hi === 0) lo = 1;
    const slots = this.slots;
    const cap = this.capacity;
    for (let i = home(lo, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const l = slots[2 * i]!;
      const h = slots[2 * i + 1]!;
      if (l === 0 && h === 0) return false;
      if (l === lo && h === hi) return true;
    }
  }

  get bytes(): number {
    return this.slots.byteLength;
  }

  private grow(): void {
    const old = this.slots;
    this.capacity = Math.ceil((this.capacity * 2 * MAX_LOAD) / TARGET_LOAD);
    this.slots = new Uint32Array(this.capacity * 2);
    this.size = 0;
    for (let j = 0; j < old.length; j += 2) if (old[j] !== 0 || old[j + 1] !== 0) this.add(old[j]!, old[j + 1]!);
  }
}

/**
 * One table of 32-bit fingerprints (the high word of the hash; 0 marks an empty
 * slot, so a fingerprint of 0 is stored as 1), its slots chosen by the low word.
 * An entry's full hash is not kept, so it cannot grow: the set adds another.
 */
class FingerprintTable {
  readonly fp: Uint32Array;
  size = 0;
  constructor(readonly capacity: number) {
    this.fp = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.size + 1 > this.capacity * MAX_LOAD;
  }

  /** Is the fingerprint in the probe run of this home slot? Then the hash may have been seen. */
  mayHave(lo: number, f: number): boolean {
    const fp = this.fp;
    const cap = this.capacity;
    for (let i = home(lo, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const x = fp[i]!;
      if (x === 0) return false;
      if (x === f) return true;
    }
  }

  /** Inserts the fingerprint unless it is met on the probe run first; returns whether it was met. */
  insertOrMeet(lo: number, f: number): boolean {
    const fp = this.fp;
    const cap = this.capacity;
    for (let i = home(lo, cap); ; i = i + 1 === cap ? 0 : i + 1) {
      const x = fp[i]!;
      if (x === f) return true;
      if (x === 0) {
        fp[i] = f;
        this.size++;
        return false;
      }
    }
  }
}

/**
 * The ids of a run, as 4-byte fingerprints: a hash's low word picks the slot and
 * its high word is stored, so a match means the two hashes agree in the stored 32
 * bits and, nearly always, in the slot bits too. Each match is a *suspect*: its
 * full 64-bit hash goes into a small exact set, and the second pass compares the
 * ids of the rows with those hashes exactly. A false match (a fingerprint met on
 * the probe run of another hash: about probe length / 2^32 per record, ~1 % of
 * 10-million-row runs) costs only that second pass; a true duplicate always
 * matches, since equal ids have equal hashes. Sized from an estimate of the
 * records to about 70 % full (~6 bytes a record); past 85 % a table twice as big
 * is added, and a lookup probes each.
 */
export class IdHashTable {
  private readonly tables: FingerprintTable[];
  private readonly suspectSet = new HashSet64();
  /** Fingerprints stored. */
  size = 0;

  /** A table for about `records` records (more are taken, in a further table). */
  constructor(records = 0) {
    this.tables = [new FingerprintTable(Math.max(1024, Math.ceil(records / TARGET_LOAD)))];
  }

  /** Distinct hashes that matched an earlier one. */
  get suspects(): number {
    return this.suspectSet.size;
  }

  /** Bytes held. */
  get bytes(): number {
    return this.tables.reduce((n, t) => n + t.fp.byteLength, 0) + this.suspectSet.bytes;
  }

  /** Adds a hash; returns true when it (probably) was there already: it is then a suspect. */
  add(lo: number, hi: number): boolean {
    const f = hi === 0 ? 1 : hi;
    const tables = this.tables;
    let last = tables[tables.length - 1]!;
    for (let k = 0; k < tables.length - 1; k++) {
      if (tables[k]!.mayHave(lo, f)) return this.suspect(lo, hi);
    }
    if (last.full) {
      if (last.mayHave(lo, f)) return this.suspect(lo, hi);
      last = new FingerprintTable(Math.ceil((last.capacity * 2 * MAX_LOAD) / TARGET_LOAD));
      tables.push(last);
    }
    if (last.insertOrMeet(lo, f)) return this.suspect(lo, hi);
    this.size++;
    return false;
  }

  private suspect(lo: number, hi: number): true {
    this.suspectSet.add(lo, hi);
    return true;
  }

  /**
   * Adds `count` hashes stored as word pairs (low, high), as a worker sends them.
   * (Sorting them by slot first was tried: no faster, at 1M or 10M records.)
   */
  addAll(words: Uint32Array, count = words.length >> 1): void {
    for (let k = 0; k < count; k++) this.add(words[2 * k]!, words[2 * k + 1]!);
  }

  /** Was this hash a suspect? (Every id that occurs twice has a suspect hash.) */
  isSuspect(lo: number, hi: number): boolean {
    return this.suspectSet.has(lo, hi);
  }
}

/** Growable list of hashes, as word pairs (low, high), as a worker collects them for its chunk. */
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
}
