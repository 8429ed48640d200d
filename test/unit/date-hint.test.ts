import type { RejectedRow } from '../../src/rating/usage-fold';
import { outsideNotice, rejectsError } from '../../src/render/rejected-rows';

const row = (line: number, value: string, column = 'started_at'): RejectedRow => ({ input: 0, line, column, message: 'expected an ISO 8601 date and time like 2026-10-01T09:15:00Z', value, fields: [] });
const NAMES = ['calls.csv'];
const lines = (rows: RejectedRow[], total = rows.length, slash = rows.filter((r) => r.column === 'started_at').length) => rejectsError(rows, total, NAMES, 'nothing was written', undefined, slash).lines();

describe('the one line for day- or month-first dates', () => {
  test('a day above 12 makes it day first; the other bad rows are listed as before', () => {
    expect(lines([row(2, '05/10/2026 09:00'), row(3, '18/10/2026 15:00'), row(4, 'x', 'channel')], 3, 2)).toEqual([
      '2 rows have started_at like "05/10/2026 09:00" (first at calls.csv:2): these look like DD/MM/YYYY dates: try --date-format "DD/MM/YYYY HH:MM"',
      'calls.csv:4: channel: expected an ISO 8601 date and time like 2026-10-01T09:15:00Z ("x")',
      '3 bad usage rows; nothing was written',
    ]);
  });

  test('a second number above 12 makes it month first; a 12-hour clock and seconds are kept', () => {
    expect(lines([row(2, '10/18/2026 3:00:15PM'), row(3, '10/01/2026 9:00:00AM')])[0]).toBe(
      '2 rows have started_at like "10/18/2026 3:00:15PM" (first at calls.csv:2): these look like MM/DD/YYYY dates: try --date-format "MM/DD/YYYY h:MM:SSAM"',
    );
  });

  test('when no number tells, day first with the other named; dots and T are kept', () => {
    expect(lines([row(2, '05.10.2026T09:00')])[0]).toBe(
      '1 row has started_at like "05.10.2026T09:00" (first at calls.csv:2): these look like DD.MM.YYYY dates: try --date-format "DD.MM.YYYYTHH:MM" (or MM.DD.YYYY if the month comes first)',
    );
  });

  test('rows beyond those kept are counted in the line, not again in "... and N more"', () => {
    const kept = Array.from({ length: 50 }, (_, i) => row(i + 2, '18/10/2026 15:00'));
    const out = lines(kept, 1000, 1000);
    expect(out[0]).toMatch(/^1000 rows have started_at like/);
    expect(out).toHaveLength(2);
  });

  test('only when they are most of the bad rows', () => {
    const rows = [row(2, '18/10/2026 15:00'), row(3, 'x', 'channel'), row(4, 'y', 'channel')];
    expect(lines(rows, 3, 1)[0]).toBe('calls.csv:2: started_at: expected an ISO 8601 date and time like 2026-10-01T09:15:00Z ("18/10/2026 15:00")');
  });
});

describe('the note when most records are outside --period', () => {
  test('more than half: the months, most records first, up to three', () => {
    expect(outsideNotice({ read: 34, outside: 33, outsideMonths: { '2026-10': 33 } }, '2026-09')).toBe(
      'callbill: note: 33 of 34 records are outside the period 2026-09: they are in 2026-10 (33); is --period right?\n',
    );
    expect(outsideNotice({ read: 10, outside: 9, outsideMonths: { '2026-08': 2, '2026-10': 4, '2026-11': 2, '2027-01': 1 } }, '2026-09')).toBe(
      'callbill: note: 9 of 10 records are outside the period 2026-09: they are in 2026-10 (4), 2026-08 (2), 2026-11 (2), 1 other month; is --period right?\n',
    );
  });
  test('half or fewer, or no --period: nothing', () => {
    expect(outsideNotice({ read: 10, outside: 5, outsideMonths: { '2026-10': 5 } }, '2026-09')).toBeNull();
    expect(outsideNotice({ read: 10, outside: 10 }, undefined)).toBeNull();
  });
});
