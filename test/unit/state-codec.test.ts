import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import { RatingContext } from '../../src/rating/rate-record';
import { addEncodedState, encodeState } from '../../src/rating/state-codec';
import { UsageFold } from '../../src/rating/usage-fold';
import { customerAcc, emptyState, mergeState } from '../../src/rating/usage-state';
import type { UsageState } from '../../src/rating/usage-state';
import { generateUsage } from '../helpers/usage-gen';

/**
 * Worker replies carry their state encoded (state-codec.ts); adding it must do
 * exactly what mergeState does with the state itself.
 */
const ROOT = join(__dirname, '..', '..');
const prices = parsePriceList(readFileSync(join(ROOT, 'price-lists', 'default.yaml'), 'utf8'), 'default.yaml');
const ctx = new RatingContext(prices);
const newCustomer = (id: string, plan: string) => customerAcc(id, prices.plans.get(plan)!);

function foldOf(csv: string): UsageState {
  const fold = new UsageFold(ctx, { period: null, inputNames: ['u.csv'], keepRejects: 0 });
  const rows = parse(csv, { relax_column_count: true }) as string[][];
  fold.header(0, rows[0]!);
  rows.slice(1).forEach((r, i) => fold.row(0, i + 2, r));
  return fold.state;
}

describe('encodeState / addEncodedState', () => {
  it('adds exactly what mergeState adds, into empty and into partly filled states', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (seed, n1, n2) => {
        const a = foldOf(generateUsage({ rows: n1, seed }));
        const b = foldOf(generateUsage({ rows: n2, seed: seed + 1 }));
        const enc = encodeState(b);
        expect(enc).not.toBeNull();
        const viaMerge = mergeState(structuredClone(a), b);
        const viaCodec = structuredClone(a);
        addEncodedState(viaCodec, enc!, newCustomer);
        expect(viaCodec).toEqual(viaMerge);
      }),
      { numRuns: 60 },
    );
  });

  it('keeps the span of an empty state empty (NaN first and last instants)', () => {
    const into = emptyState();
    addEncodedState(into, encodeState(emptyState())!, newCustomer);
    expect(into).toEqual(emptyState());
  });

  it('refuses a cost beyond 64 bits instead of wrapping it', () => {
    const s = foldOf(generateUsage({ rows: 200, seed: 3 }));
    const v = [...s.customers.values()].map((c) => c.versions).find((x) => x)!;
    v.mobile = { records: 1, seconds: 60, cost: 2n ** 64n };
    expect(encodeState(s)).toBeNull();
  });

  it('carries response sums past 2^53 ms, and adds them exactly', () => {
    const a = foldOf(generateUsage({ rows: 40, seed: 11 }));
    const c = [...a.customers.values()].find((x) => x.voiceResponses > 0)!;
    c.voiceResponseMs = 2n ** 60n + 3n;
    const before = structuredClone(a);
    const into = structuredClone(a);
    addEncodedState(into, encodeState(a)!, newCustomer);
    expect(into.customers.get(c.customerId)!.voiceResponseMs).toBe(2n ** 61n + 6n);
    expect(into).toEqual(mergeState(before, a));
  });
});
