import {
  compilePatternSteps,
  compileTimestampParser,
  formatTimestamp,
  newParts,
  toEpochMillis,
} from '../../src/import/timestamps';
import type { TimestampFormat, Zone } from '../../src/import/types';
import { LISBON } from './helpers';

const LOCAL: Zone = { kind: 'local' };
const UTC: Zone = { kind: 'utc' };
const PLUS_ONE: Zone = { kind: 'offset', minutes: 60, text: '+01:00' };

function pattern(text: string): TimestampFormat {
  const steps = compilePatternSteps(text);
  if (typeof steps === 'string') throw new Error(steps);
  return { kind: 'pattern', text, steps };
}

function convert(format: TimestampFormat, zone: Zone, text: string): string | null {
  const parts = newParts();
  return compileTimestampParser(format)(text, parts) ? formatTimestamp(parts, zone) : null;
}

describe('iso', () => {
  const iso: TimestampFormat = { kind: 'iso' };
  test.each([
    ['2026-10-01T09:15:00Z', LOCAL, '2026-10-01T09:15:00Z'],
    ['2026-10-01T09:15:00+01:00', UTC, '2026-10-01T09:15:00+01:00'], // the value's own offset wins
    ['2026-10-01T09:15:00+0100', LOCAL, '2026-10-01T09:15:00+01:00'],
    ['2026-10-01 09:15:00', LOCAL, '2026-10-01T09:15:00'], // no offset: local time for the core
    ['2026-10-01 09:15:00', UTC, '2026-10-01T09:15:00Z'],
    ['2026-10-01T09:15:00', PLUS_ONE, '2026-10-01T09:15:00+01:00'],
    ['2026-10-01T09:15', LOCAL, '2026-10-01T09:15:00'],
    ['2026-10-01T09:15:00.250Z', LOCAL, '2026-10-01T09:15:00.250Z'],
    ['2028-02-29T00:00:00Z', LOCAL, '2028-02-29T00:00:00Z'],
  ])('%s (zone %j) → %s', (text, zone, out) => {
    expect(convert(iso, zone, text)).toBe(out);
  });

  test.each(['2026-10-01', '2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-10-01T24:00:00Z', '2026-10-01T09:15:00+25:00', '2026-10-01T09:15:00 Z', '01/10/2026 09:15', ''])(
    'rejects %j',
    (text) => {
      expect(convert(iso, LOCAL, text)).toBeNull();
    },
  );
});

describe('YYYY-MM-DD HH:MM:SS and other patterns', () => {
  test('Asterisk/FreeSWITCH local time stays local', () => {
    expect(convert(pattern('YYYY-MM-DD HH:MM:SS'), LOCAL, '2026-10-01 09:02:11')).toBe('2026-10-01T09:02:11');
    expect(convert(pattern('YYYY-MM-DD HH:MM:SS'), UTC, '2026-10-01 09:02:11')).toBe('2026-10-01T09:02:11Z');
  });

  test('a DST-ambiguous local time is passed on unchanged for the core to resolve', () => {
    expect(convert(pattern('YYYY-MM-DD HH:MM:SS'), LOCAL, '2026-10-25 01:30:00')).toBe('2026-10-25T01:30:00');
  });

  test('day-first, month-first and compact patterns', () => {
    expect(convert(pattern('DD/MM/YYYY HH:MM:SS'), LOCAL, '01/10/2026 09:05:07')).toBe('2026-10-01T09:05:07');
    expect(convert(pattern('DD/MM/YYYY HH:MM:SS'), LOCAL, '1/10/2026 9:05:07')).toBe('2026-10-01T09:05:07');
    expect(convert(pattern('MM/DD/YYYY HH:MM:SS'), LOCAL, '10/01/2026 09:05:07')).toBe('2026-10-01T09:05:07');
    expect(convert(pattern('YYYYMMDDHHMMSS'), LOCAL, '20261001090507')).toBe('2026-10-01T09:05:07');
    expect(convert(pattern('YYYY/MM/DD HH:MM'), LOCAL, '2026/10/01 09:05')).toBe('2026-10-01T09:05:00');
    expect(convert(pattern('YYYY-MM-DD HH:MM:SS'), LOCAL, '2026-10-01 09:05:07.5')).toBe('2026-10-01T09:05:07.5');
  });

  test.each([
    ['YYYY-MM-DD HH:MM:SS', '2026-10-01T09:05:07'],
    ['YYYY-MM-DD HH:MM:SS', '2026-10-32 09:05:07'],
    ['YYYY-MM-DD HH:MM:SS', '2026-10-01 09:05:07 '],
    ['DD/MM/YYYY HH:MM:SS', '10/13/2026 09:05:07'],
    ['YYYYMMDDHHMMSS', '2026100109050'],
  ])('%s rejects %j', (p, text) => {
    expect(convert(pattern(p), LOCAL, text)).toBeNull();
  });

  test('pattern mistakes are explained', () => {
    expect(compilePatternSteps('YYYY-MM-DD')).toBe('date pattern "YYYY-MM-DD" has no hour');
    expect(compilePatternSteps('YYYY-MM-DD hh:mm')).toMatch(/unknown element "m"/);
    expect(compilePatternSteps('YYYY-MM-DD h:MM')).toMatch(/12-hour hour \(h\) but no AM/);
    expect(compilePatternSteps('YYYY-MM-DD HH:MM AM')).toMatch(/AM but a 24-hour hour/);
    expect(compilePatternSteps('YYYY-MM-DD HH:MM h')).toMatch(/has the hour twice/);
    expect(compilePatternSteps('YYYY-MM-DD HH:MM ZZ')).toMatch(/offset \(Z\) twice/);
    expect(compilePatternSteps('YYYY-MM-DD HH:MM x')).toMatch(/unknown element "x"/);
  });
});

