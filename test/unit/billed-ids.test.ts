import { BilledCollector, BilledIds, fingerprintBlob } from '../../src/pipeline/billed-ids';

/**
 * The ids `issue` bills, per customer: from records billed on the main thread and from
 * chunks collected by workers, in any mix, the ledger must get the same ids on the same
 * customers and the same fingerprints, in the same order, as from the records one by one.
 */
const records: Array<[string, string]> = Array.from({ length: 500 }, (_, i) => [`C${(i * 7) % 5}`, `R-${i}${i % 3 === 0 ? '"\\é' : ''}`]);

function oneByOne(): { json: Map<string, string[]>; blob: Uint8Array } {
  const lists = new Map<string, string[]>();
  for (const [c, id] of records) {
    if (!lists.has(c)) lists.set(c, []);
    lists.get(c)!.push(id);
  }
  return { json: new Map([...lists].map(([c, l]) => [c, l])), blob: fingerprintBlob(lists.values()) };
}

/** Records [0, a) on the main thread, [a, b) in a worker's chunk, [b, c) in another, the rest on the main thread. */
function mixed(a: number, b: number, c: number): BilledIds {
  const ids = new BilledIds();
  const chunk = (from: number, to: number) => {
    const col = new BilledCollector();
    for (const [cu, id] of records.slice(from, to)) col.add(cu, id);
    ids.addChunk(col.done());
  };
  for (const [cu, id] of records.slice(0, a)) ids.add(cu, id);
  chunk(a, b);
  chunk(b, c);
  for (const [cu, id] of records.slice(c)) ids.add(cu, id);
  return ids;
}

describe('BilledIds', () => {
  it.each([
    [0, 0, 0],
    [0, 250, 500],
    [100, 200, 400],
    [499, 500, 500],
  ])('gives each customer its ids in order and the same fingerprints (split at %i, %i, %i)', (a, b, c) => {
    const want = oneByOne();
    const got = mixed(a, b, c);
    for (const [customer, list] of want.json) {
      expect(got.json(customer).flatMap((t) => JSON.parse(t) as string[])).toEqual(list);
    }
    expect(got.json('nobody')).toEqual([]);
    expect(Buffer.from(got.fingerprints())).toEqual(Buffer.from(want.blob));
  });

  it('forgets everything on clear (a second pass starts again)', () => {
    const ids = mixed(100, 200, 400);
    ids.clear();
    expect(ids.json('C0')).toEqual([]);
    expect(ids.fingerprints().length).toBe(0);
  });
});
