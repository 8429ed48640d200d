import { RatingContext } from '../../src/rating/rate-record';
import { UsageFold } from '../../src/rating/usage-fold';
import { mergeState } from '../../src/rating/usage-state';
import { bill, CSV_HEAD } from '../helpers/bill';
import { HEAD, prices } from '../helpers/prices';

/**
 * Found while writing the "shuffling rows changes nothing" property (issue #6): response
 * times were summed in milliseconds as a JS number, so past 2^53 ms (900,000 calls with a
 * 115-day response, or fewer longer ones) the sum — and the SLA average — depended on the
 * order of the rows. The sum is a bigint now, and a response over 10,000,000 s is a bad row
 * like such a duration.
 */
const P = HEAD + `default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
`;

describe('response time sums (SPEC §4.5 average response)', () => {
  it('stay exact past 2^53 ms and do not depend on the order of the rows', () => {
    const n = 910_000; // 910,000 × ~10^10 ms > 2^53
    const values = ['9999999.999', '9999999.997'];
    const exact = BigInt(n / 2) * 9_999_999_999n + BigInt(n / 2) * 9_999_999_997n;
    expect(exact > 2n ** 53n).toBe(true);
    const sumIn = (order: (i: number) => number) => {
      const ctx = new RatingContext(prices(P));
      const fold = new UsageFold(ctx, { period: null, inputNames: ['u.csv'], keepRejects: 0 });
      fold.header(0, ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'response_seconds']);
      for (let i = 0; i < n; i++) fold.row(0, i + 2, [`r${i}`, 'C', 'voice', '2026-10-05T10:00:00Z', '1', values[order(i)]!]);
      return fold.state;
    };
    // a float sum loses milliseconds once past 2^53, differently for each order; an exact sum has no order
    const alternating = sumIn((i) => i % 2);
    expect(alternating.customers.get('C')!.voiceResponseMs).toBe(exact);
    // and merged chunks (worker threads) add up exactly too
    expect(mergeState(alternating, structuredClone(alternating)).customers.get('C')!.voiceResponseMs).toBe(2n * exact);
  });

  it('a response over 10,000,000 s is a bad row, like a duration', () => {
    const { fold } = bill(P, CSV_HEAD + 'a,C,voice,2026-10-05T10:00:00Z,60,10000000,,,,\nb,C,voice,2026-10-05T11:00:00Z,60,10000000.001,,,,\n');
    expect(fold.counts).toEqual({ read: 2, billed: 1, rejected: 1, outside: 0 });
    expect(fold.rejects.map((r) => [r.line, r.column, r.message, r.value])).toEqual([[3, 'response_seconds', 'longer than 10000000 seconds', '10000000.001']]);
  });

  it('the average is the exact mean of the milliseconds', () => {
    const { invoices } = bill(P, CSV_HEAD + 'a,C,voice,2026-10-05T10:00:00Z,60,0.001,,,,\nb,C,voice,2026-10-05T11:00:00Z,60,0.002,,,,\nc,C,voice,2026-10-05T12:00:00Z,60,10,,,,\n');
    // (1 + 2 + 10,000) ms / 3 = 3334.333… ms = 3.33 s shown
    expect(invoices[0]!.sla.averageResponseSeconds.voice!.toFixed()).toBe('3.33');
  });
});
