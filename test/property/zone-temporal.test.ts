import { Temporal } from '@js-temporal/polyfill';
import fc from 'fast-check';
import { utcMs, Zone } from '../../src/time/zone';

/**
 * time/zone.ts (Intl offsets cached per 15-minute bucket, its own reading of
 * wall-clock times) against the Temporal proposal's polyfill as the oracle, on
 * random instants and random local date-times of 1990–2060 in zones with DST
 * both ways, half- and quarter-hour offsets, a 30-minute DST (Lord Howe), DST in
 * the southern summer and a negative DST (Dublin). Local times are also drawn
 * within two hours of a real transition, so that gaps and overlaps are met.
 * SPEC §2: a local time in a gap moves forward by the gap; one that occurs twice
 * is the earlier instant — Temporal's 'compatible' disambiguation.
 */
const ZONES = [
  'Europe/Lisbon',
  'America/New_York',
  'Asia/Kolkata',
  'Asia/Tokyo',
  'Asia/Bahrain',
  'Australia/Sydney',
  'Pacific/Chatham',
  'Asia/Kathmandu',
  'Australia/Lord_Howe',
  'America/Santiago',
  'America/St_Johns',
  'Europe/Dublin',
  'UTC',
] as const;

const zones = new Map(ZONES.map((z) => [z, new Zone(z)]));
const FROM = utcMs(1990, 1, 1);
const TO = utcMs(2061, 1, 1);

/** Wall-clock ms (local fields read as UTC), as Zone.toLocal gives it, of a Temporal date-time. */
function wallOf(p: Temporal.PlainDateTime | Temporal.ZonedDateTime): number {
  return utcMs(p.year, p.month, p.day, p.hour, p.minute, p.second, p.millisecond);
}

function plainOf(wall: number): Temporal.PlainDateTime {
  const d = new Date(wall);
  return new Temporal.PlainDateTime(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

const zoneName = fc.constantFrom(...ZONES);
const instant = fc.integer({ min: FROM, max: TO - 1 });

describe('time/zone agrees with Temporal', () => {
  test('instant → local date-time', () => {
    fc.assert(
      fc.property(zoneName, instant, (name, t) => {
        const oracle = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(name);
        expect(zones.get(name)!.toLocal(t)).toBe(wallOf(oracle));
      }),
      { numRuns: 300 },
    );
  });

  /** A local date-time of 1990–2060: any, or one within two hours of a transition of the zone. */
  const local = zoneName.chain((name) =>
    fc.tuple(
      fc.constant(name),
      // four draws in five near a transition, where gaps and overlaps are
      fc.oneof(
        { weight: 1, arbitrary: instant.map((t) => wallOf(Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO('UTC'))) },
        { weight: 4, arbitrary: fc.tuple(instant, fc.integer({ min: -120, max: 120 }), fc.integer({ min: 0, max: 59 })).map(([t, minutes, seconds]) => {
          const next = Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(name).getTimeZoneTransition('next');
          const at = next && next.epochMilliseconds < TO ? next : Temporal.Instant.fromEpochMilliseconds(t).toZonedDateTimeISO(name);
          // the wall time just before the change, moved by up to two hours either way
          return wallOf(at.subtract({ nanoseconds: 1 })) + 1 + minutes * 60_000 + seconds * 1000;
        }) },
      ),
    ),
  );

  test("local date-time → instant, 'compatible' (gaps forward, overlaps the earlier instant)", () => {
    let gaps = 0;
    let overlaps = 0;
    fc.assert(
      fc.property(local, ([name, wall]) => {
        const p = plainOf(wall);
        const oracle = p.toZonedDateTime(name, { disambiguation: 'compatible' }).epochMilliseconds;
        const later = p.toZonedDateTime(name, { disambiguation: 'later' }).epochMilliseconds;
        const round = wallOf(Temporal.Instant.fromEpochMilliseconds(oracle).toZonedDateTimeISO(name));
        if (round !== wall) gaps++;
        else if (later !== oracle) overlaps++;
        expect(zones.get(name)!.fromLocal(wall)).toBe(oracle);
      }),
      { numRuns: 400 },
    );
    // the draws near transitions must have met both kinds, or the test proves little: 400 runs
    // meet about 25 of each (measured: 17 to 31); with one draw in two near a transition they
    // met as few as 5, and a floor of 5 failed
    expect(gaps).toBeGreaterThan(5);
    expect(overlaps).toBeGreaterThan(5);
  });

  test('every minute of the days around transitions, each hour read many times (the per-hour cache)', () => {
    // a fresh Zone per zone, read minute by minute over two days either side of two
    // transitions a year: hours near a change must not take a cached offset
    for (const name of ['Europe/Lisbon', 'Australia/Lord_Howe', 'America/Santiago', 'Europe/Dublin'] as const) {
      const z = new Zone(name);
      let at = Temporal.Instant.fromEpochMilliseconds(utcMs(2026, 1, 1)).toZonedDateTimeISO(name);
      for (let k = 0; k < 2; k++) {
        const next = at.getTimeZoneTransition('next')!;
        const wall0 = wallOf(next.subtract({ nanoseconds: 1 })) + 1;
        for (let m = -2 * 24 * 60; m <= 2 * 24 * 60; m += 7) {
          const wall = wall0 + m * 60_000 + (m & 1) * 13_000;
          const oracle = plainOf(wall).toZonedDateTime(name, { disambiguation: 'compatible' }).epochMilliseconds;
          expect(z.fromLocal(wall)).toBe(oracle);
        }
        at = next;
      }
    }
  });
});