describe('12-hour clock, offsets and T in patterns', () => {
  test.each([
    ['MM/DD/YYYY h:MM AM', '10/18/2026 3:00 PM', '2026-10-18T15:00:00'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 3:00 pm', '2026-10-18T15:00:00'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 12:05 AM', '2026-10-18T00:05:00'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 12:05 PM', '2026-10-18T12:05:00'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 11:59 AM', '2026-10-18T11:59:00'],
    ['MM/DD/YYYY hh:MM:SS PM', '10/18/2026 09:15:30 AM', '2026-10-18T09:15:30'],
    ['DD/MM/YYYY HH:MM Z', '18/10/2026 15:00 +02:00', '2026-10-18T15:00:00+02:00'],
    ['DD/MM/YYYY HH:MMZ', '18/10/2026 15:00Z', '2026-10-18T15:00:00Z'],
    ['DD.MM.YYYY HH:MM:SS Z', '18.10.2026 15:00:01.5 -0330', '2026-10-18T15:00:01.5-03:30'],
    ['YYYY-MM-DDTHH:MM:SS', '2026-10-18T15:00:00', '2026-10-18T15:00:00'],
  ])('%s reads %j', (p, text, out) => {
    expect(convert(pattern(p), LOCAL, text)).toBe(out);
  });

  test.each([
    ['MM/DD/YYYY h:MM AM', '10/18/2026 13:00 PM'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 0:30 AM'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 3:00'],
    ['MM/DD/YYYY h:MM AM', '10/18/2026 3:00 XM'],
    ['DD/MM/YYYY HH:MM Z', '18/10/2026 15:00'],
    ['DD/MM/YYYY HH:MM Z', '18/10/2026 15:00 +25:00'],
  ])('%s rejects %j', (p, text) => {
    expect(convert(pattern(p), LOCAL, text)).toBeNull();
  });
});

describe('rfc2822', () => {
  const rfc: TimestampFormat = { kind: 'rfc2822' };
  test.each([
    ['Thu, 01 Oct 2026 08:02:11 +0000', LOCAL, '2026-10-01T08:02:11+00:00'], // Twilio
    ['Thu, 01 Oct 2026 09:00:12', LOCAL, '2026-10-01T09:00:12'], // Five9: the report's zone
    ['Thu, 01 Oct 2026 09:00:12', UTC, '2026-10-01T09:00:12Z'],
    ['1 Oct 2026 09:00:12 GMT', LOCAL, '2026-10-01T09:00:12Z'],
    ['Sat, 31 OCT 2026 23:58:59 -0500', LOCAL, '2026-10-31T23:58:59-05:00'],
    ['Thu, 01 Oct 2026 09:00', LOCAL, '2026-10-01T09:00:00'],
  ])('%s (zone %j) → %s', (text, zone, out) => {
    expect(convert(rfc, zone, text)).toBe(out);
  });

  test.each(['Thu, 01 Okt 2026 09:00:12', 'Thu, 32 Oct 2026 09:00:12', 'Thu, 01 Oct 2026 09:00:12 CEST', 'Thu, 01 Oct 2026 09:00:12+0000', '2026-10-01T09:00:12Z'])(
    'rejects %j',
    (text) => {
      expect(convert(rfc, LOCAL, text)).toBeNull();
    },
  );
});

describe('epoch', () => {
  test('seconds and milliseconds are instants, written in UTC', () => {
    expect(convert({ kind: 'epoch', scale: 'seconds' }, LOCAL, '1790841731')).toBe('2026-10-01T08:02:11Z');
    expect(convert({ kind: 'epoch', scale: 'seconds' }, LOCAL, '1790841731.25')).toBe('2026-10-01T08:02:11.250Z');
    expect(convert({ kind: 'epoch', scale: 'milliseconds' }, LOCAL, '1790841731250')).toBe('2026-10-01T08:02:11.250Z');
    expect(convert({ kind: 'epoch', scale: 'milliseconds' }, LOCAL, '1790841731000')).toBe('2026-10-01T08:02:11Z');
    expect(convert({ kind: 'epoch', scale: 'seconds' }, LOCAL, '0')).toBe('1970-01-01T00:00:00Z');
    // a leap day
    expect(convert({ kind: 'epoch', scale: 'seconds' }, LOCAL, '1835395200')).toBe('2028-02-29T00:00:00Z');
  });

  test.each(['', '-1', '1.5e9', '1790841731.2500', 'abc'])('seconds reject %j', (text) => {
    expect(convert({ kind: 'epoch', scale: 'seconds' }, LOCAL, text)).toBeNull();
  });
});

describe('toEpochMillis', () => {
  test('agrees with the instant the value names', () => {
    const parts = newParts();
    compileTimestampParser({ kind: 'iso' })('2026-10-01T09:02:11+01:00', parts);
    expect(toEpochMillis(parts, LOCAL, LISBON)).toBe(1790841731000);
    compileTimestampParser({ kind: 'iso' })('2026-10-01T08:02:11.250Z', parts);
    expect(toEpochMillis(parts, LOCAL, LISBON)).toBe(1790841731250);
  });
});
