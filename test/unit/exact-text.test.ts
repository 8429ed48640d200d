import { Dec } from '../../src/money/decimal';
import { exactQuotient, terminates } from '../../src/money/exact-text';

describe('exactQuotient: a record\'s exact share, written out in full', () => {
  it.each([
    // numerator, divisor, min digits, text
    ['80.75', 60n, 2, '1.3458(3)'], // 0.85 × 95 s / 60 = 1.345833…
    ['108', 60n, 2, '1.80'], // 0.90 × 120 s / 60
    ['22.5', 60n, 2, '0.375'], // 0.45 × 50 s / 60: more digits than the currency's are kept
    ['87.5', 60n, 2, '1.458(3)'], // 0.35 × 250 s / 60
    ['110', 60n, 2, '1.8(3)'],
    ['0', 60n, 2, '0.00'],
    ['9', 1n, 2, '9.00'],
    ['9', 1n, 0, '9'],
    ['1', 3n, 0, '0.(3)'],
    ['1', 7n, 0, '0.(142857)'],
    ['1', 6n, 2, '0.1(6)'],
    ['-80.75', 60n, 2, '-1.3458(3)'],
    ['0.000001', 1n, 2, '0.000001'],
  ])('%s / %s → %s', (n, d, min, text) => {
    expect(exactQuotient(new Dec(n), d, min)).toBe(text);
  });
  it('knows which quotients terminate', () => {
    expect(terminates(new Dec('80.75'), 60n)).toBe(false);
    expect(terminates(new Dec('108'), 60n)).toBe(true);
  });
  it('refuses a divisor that is not positive', () => {
    expect(() => exactQuotient(new Dec(1), 0n, 2)).toThrow();
  });
});
