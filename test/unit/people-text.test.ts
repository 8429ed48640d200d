import { editDistance, lookalikes } from '../../src/pricing/unlisted';
import { counted, pluralOf, unitFor } from '../../src/render/plural';
import { grouped } from '../../src/render/format-figures';

describe('editDistance (optimal string alignment)', () => {
  it.each([
    ['ACME', 'ACME', 0],
    ['AMCE', 'ACME', 1], // one transposition
    ['ACM', 'ACME', 1], // one deletion
    ['ACMEE', 'ACME', 1],
    ['AXME', 'ACME', 1],
    ['XCMX', 'ACME', 2],
    ['GLOBEX', 'GLOBAL', 2],
    ['', 'ABC', 3],
  ])('%s → %s: %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });
  it('stops past the limit with limit + 1', () => {
    expect(editDistance('ABCDEFGH', 'ZYXWVUTS', 2)).toBe(3);
  });
});

describe('lookalikes', () => {
  const listed = ['ACME', 'GLOBEX', 'INITECH', 'DE-KUNDE', 'AB'];
  it('finds a typo, a case or spacing difference, nearest first', () => {
    expect(lookalikes('AMCE', listed)).toEqual(['ACME']);
    expect(lookalikes('acme', listed)).toEqual(['ACME']);
    expect(lookalikes('Globex', listed)).toEqual(['GLOBEX']);
    expect(lookalikes('DE KUNDE', listed)).toEqual(['DE-KUNDE']);
    expect(lookalikes('INITEHC', listed)).toEqual(['INITECH']);
    expect(lookalikes('INITCEHX', listed)).toEqual(['INITECH']); // 2 edits, 7 characters
  });
  it('is not a likeness for short ids or far ones', () => {
    expect(lookalikes('AC', listed)).toEqual([]); // too short for an edit to mean a typo
    expect(lookalikes('UMBRELLA', listed)).toEqual([]);
    expect(lookalikes('ACXY', listed)).toEqual([]); // 2 edits in 4 characters
  });
  it('names at most three', () => {
    expect(lookalikes('C-100', ['C-101', 'C-102', 'C-103', 'C-104'])).toEqual(['C-101', 'C-102', 'C-103']);
  });
});

describe('counts and units in words', () => {
  it('singular for exactly one', () => {
    expect(counted(1, 'record')).toBe('1 record');
    expect(counted(0, 'record')).toBe('0 records');
    expect(counted(2n, 'fee')).toBe('2 fees');
    expect(unitFor('1', 'minute')).toBe('minute');
    expect(unitFor('0.5', 'minute')).toBe('minutes');
    expect(unitFor('76.5', 'contact')).toBe('contacts');
  });
  it('plural of a unit a price list names', () => {
    expect(pluralOf('hour')).toBe('hours');
    expect(pluralOf('batch')).toBe('batches');
    expect(pluralOf('copy')).toBe('copies');
    expect(pluralOf('day')).toBe('days');
    expect(pluralOf('m²')).toBe('m²');
    expect(pluralOf('call minute')).toBe('call minute');
  });
});

describe('grouped', () => {
  it.each([
    ['0.60', '0.60'],
    ['1000.00', '1,000.00'],
    ['-17.03', '-17.03'],
    ['-1234567.891', '-1,234,567.891'],
    ['24407', '24,407'],
  ])('%s → %s', (a, b) => expect(grouped(a)).toBe(b));
});
