import { formatMicros, INVALID, parseClock, parseMilliseconds, parseSeconds } from '../../src/import/durations';

describe('parseSeconds', () => {
  test.each([
    ['95', 95_000_000],
    ['0', 0],
    ['095', 95_000_000],
    ['95.2', 95_200_000],
    ['0.000001', 1],
    ['1.5000000', 1_500_000], // zeros beyond microseconds change nothing
    ['.5', 500_000],
    ['999999999', 999_999_999_000_000],
  ])('%s s = %d µs', (text, micros) => {
    expect(parseSeconds(text)).toBe(micros);
  });

  test.each(['', '.', '95.', '-1', '+1', '1e3', '1,5', '0.0000001', ' 1', '1000000000', 'abc'])('rejects %j', (text) => {
    expect(parseSeconds(text)).toBe(INVALID);
  });
});

describe('parseMilliseconds', () => {
  test.each([
    ['95200', 95_200_000],
    ['1', 1_000],
    ['95200.5', 95_200_500],
    ['0', 0],
  ])('%s ms = %d µs', (text, micros) => {
    expect(parseMilliseconds(text)).toBe(micros);
  });

  test.each(['95200.0001', '-5', '', '12ms'])('rejects %j', (text) => {
    expect(parseMilliseconds(text)).toBe(INVALID);
  });
});

describe('parseClock (HH:MM:SS)', () => {
  test.each([
    ['00:03:45', 225_000_000],
    ['0:03:45', 225_000_000],
    ['01:00:00', 3_600_000_000],
    ['100:00:01', 360_001_000_000], // hours beyond a day, as report totals have
    ['00:00:12.480', 12_480_000],
    ['00:00:00.235', 235_000],
    ['0:43', 43_000_000], // M:SS
    ['75:00', 4_500_000_000], // minutes unbounded without hours
  ])('%s = %d µs', (text, micros) => {
    expect(parseClock(text)).toBe(micros);
  });

  test.each(['', '45', '00:60:00', '00:00:60', '0:3:45', '00:03:5', '00:03:45:00', 'a0:03:45', '00:03:45.', '1.5:00', '-0:01:00', '00:03:45 '])(
    'rejects %j',
    (text) => {
      expect(parseClock(text)).toBe(INVALID);
    },
  );
});

describe('formatMicros', () => {
  test.each([
    [0, '0'],
    [95_000_000, '95'],
    [95_200_000, '95.2'],
    [12_480_000, '12.48'],
    [1, '0.000001'],
    [3_600_000_000, '3600'],
  ])('%d µs = %s s', (micros, text) => {
    expect(formatMicros(micros)).toBe(text);
  });

  test('milliseconds 95200 read and written back exactly', () => {
    expect(formatMicros(parseMilliseconds('95200'))).toBe('95.2');
  });

  test('a sum that floating point gets wrong comes out exact', () => {
    // 0.1 + 0.2 !== 0.3 in binary floating point; as integers it is.
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(formatMicros(parseSeconds('0.1') + parseSeconds('0.2'))).toBe('0.3');
  });
});
