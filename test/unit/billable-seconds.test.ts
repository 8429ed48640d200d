import { billableSeconds } from '../../src/rating/billable-seconds';

describe('billableSeconds (SPEC §4.2)', () => {
  it.each([
    [0, 0], [1, 60], [59, 60], [60, 60], [61, 66], [66, 66], [67, 72], [95, 96], [600, 600], [601, 606],
  ])('60/6: %i s bills %i s', (d, want) => {
    expect(billableSeconds(d, { first: 60, next: 6 })).toBe(want);
  });
  it.each([
    [0, 0], [1, 30], [30, 30], [31, 60], [60, 60], [61, 90], [95, 120],
  ])('30/30: %i s bills %i s', (d, want) => {
    expect(billableSeconds(d, { first: 30, next: 30 })).toBe(want);
  });
  it.each([
    [0, 0], [1, 1], [2, 2], [59, 59], [3601, 3601],
  ])('1/1: %i s bills %i s', (d, want) => {
    expect(billableSeconds(d, { first: 1, next: 1 })).toBe(want);
  });
  it('per started minute (60/60)', () => {
    expect(billableSeconds(61, { first: 60, next: 60 })).toBe(120);
    expect(billableSeconds(120, { first: 60, next: 60 })).toBe(120);
  });
});
