/**
 * The record ids a run of `issue` bills, per customer, as the ledger stores them (SPEC §7):
 * each document's ids, given to SQLite as JSON arrays, and the run's fingerprints of them.
 * A worker thread (fold-worker.ts) collects a chunk's ids and sends them as one JSON array
 * per customer, with their fingerprints: the main thread keeps those texts as they are,
 * never a string per record.
 */
import type { Hash64 } from '../rating/record-id-set';
import { hashId } from '../rating/record-id-set';
import { detach } from '../rating/usage-fold';

/** The ids a chunk billed: per customer (in order of their first record), a JSON array of its ids in order, and their fingerprints. */
export interface ChunkBilled {
  customers: string[];
  json: string[];
  /** Ids per customer. */
  counts: number[];
  /** The 64-bit fingerprints (low, high) of the ids, customer after customer. */
  words: Uint32Array;
}

/** Writes the 64-bit fingerprints of `ids` into `words` from word `at` (two uint32 each: low, high); returns the word after them. */
function fingerprintWords(ids: readonly string[], words: Uint32Array, at: number): number {
  const h: Hash64 = { lo: 0, hi: 0 };
  for (const id of ids) {
    hashId(id, h);
    words[at++] = h.lo;
    words[at++] = h.hi;
  }
  return at;
}

/** The 64-bit fingerprints of the ids a run billed, list after list, as the ledger keeps them. */
export function fingerprintBlob(lists: Iterable<readonly string[]>): Uint8Array {
  const idLists = [...lists];
  let n = 0;
  for (const l of idLists) n += l.length;
  const words = new Uint32Array(n * 2);
  let i = 0;
  for (const l of idLists) i = fingerprintWords(l, words, i);
  return new Uint8Array(words.buffer);
}

/** Collects a chunk's billed ids in a worker. */
export class BilledCollector {
  private readonly index = new Map<string, number>();
  private readonly customers: string[] = [];
  private readonly ids: string[][] = [];

  add(customerId: string, recordId: string): void {
    let k = this.index.get(customerId);
    if (k === undefined) {
      k = this.customers.length;
      this.index.set(customerId, k);
      this.customers.push(detach(customerId));
      this.ids.push([]);
    }
    this.ids[k]!.push(recordId);
  }

  done(): ChunkBilled {
    let n = 0;
    for (const l of this.ids) n += l.length;
    const words = new Uint32Array(2 * n);
    let i = 0;
    for (const l of this.ids) i = fingerprintWords(l, words, i);
    return { customers: this.customers, json: this.ids.map((l) => JSON.stringify(l)), counts: this.ids.map((l) => l.length), words };
  }
}

/** Ids per JSON array built here: its text stays a few MB. */
const IDS_PER_ARRAY = 65536;

type Part = { ids: string[] } | { json: string; words: Uint32Array };

/** The ids a run billed, per customer in order of their first record billed, each in input order. */
export class BilledIds {
  private readonly by = new Map<string, Part[]>();

  private parts(customerId: string): Part[] {
    let l = this.by.get(customerId);
    if (!l) this.by.set(customerId, (l = []));
    return l;
  }

  /** A record billed on this thread. */
  add(customerId: string, recordId: string): void {
    const l = this.parts(customerId);
    const last = l[l.length - 1];
    if (last && 'ids' in last && last.ids.length < IDS_PER_ARRAY) last.ids.push(recordId);
    else l.push({ ids: [recordId] });
  }

  /** The ids of a chunk rated by a worker, after those before it. */
  addChunk(b: ChunkBilled): void {
    let at = 0;
    b.customers.forEach((c, k) => {
      const n = b.counts[k]!;
      this.parts(c).push({ json: b.json[k]!, words: b.words.subarray(2 * at, 2 * (at + n)) });
      at += n;
    });
  }

  clear(): void {
    this.by.clear();
  }

  /** A customer's ids as JSON arrays of strings. */
  json(customerId: string): string[] {
    return (this.by.get(customerId) ?? []).map((p) => ('ids' in p ? JSON.stringify(p.ids) : p.json));
  }

  /** The 64-bit fingerprints of every id, customer after customer, as the ledger keeps them (two uint32 each). */
  fingerprints(): Uint8Array {
    let n = 0;
    for (const l of this.by.values()) for (const p of l) n += 'ids' in p ? 2 * p.ids.length : p.words.length;
    const words = new Uint32Array(n);
    let i = 0;
    for (const l of this.by.values()) {
      for (const p of l) {
        if ('ids' in p) {
          i = fingerprintWords(p.ids, words, i);
        } else {
          words.set(p.words, i);
          i += p.words.length;
        }
      }
    }
    return new Uint8Array(words.buffer);
  }
}
