import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import { RatingContext } from '../../src/rating/rate-record';
import { UsageFold } from '../../src/rating/usage-fold';
import { addExact, countsOf, mergeState, voiceOffered } from '../../src/rating/usage-state';
import type { UsageState } from '../../src/rating/usage-state';

/**
 * The fold's per-customer accumulator is small (docs/performance.md, "Memory per
 * customer"): the parts of a plan version are made only for the records that need
 * them, and response sums are numbers until they pass the safe integers.
 */
const ROOT = join(__dirname, '..', '..');
const prices = parsePriceList(readFileSync(join(ROOT, 'test', 'bench', 'bench-prices.yaml'), 'utf8'), 'bench-prices.yaml');
const HEADER = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'response_seconds', 'status', 'diversion', 'destination', 'diverted_seconds'];

function fold(rows: string[][]): UsageState {
  const f = new UsageFold(new RatingContext(prices), { period: null, inputNames: ['u.csv'], keepRejects: 10 });
  f.header(0, HEADER);
  rows.forEach((r, i) => f.row(0, i + 2, r));
  expect(f.rejects.map((r) => r.message)).toEqual([]);
  return f.state;
}

describe('a customer accumulator', () => {
  it('of a customer with only voice records, answered on a weekday, has no chat, diversion or band part', () => {
    const s = fold([
      ['r1', 'V', 'voice', '2026-10-06T10:00:00Z', '61', '5', '', '', '', ''],
      ['r2', 'V', 'voice', '2026-10-07T10:00:00Z', '30', '40', '', '', '', ''],
    ]);
    const c = s.customers.get('V')!;
    expect(c.versions).not.toBeNull();
    expect(c.versions!.next).toBeNull();
    expect(c.versions!.chat).toBeNull();
    expect(c.versions!.mobile).toBeNull();
    expect(c.versions!.international).toBeNull();
    expect(c.versions!.voice).toEqual({ contacts: 2, seconds: 126, bandSeconds: null });
    // one SLA threshold (20 s): the first response is within it, the second is not
    expect([c.within, c.withinMore]).toEqual([1, null]);
    expect([c.voiceResponseMs, c.voiceResponses, c.chatResponseMs, c.chatResponses]).toEqual([45_000, 2, 0, 0]);
    expect(countsOf(c)).toEqual({ voice: 2, chat: 0, abandoned: 0, diverted: 0 });
  });

  it('gets a part for each version, channel, band and kind of diversion it used, and only those', () => {
    const s = fold([
      // a Saturday (weekend band) before the second version (2026-10-15), diverted to a mobile
      ['r1', 'M', 'voice', '2026-10-10T10:00:00Z', '61', '5', '', 'mobile', '', '95'],
      ['r2', 'M', 'chat', '2026-10-20T10:00:00Z', '61', '5', '', '', '', ''],
      ['r3', 'M', 'voice', '2026-10-20T10:00:00Z', '0', '', 'abandoned', '', '', ''],
    ]);
    const c = s.customers.get('M')!;
    const v0 = c.versions!;
    const v1 = v0.next!;
    expect([v0.index, v1.index, v1.next]).toEqual([0, 1, null]);
    expect(v0.voice!.bandSeconds).toEqual([0, 66, 0]);
    expect([v0.chat, v0.international]).toEqual([null, null]);
    expect(v0.mobile).toEqual({ records: 1, seconds: 120, cost: 24n });
    expect([v1.voice, v1.mobile, v1.international]).toEqual([null, null, null]);
    expect(v1.chat).toEqual({ contacts: 1, seconds: 66, bandSeconds: null });
    expect(countsOf(c)).toEqual({ voice: 1, chat: 1, abandoned: 1, diverted: 1 });
    expect(voiceOffered(c)).toBe(2);
    // merged with itself: every figure doubles, no part is added
    const twice = mergeState(structuredClone(s), s).customers.get('M')!;
    expect(countsOf(twice)).toEqual({ voice: 2, chat: 2, abandoned: 2, diverted: 2 });
    expect(twice.versions!.voice!.bandSeconds).toEqual([0, 132, 0]);
    expect(twice.versions!.next!.voice).toBeNull();
  });
});

describe('addExact', () => {
  const MAX = Number.MAX_SAFE_INTEGER;
  it('stays a number while the sum is a safe integer', () => {
    expect(addExact(MAX - 1, 1)).toBe(MAX);
    expect(addExact(0, 0)).toBe(0);
  });
  it('becomes the exact bigint past the safe integers, never a rounded number', () => {
    expect(addExact(MAX, 1)).toBe(2n ** 53n);
    expect(addExact(MAX, MAX)).toBe(2n * BigInt(MAX));
    // 2^53 + 1 has no float: a number sum would give 2^53
    expect(addExact(2 ** 52, 2 ** 52 + 1)).toBe(2n ** 53n + 1n);
    expect(addExact(2n ** 53n, 1)).toBe(2n ** 53n + 1n);
  });
  it('is a number again when a bigint sum comes back into the safe integers', () => {
    expect(addExact(2n ** 53n, -2)).toBe(MAX - 1);
    expect(addExact(2n ** 60n, -(2n ** 60n))).toBe(0);
  });
});
