import { Dec } from '../money/decimal';
import type { RoundingMode } from '../money/round';
import { roundMoney } from '../money/round';

/** Exact price × seconds / 60 and its once-rounded amount (SPEC §4.3). */
export function minuteAmount(
  perMinute: Dec,
  seconds: number,
  minor: number,
  mode: RoundingMode,
): { seconds: number; perMinute: Dec; priceTimesSeconds: Dec; precise: Dec; amount: Dec } {
  const priceTimesSeconds = perMinute.times(seconds);
  const precise = priceTimesSeconds.div(60);
  return { seconds, perMinute, priceTimesSeconds, precise, amount: roundMoney(precise, minor, mode) };
}

/** SPEC §4.6: seconds / 60 shown to at most 4 decimals (display only). */
export function minutesQuantity(seconds: number): string {
  return new Dec(seconds).div(60).toDecimalPlaces(4, Dec.ROUND_HALF_UP).toFixed();
}

/** 10000 → "10,000"; 10000.5 → "10,000.5" (descriptions only). */
export function groupThousands(d: Dec): string {
  const [int, frac] = d.toFixed().split('.');
  const grouped = (int ?? '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return frac ? `${grouped}.${frac}` : grouped;
}
