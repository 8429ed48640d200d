import { priceChannel, surchargeCharge } from '../../src/invoice/charge-models';
import type { ChargeInput } from '../../src/invoice/charge-models';
import { Dec } from '../../src/money/decimal';
import type { ChannelPricing, TierStep } from '../../src/pricing/types';

/** up to 100 min at 0.50, up to 200 min at 0.40, then 0.30 (bounds in seconds: 6,000 and 12,000). */
const STEPS: TierStep[] = [
  { upToSeconds: 6000, upToMinutes: new Dec(100), perMinute: new Dec('0.50') },
  { upToSeconds: 12000, upToMinutes: new Dec(200), perMinute: new Dec('0.40') },
  { upToSeconds: null, upToMinutes: null, perMinute: new Dec('0.30') },
];
const graduated: ChannelPricing = { kind: 'tiers', mode: 'graduated', steps: STEPS };
const volume: ChannelPricing = { kind: 'tiers', mode: 'volume', steps: STEPS };
const input = (seconds: number, countBefore: number, periodTotal: number): ChargeInput => ({ seconds, countBefore, periodTotal, minor: 2, rounding: 'half-up' });

describe('priceChannel: amounts and the explanation behind them', () => {
  test('flat: the rate, no count window', () => {
    const c = priceChannel({ kind: 'flat', perMinute: new Dec('0.85') }, input(90, 500, 9000));
    // 0.85 × 90 / 60 = 1.275 → 1.28 half-up
    expect(c.pieces.map((p) => [p.label, p.seconds, p.precise.toFixed(), p.amount.toFixed(2)])).toEqual([['per minute', 90, '1.275', '1.28']]);
    expect(c.explanation.model).toBe('flat');
    expect(c.explanation.tiers).toBeNull();
    expect(c.explanation.used.map((u) => [u.label, u.piece.priceTimesSeconds.toFixed()])).toEqual([['per minute', '76.5']]);
  });

  test('graduated: seconds 5,400..12,600 of the count split over the three steps', () => {
    const c = priceChannel(graduated, input(7200, 5400, 20000));
    // 600 s at 0.50 = 5.00; 6,000 s at 0.40 = 40.00; 600 s at 0.30 = 3.00
    expect(c.pieces.map((p) => [p.seconds, p.amount.toFixed(2)])).toEqual([
      [600, '5.00'],
      [6000, '40.00'],
      [600, '3.00'],
    ]);
    expect(c.explanation.tiers).toMatchObject({ from: 5400, to: 12600, periodTotal: null });
    expect(c.explanation.tiers!.steps.map((s) => [s.label, s.seconds])).toEqual([
      ['up to 100 min', 600],
      ['101–200 min', 6000],
      ['over 200 min', 600],
    ]);
  });

  test('graduated with no seconds: an invoice line at the step the count sits in, but no step used', () => {
    const c = priceChannel(graduated, input(0, 6000, 6000));
    expect(c.pieces.map((p) => [p.label, p.seconds, p.amount.toFixed(2)])).toEqual([['101–200 min', 0, '0.00']]);
    expect(c.explanation.used).toEqual([]);
    expect(c.explanation.tiers!.steps.map((s) => s.seconds)).toEqual([0, 0, 0]);
  });

  test('volume: the period total picks the step for all of the seconds', () => {
    // total 12,000 s is exactly on the second bound: the second step (bounds are inclusive)
    const c = priceChannel(volume, input(3000, 9000, 12000));
    expect(c.pieces.map((p) => [p.label, p.amount.toFixed(2)])).toEqual([['101–200 min by volume', '20.00']]);
    expect(c.explanation.used.map((u) => u.label)).toEqual(['101–200 min (volume)']);
    expect(c.explanation.tiers).toMatchObject({ from: 9000, to: 12000, periodTotal: 12000 });
    expect(c.explanation.tiers!.steps.map((s) => s.seconds)).toEqual([null, 3000, null]);
  });

  test('a band surcharge is a flat price on the band seconds, rounded with the mode', () => {
    // 0.05 × 30 / 60 = 0.025: half-even 0.02, half-up 0.03
    expect(surchargeCharge(new Dec('0.05'), 30, 2, 'half-even').amount.toFixed(2)).toBe('0.02');
    expect(surchargeCharge(new Dec('0.05'), 30, 2, 'half-up').amount.toFixed(2)).toBe('0.03');
  });
});
