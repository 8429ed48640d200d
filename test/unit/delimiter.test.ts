import { delimiterOption, detectDelimiter, parseDelimiterName } from '../../src/io/delimiter';
import { DecimalMark } from '../../src/usage/decimal-mark';

describe('detectDelimiter: the header line decides', () => {
  test.each([
    ['record_id,customer_id,channel', ','],
    ['\uFEFFrecord_id;customer_id;channel\r\nr1,a;b', ';'],
    ['record_id\tcustomer_id\tchannel', '\t'],
    ['\n\r\nrecord_id;customer_id', ';'], // empty lines before the header
    ['"a,b";c;d', ';'], // commas in quotes do not count
    ['"x;y","z;w",v', ','],
    ['"multi\nline";b;c', ';'], // a quoted line break is not the end of the header
    ['r1;1,5;2,5;ACME', ';'], // the first row of a header-less export: decimal commas are not delimiters
    ['a;b,c,d', ','], // letters around the commas: they count
  ])('%j → %j', (text, d) => {
    expect(detectDelimiter(text)).toEqual({ ok: true, delimiter: d });
  });

  test('none of them: a problem naming what was tried', () => {
    const r = detectDelimiter('record_id|customer_id|channel\n1|2|3');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^the header line has no comma, semicolon or tab between column names \(tried , ; and tab\)/);
  });

  test('a tie: a problem asking for --delimiter', () => {
    const r = detectDelimiter('a;b,c;d,e');
    expect(!r.ok && r.message).toMatch(/^the header line has as many (commas as semicolons|semicolons as commas) \(2 each\): say which separates the columns with --delimiter/);
  });
});

describe('--delimiter and profile values', () => {
  test.each([
    [',', ','],
    ['comma', ','],
    [';', ';'],
    ['semicolon', ';'],
    ['tab', '\t'],
    ['TAB', '\t'],
    ['\\t', '\t'],
    ['\t', '\t'],
  ])('%j → %j', (text, d) => {
    expect(parseDelimiterName(text)).toBe(d);
  });
  test('anything else is a bad command line (64)', () => {
    expect(() => delimiterOption('|')).toThrow(expect.objectContaining({ exitCode: 64 }));
    expect(delimiterOption(undefined)).toBeNull();
  });
});

describe('DecimalMark: one decimal mark per file', () => {
  test('with ; the first number with a mark decides; whole numbers never do', () => {
    const m = new DecimalMark(';');
    expect(m.text('95')).toBe('95');
    expect(m.mark).toBeNull();
    expect(m.text('95,2')).toBe('95.2');
    expect(m.mark).toBe(',');
    expect(m.text('0,250')).toBe('0.250');
    expect(m.text('1.5')).toBeNull();
    expect(m.problem).toMatch(/decimal point, but this file writes its numbers with a decimal comma/);
    expect(m.text('1.234,5')).toBeNull();
    expect(m.problem).toMatch(/thousands separator/);
  });
  test('with tab, a point first makes a comma the odd one', () => {
    const m = new DecimalMark('\t');
    expect(m.text('1.5')).toBe('1.5');
    expect(m.text('2,5')).toBeNull();
    expect(m.problem).toMatch(/decimal comma, but this file writes its numbers with a decimal point/);
    expect(m.text('1,234,567')).toBeNull();
  });
  test('text that is no number is left to the number check (and decides nothing)', () => {
    const m = new DecimalMark(';');
    expect(m.text('abc')).toBe('abc');
    expect(m.text(',5')).toBe(',5');
    expect(m.text('5,')).toBe('5,');
    expect(m.mark).toBeNull();
    expect(m.text('0:01:35,2')).toBe('0:01:35.2');
  });
  test('with , a comma in a number says a decimal comma cannot be one', () => {
    const m = new DecimalMark(',');
    expect(m.text('95.2')).toBe('95.2');
    expect(m.text('95,2')).toBeNull();
    expect(m.problem).toMatch(/^a comma in a number: a decimal comma is read only in files separated by semicolons or tabs/);
  });
});
