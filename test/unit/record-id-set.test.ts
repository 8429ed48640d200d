import fc from 'fast-check';
import { hashId, HashSet64, IdHashTable } from '../../src/rating/record-id-set';
import { HashedSeenIds, SuspectSeenIds } from '../../src/rating/usage-fold';
import type { UsageRecord } from '../../src/usage/usage-record';

const h = (s: string): [number, number] => {
  const { lo, hi } = hashId(s, { lo: 0, hi: 0 });
  return [lo, hi];
};

describe('hashId', () => {
  it('leaves no suspect among 50,000 export-like ids', () => {
    // (the table is checked against a Map below; here it only counts repeats quickly)
    const t = new IdHashTable(50_000);
    for (let i = 0; i < 50_000; i++) {
      const [lo, hi] = h(`R${String(i).padStart(8, '0')}`);
      t.add(lo, hi);
    }
    expect(t.suspects).toBe(0);
    expect(t.size).toBe(50_000);
  });

  it('depends on every character and on the length', () => {
    expect(h('ab')).not.toEqual(h('ba'));
    expect(h('a')).not.toEqual(h('a\0'));
    expect(h('')).not.toEqual(h('\0'));
  });
});

describe('IdHashTable', () => {
  it('marks a hash as suspect exactly when it is added twice, also across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 300 }), { maxLength: 3000 }), (keys) => {
        const t = new IdHashTable(0);
        const count = new Map<number, number>();
        for (const k of keys) {
          const [lo, hi] = h(String(k));
          expect(t.add(lo, hi)).toBe(count.has(k));
          count.set(k, (count.get(k) ?? 0) + 1);
        }
        for (let k = 0; k <= 300; k++) {
          const [lo, hi] = h(String(k));
          expect(t.isSuspect(lo, hi)).toBe((count.get(k) ?? 0) > 1);
        }
        expect(t.suspects).toBe([...count.values()].filter((n) => n > 1).length);
        expect(t.size).toBe(count.size);
      }),
    );
  });

  it('keeps a hash of 0 apart from an empty slot', () => {
    const t = new IdHashTable(0);
    expect(t.add(0, 0)).toBe(false);
    expect(t.add(0, 0)).toBe(true);
    expect(t.isSuspect(0, 0)).toBe(true);
  });

  it('costs about 4 / 0.7 bytes per record when sized from an estimate', () => {
    const t = new IdHashTable(10_000_000);
    expect(t.bytes / 10_000_000).toBeLessThan(6);
  });
});

describe('HashSet64 in shared memory', () => {
  it('is seen whole through a view of its slots (as a worker thread looks in it)', () => {
    const set = new HashSet64(1000, true);
    const ids = Array.from({ length: 1000 }, (_, i) => h(`B-${i}`));
    for (const [lo, hi] of ids) set.add(lo, hi);
    const slots = set.sharedSlots();
    expect(slots).toBeInstanceOf(SharedArrayBuffer);
    const view = HashSet64.view(slots!);
    for (const [lo, hi] of ids) expect(view.has(lo, hi)).toBe(true);
    let others = 0;
    for (let i = 0; i < 1000; i++) if (view.has(...h(`other-${i}`))) others++;
    expect(others).toBe(0);
  });

  it('has no shared slots once it has grown past its size, nor when made unshared', () => {
    const set = new HashSet64(10, true);
    for (let i = 0; i < 200; i++) set.add(...h(`g-${i}`));
    expect(set.sharedSlots()).toBeNull();
    expect(new HashSet64(10).sharedSlots()).toBeNull();
  });
});

describe('duplicate ids in two passes', () => {
  const rec = (id: string, line: number) => ({ recordId: id, customerId: 'C', input: 0, line }) as unknown as UsageRecord;

  it('the second pass holds back every copy of each repeated id, and only suspects', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g'), { maxLength: 40 }), (ids) => {
        const table = new IdHashTable(0);
        const first = new HashedSeenIds(table);
        ids.forEach((id) => expect(first.check(id)).toBeUndefined());
        const second = new SuspectSeenIds(table);
        const held = ids.map((id, i) => second.hold(rec(id, i + 2), [id]));
        const count = new Map<string, number>();
        for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
        ids.forEach((id, i) => {
          // a repeated id is always held; a single one is held only on a hash collision (none among these)
          expect(held[i]).toBe(count.get(id)! > 1);
        });
        for (const [id, n] of count) {
          if (n > 1) expect(second.held.get(id)!.map((c) => c.r.line)).toEqual(ids.flatMap((x, i) => (x === id ? [i + 2] : [])));
        }
      }),
    );
  });

  it('a hash that repeats without the id repeating holds the record, which then stands alone', () => {
    const table = new IdHashTable(0);
    const [lo, hi] = h('A-1');
    table.add(lo, hi);
    table.add(lo, hi); // as if another id had the same hash
    const second = new SuspectSeenIds(table);
    expect(second.hold(rec('A-1', 2), ['A-1'])).toBe(true);
    expect(second.hold(rec('A-2', 3), ['A-2'])).toBe(false);
    expect([...second.held.keys()]).toEqual(['A-1']);
    expect(second.held.get('A-1')).toHaveLength(1);
  });
});
