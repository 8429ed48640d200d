import { bandChecks, incrementSteps, startInfo } from '../../src/explain/steps';
import { prices, HEAD } from '../helpers/prices';
import { Zone, utcMs } from '../../src/time/zone';

describe('incrementSteps (SPEC §4.2 written out)', () => {
  it.each([
    [95, 30, 30, '95 s → 30 s first block + 3 × 30 s = 120 s'],
    [96, 60, 6, '96 s → 60 s first block + 6 × 6 s = 96 s'],
    [61, 60, 6, '61 s → 60 s first block + 1 × 6 s = 66 s'],
    [30, 60, 6, '30 s → 60 s first block = 60 s'],
    [60, 60, 6, '60 s → 60 s first block = 60 s'],
    [0, 60, 6, '0 s → 0 s'],
    [1, 1, 1, '1 s → 1 s first block = 1 s'],
    [4020, 60, 60, '4020 s → 60 s first block + 66 × 60 s = 4020 s'],
  ])('%i s with {first: %i, next: %i}', (d, first, next, text) => {
    expect(incrementSteps(d, { first, next })).toBe(text);
  });
});

describe('startInfo: where a record starts, and DST remarks (Europe/Lisbon)', () => {
  const zone = new Zone('Europe/Lisbon');
  it('a local time in the spring gap moves forward by the gap', () => {
    // 2026-03-29: 01:00 WET jumps to 02:00 WEST; 01:30 does not exist
    const ms = zone.fromLocal(utcMs(2026, 3, 29, 1, 30));
    const s = startInfo('2026-03-29 01:30:00', ms, zone);
    expect(s.local).toBe('2026-03-29 02:30:00');
    expect(s.instant).toBe('2026-03-29T01:30:00Z');
    expect(s.note).toBe('2026-03-29 01:30:00 does not exist in Europe/Lisbon (a DST gap): moved forward by the gap to 2026-03-29 02:30:00 (docs/reference.md §2)');
  });
  it('a local time that occurs twice takes the earlier instant', () => {
    const ms = zone.fromLocal(utcMs(2026, 10, 25, 1, 30));
    const s = startInfo('2026-10-25T01:30:00', ms, zone);
    expect(s.instant).toBe('2026-10-25T00:30:00Z');
    expect(s.utc_offset).toBe('+01:00');
    expect(s.note).toMatch(/occurs twice/);
  });
  it('an ordinary time, an offset and UTC carry no remark', () => {
    expect(startInfo('2026-10-26 01:30:00', zone.fromLocal(utcMs(2026, 10, 26, 1, 30)), zone).note).toBeNull();
    expect(startInfo('2026-10-25T01:30:00+01:00', Date.UTC(2026, 9, 25, 0, 30), zone)).toMatchObject({ given_as: 'offset', note: null, weekday: 'sun' });
    expect(startInfo('2026-10-25T01:30:00Z', Date.UTC(2026, 9, 25, 1, 30), zone)).toMatchObject({ given_as: 'utc', local: '2026-10-25 01:30:00', utc_offset: '+00:00' });
  });
  it('a year before 100 is that year (not 19xx), and local mean time shows its seconds', () => {
    // tz database: Lisbon kept local mean time, −0:36:45, until 1884
    const s = startInfo('0050-06-01 10:00:00', zone.fromLocal(utcMs(50, 6, 1, 10, 0)), zone);
    expect(s).toMatchObject({ local: '0050-06-01 10:00:00', instant: '0050-06-01T10:36:45Z', utc_offset: '-00:36:45', note: null });
  });
});

describe('bandChecks: every band until the first match, with the reason', () => {
  const list = prices(
    HEAD +
      `default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
        holidays: [2026-10-05]
        bands:
          - { name: holiday, holidays: true, surcharge_per_minute: 0.40 }
          - { name: chat-nights, channels: [chat], from: "20:00", to: "08:00", surcharge_per_minute: 0.10 }
          - { name: weekend, days: [sat, sun], surcharge_per_minute: 0.30 }
          - { name: all-day, surcharge_per_minute: 0.01 }
`,
  );
  const v = list.plans.get('p')!.versions[0]!;
  const at = (y: number, mo: number, d: number, h: number, mi: number) => utcMs(y, mo, d, h, mi);
  it('a holiday matches first; the rest are not looked at', () => {
    expect(bandChecks(v, 'voice', at(2026, 10, 5, 21, 0))).toEqual([
      { band: 'holiday', matches: true, reason: '2026-10-05 is a holiday' },
      { band: 'chat-nights', matches: null, reason: 'not looked at: an earlier band matched (the first match wins)' },
      { band: 'weekend', matches: null, reason: 'not looked at: an earlier band matched (the first match wins)' },
      { band: 'all-day', matches: null, reason: 'not looked at: an earlier band matched (the first match wins)' },
    ]);
  });
  it('the reasons of the bands that do not match, then one with no condition', () => {
    expect(bandChecks(v, 'voice', at(2026, 10, 6, 21, 0))).toEqual([
      { band: 'holiday', matches: false, reason: "2026-10-06 is not one of the version's holidays" },
      { band: 'chat-nights', matches: false, reason: 'for chat only, this is voice' },
      { band: 'weekend', matches: false, reason: 'tue is not one of sat, sun' },
      { band: 'all-day', matches: true, reason: 'no condition: every day, all day' },
    ]);
  });
  it('a time band that wraps midnight', () => {
    expect(bandChecks(v, 'chat', at(2026, 10, 6, 7, 59))[1]).toEqual({ band: 'chat-nights', matches: true, reason: '07:59 is in 20:00–08:00 (wraps midnight)' });
    expect(bandChecks(v, 'chat', at(2026, 10, 6, 8, 0))[1]).toEqual({ band: 'chat-nights', matches: false, reason: '08:00 is not in 20:00–08:00 (wraps midnight)' });
  });
});
