import { Dec, parseDecimalText } from '../../src/money/decimal';
import { formatMoney, isWholeMinor, minorPerSecond, minuteCostMinor, roundMoney } from '../../src/money/round';
import { findCurrency } from '../../src/money/currency';

const r = (s: string, minor: number, mode: 'half-up' | 'half-even') => formatMoney(roundMoney(new Dec(s), minor, mode), minor);

describe('roundMoney', () => {
  it('rounds ties away from zero with half-up and to even with half-even', () => {
    expect(r('2.345', 2, 'half-up')).toBe('2.35');
    expect(r('2.345', 2, 'half-even')).toBe('2.34');
    expect(r('2.355', 2, 'half-even')).toBe('2.36');
    expect(r('2.3450000001', 2, 'half-even')).toBe('2.35');
    expect(r('-0.005', 2, 'half-up')).toBe('-0.01');
    expect(r('-0.005', 2, 'half-even')).toBe('0.00');
  });
  it('uses the minor units of JPY (0) and BHD (3)', () => {
    expect(r('12.5', 0, 'half-up')).toBe('13');
    expect(r('12.5', 0, 'half-even')).toBe('12');
    expect(r('13.5', 0, 'half-even')).toBe('14');
    expect(r('1.0005', 3, 'half-up')).toBe('1.001');
    expect(r('1.0005', 3, 'half-even')).toBe('1.000');
  });
  it('never prints -0', () => {
    expect(formatMoney(new Dec('-0.001').toDecimalPlaces(2), 2)).toBe('0.00');
  });
});

describe('minuteCostMinor', () => {
  const cost = (rate: string, seconds: number, minor: number, mode: 'half-up' | 'half-even') => minuteCostMinor(minorPerSecond(new Dec(rate), minor), seconds, mode);
  it('rounds price × seconds / 60 once, in minor units, ties by the mode', () => {
    // 0.05 × 30 / 60 = 0.025 EUR = 2.5 cents
    expect(cost('0.05', 30, 2, 'half-up')).toBe(3n);
    expect(cost('0.05', 30, 2, 'half-even')).toBe(2n);
    // 0.15 × 30 / 60 = 0.075 = 7.5 cents: the even neighbour is 8
    expect(cost('0.15', 30, 2, 'half-even')).toBe(8n);
    // 0.90 × 61 / 60 = 0.915 EUR, 91.5 cents
    expect(cost('0.90', 61, 2, 'half-up')).toBe(92n);
    // 1 × 20 / 60 = 0.333… → 0.33; JPY 0 digits: 100 × 20 / 60 = 33.3… → 33; BHD: 0.01 × 50 / 60 = 0.008333… → 0.008
    expect(cost('1', 20, 2, 'half-up')).toBe(33n);
    expect(cost('100', 20, 0, 'half-up')).toBe(33n);
    expect(cost('0.01', 50, 3, 'half-even')).toBe(8n);
  });
});

describe('parseDecimalText', () => {
  it('accepts plain decimals only', () => {
    expect(parseDecimalText('0.85').ok).toBe(true);
    for (const bad of ['1e3', '0x10', 'Infinity', 'NaN', '.5', '5.', '+1', '١٢٣', '', '1,5']) {
      expect(parseDecimalText(bad).ok).toBe(false);
    }
    expect(parseDecimalText('9'.repeat(400)).ok).toBe(false);
  });
  it('keeps the exact value (no float): 0.1 + 0.2 is 0.3', () => {
    const a = parseDecimalText('0.1');
    const b = parseDecimalText('0.2');
    if (!a.ok || !b.ok) throw new Error('parse');
    expect(a.value.plus(b.value).toFixed()).toBe('0.3');
  });
});

describe('currencies', () => {
  it.each([['EUR', 2], ['USD', 2], ['GBP', 2], ['BRL', 2], ['CHF', 2], ['JPY', 0], ['BHD', 3], ['KWD', 3]])('%s has %i minor digits', (c, n) => {
    expect(findCurrency(c)?.minor).toBe(n);
  });
  it('knows no made-up code and no prototype key', () => {
    expect(findCurrency('XXX')).toBeUndefined();
    expect(findCurrency('__proto__')).toBeUndefined();
    expect(findCurrency('toString')).toBeUndefined();
  });
  it('checks whole minor units', () => {
    expect(isWholeMinor(new Dec('25.50'), 0)).toBe(false);
    expect(isWholeMinor(new Dec('25'), 0)).toBe(true);
    expect(isWholeMinor(new Dec('1.234'), 3)).toBe(true);
  });
});
