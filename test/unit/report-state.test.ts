/**
 * The service report's part of the fold (statistics-state.ts): chunks folded apart and
 * merged, directly or through the worker codec, give what one fold of everything gives;
 * and the small drawing helpers of the HTML report.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import { RatingContext } from '../../src/rating/rate-record';
import { addEncodedState, encodeState } from '../../src/rating/state-codec';
import { addCell, cellKey, emptyCell, keyParts, responseBucket, responseSum } from '../../src/rating/statistics-state';
import { UsageFold } from '../../src/rating/usage-fold';
import { customerAcc, mergeState } from '../../src/rating/usage-state';
import type { UsageState } from '../../src/rating/usage-state';
import { bucketLabels, thresholdPosition } from '../../src/render/report/html';
import { el, esc, niceTicks, scale } from '../../src/render/report/svg-core';
import { shade } from '../../src/render/report/svg-heatmap';
import { generateUsage } from '../helpers/usage-gen';

const ROOT = join(__dirname, '..', '..');
const prices = parsePriceList(readFileSync(join(ROOT, 'price-lists', 'default.yaml'), 'utf8'), 'default.yaml');
const ctx = new RatingContext(prices);
const newCustomer = (id: string, plan: string) => customerAcc(id, prices.plans.get(plan)!);

function foldRows(rows: string[][], statistics = true): UsageState {
  const fold = new UsageFold(ctx, { period: null, inputNames: ['u.csv'], keepRejects: 0, statistics });
  fold.header(0, rows[0]!);
  rows.slice(1).forEach((r, i) => fold.row(0, i + 2, r));
  return fold.state;
}

describe('statistics in the fold', () => {
  it('are collected only when asked for', () => {
    const rows = parse(generateUsage({ rows: 20, seed: 7 }), { relax_column_count: true }) as string[][];
    expect(foldRows(rows, false).stats).toBeUndefined();
    expect(foldRows(rows, true).stats!.customers.size).toBeGreaterThan(0);
  });

  it('merge exactly, directly and through the worker codec, wherever the rows are cut', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 0, max: 80 }), fc.nat(), (seed, n, cutAt) => {
        const rows = parse(generateUsage({ rows: n, seed }), { relax_column_count: true }) as string[][];
        const cut = 1 + (n === 0 ? 0 : cutAt % (n + 1));
        const whole = foldRows(rows);
        const a = foldRows(rows.slice(0, cut));
        const b = foldRows([rows[0]!, ...rows.slice(cut)]);
        const merged = mergeState(structuredClone(a), b);
        const enc = encodeState(b);
        expect(enc).not.toBeNull();
        const viaCodec = structuredClone(a);
        addEncodedState(viaCodec, enc!, newCustomer);
        const canon = (s: UsageState) => [...(s.stats?.customers ?? new Map()).entries()].sort(([x], [y]) => (x < y ? -1 : 1)).map(([id, c]) => [id, c.histogram, [...c.cells.entries()].sort(([x], [y]) => x - y).map(([k, cell]) => [k, { ...cell, responseMs: 0, responseSumMs: responseSum(cell) }])]);
        expect(canon(merged)).toEqual(canon(whole));
        expect(canon(viaCodec)).toEqual(canon(whole));
      }),
      { numRuns: 40 },
    );
  });

  it('sums response times exactly past 2^53 ms, moving the number part into the bigint', () => {
    const a = emptyCell(0);
    const b = emptyCell(0);
    b.responseMs = 2 ** 51 + 7;
    b.responseSumMs = 5n;
    for (let i = 0; i < 5; i++) addCell(a, b);
    // 5 × (2^51 + 7 + 5) = 5 × 2^51 + 60
    expect(responseSum(a)).toBe(5n * 2n ** 51n + 60n);
    expect(a.responseMs).toBeLessThanOrEqual(2 ** 51);
  });

  it('keys cells by day, hour and channel, before 1970 too', () => {
    for (const [d, h, c] of [[20_000, 0, 0], [20_000, 23, 1], [-3, 5, 1], [0, 0, 0]] as const) expect(keyParts(cellKey(d, h, c))).toEqual({ day: d, hour: h, channel: c });
  });

  it('puts a response in the bucket whose upper bound (inclusive) it does not pass', () => {
    expect([responseBucket(0), responseBucket(5000), responseBucket(5001), responseBucket(20_000), responseBucket(300_000), responseBucket(300_001)]).toEqual([0, 0, 1, 3, 12, 13]);
  });
});

describe('drawing helpers', () => {
  it('escapes names for HTML and SVG', () => {
    expect(esc(`<script>"x" & 'y'</script>`)).toBe('&lt;script&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/script&gt;');
    expect(el('text', { x: 1.005, title: 'a"b' }, 'c')).toBe('<text x="1" title="a&quot;b">c</text>');
  });

  it('makes round ticks from 0 past the largest value, whole numbers only', () => {
    expect(niceTicks(2)).toEqual([0, 1, 2]);
    expect(niceTicks(8)).toEqual([0, 2, 4, 6, 8]);
    expect(niceTicks(37)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0)).toEqual([0, 1]);
    expect(scale(0, 10, 100, 0)(5)).toBe(50);
  });

  it('places the SLA threshold on the histogram', () => {
    const b = [5, 10, 15, 20, 25, 30, 40];
    expect(thresholdPosition(20, b)).toBe(4); // the right edge of the ≤20 bucket
    expect(thresholdPosition(35, b)).toBe(6.5); // half-way through 30–40
    expect(thresholdPosition(0, b)).toBe(0);
    expect(thresholdPosition(99, b)).toBe(7.5);
    expect(bucketLabels([5, 10])).toEqual(['≤5', '≤10', '>10']);
  });

  it('shades a heat-map cell in five greys by its share of the largest count', () => {
    expect(shade(0, 10)).toBe('#ffffff');
    expect([shade(1, 10), shade(2, 10), shade(3, 10), shade(10, 10)]).toEqual(['#e6e6e6', '#e6e6e6', '#bdbdbd', '#262626']);
  });
});
