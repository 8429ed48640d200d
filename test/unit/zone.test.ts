import { utcMs, Zone } from '../../src/time/zone';
import { parseTimestamp } from '../../src/usage/timestamp';

const iso = (t: number | string) => (typeof t === 'string' ? t : new Date(t).toISOString());

describe('Zone.fromLocal: Temporal "compatible" disambiguation (SPEC §2)', () => {
  const lisbon = new Zone('Europe/Lisbon');
  const ny = new Zone('America/New_York');
  it('moves a time in the spring gap forward by the gap', () => {
    // Lisbon 2026-03-29 01:00 WET → 02:00 WEST: 01:30 does not exist, it becomes 02:30 WEST = 01:30Z
    expect(iso(lisbon.fromLocal(utcMs(2026, 3, 29, 1, 30)))).toBe('2026-03-29T01:30:00.000Z');
    // New York 2026-03-08 02:00 EST → 03:00 EDT: 02:30 becomes 03:30 EDT = 07:30Z
    expect(iso(ny.fromLocal(utcMs(2026, 3, 8, 2, 30)))).toBe('2026-03-08T07:30:00.000Z');
  });
  it('takes the earlier instant of a time that occurs twice', () => {
    // Lisbon 2026-10-25 02:00 WEST → 01:00 WET: 01:30 happens at 00:30Z and 01:30Z
    expect(iso(lisbon.fromLocal(utcMs(2026, 10, 25, 1, 30)))).toBe('2026-10-25T00:30:00.000Z');
    // New York 2026-11-01 02:00 EDT → 01:00 EST: 01:30 EDT = 05:30Z
    expect(iso(ny.fromLocal(utcMs(2026, 11, 1, 1, 30)))).toBe('2026-11-01T05:30:00.000Z');
  });
  it('handles odd offsets: Kolkata +05:30 and Lord Howe +10:30/+11', () => {
    expect(new Zone('Asia/Kolkata').offsetAt(Date.UTC(2026, 9, 1)) / 60000).toBe(330);
    const lh = new Zone('Australia/Lord_Howe');
    expect(lh.offsetAt(Date.UTC(2026, 6, 1)) / 60000).toBe(630);
    expect(lh.offsetAt(Date.UTC(2026, 0, 1)) / 60000).toBe(660);
  });
  it('reads the local time back on either side of a transition', () => {
    // 00:59:59Z on 2026-10-25 is 01:59:59 WEST; 01:00:00Z is 01:00:00 WET
    expect(lisbon.toLocal(Date.UTC(2026, 9, 25, 0, 59, 59))).toBe(utcMs(2026, 10, 25, 1, 59, 59));
    expect(lisbon.toLocal(Date.UTC(2026, 9, 25, 1, 0, 0))).toBe(utcMs(2026, 10, 25, 1, 0, 0));
  });
});

describe('parseTimestamp (SPEC §2 started_at)', () => {
  const z = new Zone('Europe/Lisbon');
  it.each([
    ['2026-10-01T09:15:00Z', '2026-10-01T09:15:00.000Z'],
    ['2026-10-01T09:15:00+01:00', '2026-10-01T08:15:00.000Z'],
    ['2026-10-01T09:15:00-0330', '2026-10-01T12:45:00.000Z'],
    ['2026-10-01T09:15:00', '2026-10-01T08:15:00.000Z'],
    ['2026-10-01 09:15:00', '2026-10-01T08:15:00.000Z'],
    ['2026-12-01 09:15', '2026-12-01T09:15:00.000Z'],
    ['2026-10-01T09:15:00.250Z', '2026-10-01T09:15:00.250Z'],
  ])('%s is %s', (text, want) => {
    const t = parseTimestamp(text, z);
    expect(typeof t).toBe('number');
    expect(iso(t)).toBe(want);
  });
  it.each(['2026-13-01T00:00:00Z', '2026-02-29T00:00:00Z', '2026-10-01T24:00:00Z', '2026-10-01', 'yesterday', '2026-10-01T09:15:00+1', '2026-10-01T09:15:00Zoo'])(
    'rejects %s',
    (text) => {
      expect(typeof parseTimestamp(text, z)).toBe('string');
    },
  );
});
