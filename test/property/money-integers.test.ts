import Decimal from 'decimal.js';
import fc from 'fast-check';
import { Dec } from '../../src/money/decimal';
import { fromMinorUnits, minorPerSecond, minorUnitsText, minuteCostMinor, roundMoney, toMinorUnits } from '../../src/money/round';
import type { RoundingMode } from '../../src/money/round';

/**
 * The hot loop prices a transfer in integers (minor units, bigint); the contract is
 * decimal arithmetic rounded once (SPEC §4.3–4.4). The oracle is decimal.js itself,
 * in its own configuration (not callbill's Dec): price × seconds / 60, rounded to the
 * currency's minor digits with the mode, times 10^minor.
 */
const Oracle = Decimal.clone({ precision: 200, toExpNeg: -300, toExpPos: 300 });
const MODE: Record<RoundingMode, Decimal.Rounding> = { 'half-up': Decimal.ROUND_HALF_UP, 'half-even': Decimal.ROUND_HALF_EVEN };

function oracleCostMinor(rate: string, seconds: number, minor: number, mode: RoundingMode): string {
  return new Oracle(rate).times(seconds).div(60).toDecimalPlaces(minor, MODE[mode]).times(new Oracle(10).pow(minor)).toFixed(0);
}

const mode = fc.constantFrom<RoundingMode>('half-up', 'half-even');
/** Minor digits of real currencies: JPY 0, EUR 2, BHD 3. */
const minor = fc.constantFrom(0, 2, 3);
/** A price per minute as a price list writes it: up to 6 decimals, up to 10,000. */
const rate = fc
  .tuple(fc.bigInt({ min: 0n, max: 10_000_000_000n }), fc.integer({ min: 0, max: 6 }))
  .map(([units, places]) => new Oracle(units.toString()).div(new Oracle(10).pow(places)).toFixed());
/** A rate that puts 60 s exactly on a rounding tie of `m` minor digits: (2k + 1) × 5 × 10^-(m+1). */
const tieRate = (m: number) => fc.integer({ min: 0, max: 100_000 }).map((k) => new Oracle(2 * k + 1).times(5).div(new Oracle(10).pow(m + 1)).toFixed());
const seconds = fc.oneof(fc.integer({ min: 0, max: 120 }), fc.integer({ min: 0, max: 100_000_000 }));

describe('transfer costs in integers equal decimal arithmetic', () => {
  test('random rates, seconds, minor digits and both modes', () => {
    fc.assert(
      fc.property(rate, seconds, minor, mode, (r, s, m, md) => {
        const cost = minuteCostMinor(minorPerSecond(new Dec(r), m), s, md);
        expect(cost.toString()).toBe(oracleCostMinor(r, s, m, md));
      }),
      { numRuns: 300 },
    );
  });

  test('on exact ties, where the two modes differ', () => {
    let differed = 0;
    fc.assert(
      fc.property(
        minor.chain((m) => fc.tuple(fc.constant(m), tieRate(m))),
        fc.integer({ min: 0, max: 1000 }),
        ([m, r], k) => {
          const s = 60 * (2 * k + 1); // an odd number of minutes keeps the tie
          for (const md of ['half-up', 'half-even'] as const) {
            expect(minuteCostMinor(minorPerSecond(new Dec(r), m), s, md).toString()).toBe(oracleCostMinor(r, s, m, md));
          }
          if (oracleCostMinor(r, s, m, 'half-up') !== oracleCostMinor(r, s, m, 'half-even')) differed++;
        },
      ),
      { numRuns: 200 },
    );
    // about half the ties have an even neighbour below: the modes must have been told apart
    expect(differed).toBeGreaterThan(20);
  });
});

describe('roundMoney, minor units and their text agree with decimal arithmetic', () => {
  /** Any decimal up to 12 places, either sign: what a line, a credit or a tax may be before rounding. */
  const anyAmount = fc
    .tuple(fc.bigInt({ min: -(10n ** 18n), max: 10n ** 18n }), fc.integer({ min: 0, max: 12 }))
    .map(([units, places]) => new Oracle(units.toString()).div(new Oracle(10).pow(places)).toFixed());
  /** Often a tie for 0, 2 or 3 minor digits: a last digit 5 in the place after them. */
  const tieAmount = fc
    .tuple(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), fc.constantFrom(1, 3, 4))
    .map(([k, places]) => new Oracle((k * 10n + (k < 0n ? -5n : 5n)).toString()).div(new Oracle(10).pow(places)).toFixed());
  const amount = fc.oneof(anyAmount, tieAmount);

  test('roundMoney is decimal rounding to the minor digits, sign of zero included', () => {
    fc.assert(
      fc.property(amount, minor, mode, (a, m, md) => {
        const got = roundMoney(new Dec(a), m, md);
        const want = new Oracle(a).toDecimalPlaces(m, MODE[md]);
        expect(got.toFixed()).toBe(want.toFixed());
        expect(got.isNegative()).toBe(want.isNegative());
      }),
      { numRuns: 300 },
    );
  });

  test('whole minor units go to integers and back, and their text has the currency digits', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), minor, (n, m) => {
        const d = fromMinorUnits(n, m);
        expect(d.toFixed()).toBe(new Oracle(n.toString()).div(new Oracle(10).pow(m)).toFixed());
        expect(toMinorUnits(d, m)).toBe(n);
        expect(minorUnitsText(n, m)).toBe(new Oracle(n.toString()).div(new Oracle(10).pow(m)).toFixed(m));
      }),
      { numRuns: 200 },
    );
  });
});
