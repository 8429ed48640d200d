import fc from 'fast-check';
import type { Delimiter } from '../../src/io/delimiter';
import { RatingContext } from '../../src/rating/rate-record';
import { HashList, IdHashTable } from '../../src/rating/record-id-set';
import { CollectedSeenIds, HashedSeenIds, UsageFold } from '../../src/rating/usage-fold';
import { parsePeriod } from '../../src/time/period';
import { prices } from '../helpers/prices';

/**
 * A usage row handed over as its line (UsageFold.line) is read in place when its cells
 * are in their plain forms, and by parseUsageRow otherwise: either way the fold must end
 * exactly as when the row is given as its cells (UsageFold.row) — the same sums, counts,
 * rejected rows with their messages and cells, decimal mark, and record id hashes.
 */

const PRICES = `currency: EUR
timezone: Europe/Lisbon
rounding: half-up
customers:
  A: { plan: full }
  B: { plan: voiceonly }
  C: { plan: full, active_from: 2026-10-10 }
  Ü1: { plan: full }
  LONG-CUSTOMER-ID-0001: { plan: full }
plans:
  full:
    versions:
      - effective_from: 2026-09-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
        chat: { per_minute: 0.50, increment: { first: 60, next: 6 } }
        bands:
          - { name: weekend, days: [sat, sun], surcharge_per_minute: 0.30 }
        diversion:
          fee: 5.00
          mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } }
          international:
            increment: { first: 60, next: 60 }
            destinations: { "44": 0.05, "351": 0.04 }
  voiceonly:
    versions:
      - effective_from: 2026-10-05
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
`;

const COLS = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'response_seconds', 'status', 'diversion', 'destination', 'diverted_seconds'] as const;
const REQUIRED = 5;

const pick = <T>(plain: readonly T[], odd: readonly T[]) => fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...plain) }, { weight: 1, arbitrary: fc.constantFrom(...odd) });

const two = (n: number) => String(n).padStart(2, '0');
const timestamp = fc
  .tuple(
    fc.constantFrom('2026-10', '2026-09', '2026-11', '2026-02'),
    fc.integer({ min: 1, max: 32 }),
    fc.constantFrom('T', ' ', 't', '_'),
    fc.integer({ min: 0, max: 24 }),
    fc.integer({ min: 0, max: 60 }),
    fc.constantFrom('', ':07', ':59', ':7', ':07.5', ':07,123', ':07.123456', ':07.', ':'),
    fc.constantFrom('', '', 'Z', 'z', '+01:00', '-0130', '+01', '+1:00', 'X', ' ', '+24:00'),
  )
  .map(([ym, d, sep, h, mi, sec, off]) => `${ym}-${two(d)}${sep}${two(h)}:${two(mi)}${sec}${off}`);
const oddTimestamp = fc.constantFrom(
  ' 2026-10-05T10:00:00Z',
  '2026-10-05T10:00:00Z ',
  '2026-10-31T01:30:00',
  '2026-10-25T01:30:00',
  '2026-03-29T01:30:00',
  '18/10/2026 15:00',
  '2026-10-05',
  '',
  '0001-01-01T00:00:00+01:00',
  '9999-12-31T23:59:59-01:00',
  '２026-10-05T10:00:00Z',
);

const cell: Record<(typeof COLS)[number], fc.Arbitrary<string>> = {
  record_id: pick(['R1', 'R2', 'R3', 'r-0001', 'RECORD-ID-LONGER-THAN-13'], [' R1', 'R1 ', 'R 1', '', 'Ü1', 'A\u200bB', 'A\u0001', '\u00a0R1', 'R\u2028']),
  customer_id: pick(['A', 'B', 'C', 'Ü1', 'Z', 'LONG-CUSTOMER-ID-0001'], [' A', 'a', '', 'A\u200b', 'A ', '\u0001A']),
  channel: pick(['voice', 'chat', 'VOICE', 'Chat'], [' voice', 'voice ', 'vOiCe', 'voİce', 'x', '', 'VOİCE', 'chat\u00a0', 'vo ice']),
  started_at: fc.oneof({ weight: 4, arbitrary: timestamp }, { weight: 1, arbitrary: oddTimestamp }),
  duration_seconds: pick(['0', '5', '95', '95.2', '95,2', '120.000', '10000000'], ['', ' 5', '5 ', '1e3', '-1', '10000001', '12.', '.5', '1.2.3', '1,2,3', '1.234,5', '٣', '9'.repeat(30), '0'.repeat(40) + '7']),
  response_seconds: pick(['', '0', '1', '1.5', '1,5', '12.345', '9999999.999'], [' ', '1.2345', '10000000.001', '1234567890', '5.', '5,', ' 3', '1,5.0']),
  status: pick(['', 'answered', 'abandoned', 'ANSWERED', 'Abandoned'], [' abandoned', 'x', 'answeredX', 'answered ', 'ABANDONED\u00a0']),
  diversion: pick(['', 'none', 'mobile', 'international', 'NONE', 'Mobile'], [' mobile', 'fax', 'international ', 'INTERNATIONAL', '']),
  destination: pick(['', '+44 20 7946 0000', '00351 21 000 0000', '447700900000'], ['(1) 242-555', 'abc', '  ', '+999', '+44;1', '12\t3']),
  diverted_seconds: pick(['', '30', '30.5', '30,5', '0'], ['x', '10000001', ' 30', '30 ']),
};

