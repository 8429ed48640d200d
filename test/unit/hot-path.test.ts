import fc from 'fast-check';
import { utcMs, utcMsByDate, Zone } from '../../src/time/zone';
import { parseMillis } from '../../src/usage/usage-record';

/**
 * The per-record helpers were rewritten by hand for speed (issue #5); each must
 * give what the plain version it replaced gives.
 */
describe('utcMs by arithmetic', () => {
  it('equals the Date-based reading for every valid date and time (callers validate dates first)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -5, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 999 }),
        (y, mo, d, h, mi, s, ms) => {
          const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
          fc.pre(d <= [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!);
          expect(utcMs(y, mo, d, h, mi, s, ms)).toBe(utcMsByDate(y, mo, d, h, mi, s, ms));
        },
      ),
      { numRuns: 20000 },
    );
  });
  it('falls back to the Date-based reading for a month out of range', () => {
    expect(utcMs(2026, 13, 1)).toBe(utcMsByDate(2026, 13, 1));
  });
});

describe('parseMillis by hand', () => {
  const byRegex = (s: string): number => {
    const m = /^([0-9]{1,9})(?:\.([0-9]{1,3}))?$/.exec(s);
    if (!m) return -1;
    return Number(m[1]) * 1000 + Number(((m[2] ?? '') + '000').slice(0, 3));
  };
  it('equals the regular expression it replaced', () => {
    const text = fc.array(fc.constantFrom('0', '1', '9', '.', ' ', '-', 'e', '+', '٣'), { maxLength: 14 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(text, fc.double({ min: 0, max: 2e9, noNaN: true }).map(String)), (s) => {
        expect(parseMillis(s)).toBe(byRegex(s));
      }),
      { numRuns: 20000 },
    );
  });
});

describe('Zone offsets read from Intl format() text', () => {
  // the quick reading of format() must give what formatToParts() gives, wherever a zone's rules are odd
  const zones = ['Europe/Lisbon', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kolkata', 'Pacific/Chatham', 'America/Sao_Paulo', 'Africa/Casablanca', 'Antarctica/Troll', 'Europe/Dublin', 'UTC'];
  it.each(zones)('%s', (name) => {
    const z = new Zone(name) as unknown as { exactOffset(t: number): number; offsetByParts(t: number): number };
    fc.assert(
      fc.property(fc.integer({ min: -62_000_000_000_000, max: 4_200_000_000_000 }), (t) => {
        const s = Math.floor(t / 1000) * 1000;
        expect(z.exactOffset(t)).toBe(z.offsetByParts(s));
      }),
      { numRuns: 3000 },
    );
  });
});