/** A header: the required columns and some optional ones in any order, with a column callbill does not read. */
const header = fc
  .tuple(fc.subarray(COLS.slice(REQUIRED) as unknown as string[]), fc.boolean())
  .chain(([optional, extra]) => fc.shuffledSubarray([...COLS.slice(0, REQUIRED), ...optional, ...(extra ? ['note'] : [])], { minLength: REQUIRED + optional.length + (extra ? 1 : 0) }));

const rowFor = (cols: string[]) =>
  fc
    .tuple(
      fc.tuple(...cols.map((c) => (c === 'note' ? fc.constantFrom('', 'x', 'a,b', 'é') : cell[c as (typeof COLS)[number]]))),
      // sometimes a cell more or fewer than the header
      fc.constantFrom(0, 0, 0, 0, 0, 1, -1),
    )
    .map(([cells, extra]) => (extra > 0 ? [...cells, 'more'] : extra < 0 ? cells.slice(0, -1) : cells));

interface Run {
  fold: UsageFold;
  list: HashList;
}

function newRun(ctx: RatingContext, period: string | null): Run {
  const list = new HashList();
  const fold = new UsageFold(ctx, { period: period ? parsePeriod(period, ctx.zone) : null, inputNames: ['u.csv'], keepRejects: Infinity, seenIds: new CollectedSeenIds(list) });
  return { fold, list };
}

function outcome(r: Run) {
  const f = r.fold;
  return { state: f.state, counts: f.counts, rejects: f.rejects, perInput: f.recordsPerInput, mark: f.decimalMark, hashes: Array.from(r.list.pairs.subarray(0, 2 * r.list.count)) };
}

describe('usage rows read in place (UsageFold.line) against the same rows as cells (UsageFold.row)', () => {
  const ctx = new RatingContext(prices(PRICES));

  it('end in the same fold on random rows, with every delimiter, decimal mark and period', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<Delimiter>(',', ';', '\t'),
        fc.constantFrom('2026-10', null),
        header.chain((cols) => fc.tuple(fc.constant(cols), fc.array(rowFor(cols), { maxLength: 30 }))),
        fc.constantFrom('', 'x,y;z\t\n', 'a'),
        (d, period, [cols, rows], around) => {
          const inPlace = newRun(ctx, period);
          const asCells = newRun(ctx, period);
          expect(inPlace.fold.header(0, cols, d)).toEqual([]);
          expect(asCells.fold.header(0, cols, d)).toEqual([]);
          rows.forEach((cells, i) => {
            const text = cells.join(d);
            // a line handed over is never empty and holds no quote or line break (csv-scanner.ts)
            if (text === '') return;
            inPlace.fold.line(0, i + 2, around + text + around, around.length, around.length + text.length);
            asCells.fold.row(0, i + 2, text.split(d));
          });
          expect(outcome(inPlace)).toEqual(outcome(asCells));
        },
      ),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 400) },
    );
  });

  it('puts every id read in place into the id table once the ids waiting in a batch are flushed', () => {
    const table = new IdHashTable(10_000);
    const seen = new HashedSeenIds(table);
    const fold = new UsageFold(ctx, { period: null, inputNames: ['u.csv'], keepRejects: 0, seenIds: seen });
    fold.header(0, ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds'], ',');
    // ids 0 to 9,999, with R17 again at the end and R5000 again in the middle
    const ids = [...Array.from({ length: 10_000 }, (_, i) => `R${i}`)];
    ids.splice(7000, 0, 'R5000');
    ids.push('R17');
    ids.forEach((id, i) => {
      const l = `${id},A,voice,2026-10-05T10:00:00Z,60`;
      fold.line(0, i + 2, l, 0, l.length);
    });
    seen.flush();
    expect(table.size + table.suspects).toBe(10_002);
    expect(table.suspects).toBe(2);
    expect(fold.counts).toMatchObject({ read: 10_002, billed: 10_002 });
  });

  it('reads the plain rows in place, and hands every other row to the cells (hand-written)', () => {
    const { fold } = newRun(ctx, '2026-10');
    fold.header(0, [...COLS], ',');
    const row = jest.spyOn(fold, 'row');
    const plain = ['R1,A,voice,2026-10-05T10:00:00Z,95.2,1.5,answered,,,', 'R2,A,CHAT,2026-10-05 10:00,95,,,none,,', 'R3,A,voice,2026-10-06T10:00:00+01:00,60,3,abandoned,mobile,+351 91,30'];
    const odd = ['R4,A,voice,2026-10-05T10:00:00Z, 95,,,,,', 'R5,A,voice,2026-10-05T10:00:00Z,95,,,,', 'R6,A,voice,18/10/2026 15:00,95,,,,,'];
    for (const [i, l] of [...plain, ...odd].entries()) fold.line(0, i + 2, l, 0, l.length);
    expect(row.mock.calls.map((c) => c[1])).toEqual([5, 6, 7]);
    // the odd rows: one is billed as written (blanks around a number), two are rejected
    expect(fold.counts).toMatchObject({ read: 6, billed: 4, rejected: 2 });
  });
});
