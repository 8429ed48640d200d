/**
 * explain against independent oracles, on random months (fast-check): the ledger
 * replayed record by record as SPEC §4.4 words it (while balance < cost: add a fee),
 * and the graduated tier count walked record by record (SPEC §4.3). explain computes
 * both from sums (segments, seconds before the record); these must agree, and the
 * last record's figures must be the invoice's.
 */
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import type { CustomerFigures, RowFacts } from '../../src/explain/explain-record';
import { explainBilled } from '../../src/explain/explain-record';
import { buildInvoices } from '../../src/invoice/build-invoices';
import { Dec, ZERO } from '../../src/money/decimal';
import type { RatedRecord } from '../../src/rating/rate-record';
import { RatingContext } from '../../src/rating/rate-record';
import { customerAcc } from '../../src/rating/usage-state';
import { UsageFold } from '../../src/rating/usage-fold';
import { parsePeriod } from '../../src/time/period';
import type { ColumnName } from '../../src/usage/usage-record';
import { prices, HEAD } from '../helpers/prices';
import { CSV_HEAD } from '../helpers/bill';

const LIST = prices(
  HEAD +
    `default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
        chat:
          increment: { first: 30, next: 30 }
          tiers:
            mode: graduated
            steps:
              - { up_to_minutes: 5, per_minute: 0.60 }
              - { up_to_minutes: 15, per_minute: 0.50 }
              - { per_minute: 0.40 }
        diversion:
          fee: 10.00
          mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } }
      - effective_from: 2026-10-15
        voice: { per_minute: 0.90, increment: { first: 60, next: 6 } }
        chat:
          increment: { first: 30, next: 30 }
          tiers:
            mode: graduated
            steps:
              - { up_to_minutes: 5, per_minute: 0.55 }
              - { up_to_minutes: 20, per_minute: 0.45 }
              - { per_minute: 0.35 }
        diversion:
          fee: 12.00
          mobile: { per_minute: 0.15, increment: { first: 60, next: 60 } }
`,
);

interface Gen {
  customer: 'A' | 'B';
  channel: 'voice' | 'chat';
  /** Minutes after 2026-10-01 00:00Z (a small set, so ties on started_at happen). */
  slot: number;
  duration: number;
  abandoned: boolean;
  diverted: number | null;
}

const genRecord: fc.Arbitrary<Gen> = fc.record({
  customer: fc.constantFrom('A' as const, 'B' as const),
  channel: fc.constantFrom('voice' as const, 'chat' as const),
  slot: fc.integer({ min: 0, max: 40 }).map((k) => k * 1080), // every 18 hours through October
  duration: fc.integer({ min: 0, max: 1500 }),
  abandoned: fc.boolean(),
  diverted: fc.option(fc.integer({ min: 0, max: 5000 }), { nil: null }),
});

function csvOf(gs: Gen[]): string {
  return (
    CSV_HEAD +
    gs
      .map((g, i) => {
        const at = new Date(Date.UTC(2026, 9, 1) + g.slot * 60_000).toISOString().replace('.000Z', 'Z');
        // ids in an order unrelated to the rows', so ties are not broken by input order
        const id = `r${String((i * 7919) % 1000).padStart(3, '0')}-${i}`;
        return `${id},${g.customer},${g.channel},${at},${g.duration},,${g.abandoned ? 'abandoned' : ''},${g.diverted === null ? '' : 'mobile'},,${g.diverted ?? ''}`;
      })
      .join('\n') +
    '\n'
  );
}

const key = (rr: RatedRecord) => [rr.record.startMs, rr.record.recordId] as const;
function earlier(a: RatedRecord, b: RatedRecord): boolean {
  const [x, i] = key(a), [y, j] = key(b);
  return x < y || (x === y && i < j);
}
function byKey(a: RatedRecord, b: RatedRecord): number {
  return earlier(a, b) ? -1 : earlier(b, a) ? 1 : 0;
}

describe('explain agrees with record-by-record oracles', () => {
  it('ledger before/after and tier pieces, for every record of random months', () => {
    fc.assert(
      fc.property(fc.array(genRecord, { minLength: 1, maxLength: 40 }), fc.integer({ min: 0, max: 2500 }), (gs, openingCents) => {
        const ctx = new RatingContext(LIST);
        const period = parsePeriod('2026-10', ctx.zone);
        const rated: RatedRecord[] = [];
        const fold = new UsageFold(ctx, { period, inputNames: ['u.csv'], keepRejects: Infinity, onRated: (rr) => rated.push(rr) });
        const rows = parse(csvOf(gs), { relax_column_count: true }) as string[][];
        fold.header(0, rows[0]!);
        const cells = new Map<number, string[]>();
        rows.slice(1).forEach((r, i) => {
          cells.set(i + 2, r);
          fold.row(0, i + 2, r);
        });
        expect(fold.counts.rejected).toBe(0);
        const opening = new Map([['A', new Dec(openingCents).div(100)]]);
        const invoices = buildInvoices(fold.state, LIST, { period, periodGiven: true, issueDate: '2026-11-01', openingBalances: opening });
        const header = rows[0]!;

        // the oracle ledger: per customer, diverted records by started_at then record_id
        const ledger = new Map<RatedRecord, { before: bigint; after: bigint; blocksBefore: number; blocksAfter: number }>();
        for (const cust of ['A', 'B']) {
          let balance = BigInt(cust === 'A' ? openingCents : 0);
          let blocks = 0;
          for (const rr of rated.filter((x) => x.record.customerId === cust && x.diversion).sort(byKey)) {
            const fee = BigInt(rr.version.diversion!.fee.times(100).toFixed(0));
            const before = { before: balance, blocksBefore: blocks };
            while (balance < rr.diversion!.costMinor) {
              balance += fee;
              blocks++;
            }
            balance -= rr.diversion!.costMinor;
            ledger.set(rr, { ...before, after: balance, blocksAfter: blocks });
          }
        }
        // the oracle tier count: per customer, chat seconds by version, then started_at, record_id
        const position = new Map<RatedRecord, number>();
        for (const cust of ['A', 'B']) {
          let count = 0;
          const chats = rated.filter((x) => x.record.customerId === cust && x.record.channel === 'chat' && !x.record.abandoned);
          chats.sort((a, b) => a.version.index - b.version.index || byKey(a, b));
          for (const rr of chats) {
            position.set(rr, count);
            count += rr.billableSeconds;
          }
        }

        const stepSeconds = new Map<string, number>();
        for (const rr of rated) {
          const r = rr.record;
          const fig: CustomerFigures = {
            acc: fold.state.customers.get(r.customerId) ?? customerAcc(r.customerId, rr.plan),
            secondsBefore: rated.filter((x) => x.record.customerId === r.customerId && x.record.channel === r.channel && x.version === rr.version && earlier(x, rr)).reduce((s, x) => s + x.billableSeconds, 0),
            transferCostBefore: rated.filter((x) => x.record.customerId === r.customerId && x.diversion && x.version === rr.version && earlier(x, rr)).reduce((s, x) => s + x.diversion!.costMinor, 0n),
            divertedBefore: rated.filter((x) => x.record.customerId === r.customerId && x.diversion && earlier(x, rr)).length,
            opening: opening.get(r.customerId) ?? ZERO,
            openingGiven: opening.has(r.customerId),
          };
          const fields = cells.get(r.line)!;
          const row: RowFacts = {
            recordId: r.recordId,
            source: `u.csv:${r.line}`,
            cells: [],
            sameIdElsewhere: [],
            cell: (c: ColumnName) => fields[header.indexOf(c)] ?? '',
          };
          const e = explainBilled(row, rr, LIST, ctx, period, true, fig, '2026-11-01');
          const want = ledger.get(rr);
          if (want) {
            const cents = (s: string) => BigInt(s.replace('.', ''));
            expect(cents(e.diversion!.ledger.balance_before)).toBe(want.before);
            expect(cents(e.diversion!.ledger.balance_after)).toBe(want.after);
            expect(e.diversion!.ledger.blocks_before).toBe(want.blocksBefore);
            expect(e.diversion!.ledger.blocks_after).toBe(want.blocksAfter);
          } else {
            expect(e.diversion).toBeNull();
          }
          if (r.channel === 'chat' && !r.abandoned) {
            expect(e.usage!.tiers!.from).toBe(position.get(rr));
            expect(e.usage!.pieces.reduce((s, p) => s + p.seconds, 0)).toBe(rr.billableSeconds);
            for (const p of e.usage!.pieces) {
              const k = `${r.customerId} ${rr.version.effectiveFrom} ${p.label}`;
              stepSeconds.set(k, (stepSeconds.get(k) ?? 0) + p.seconds);
            }
          }
        }
        // the pieces of all records, per step, are the invoice's chat lines; the last ledger figures are its summary
        for (const inv of invoices) {
          for (const l of inv.lines.filter((x) => x.code === 'chat.usage' && x.seconds! > 0)) {
            const label = l.description.replace(/^Chat, (.*) \(from .*\)$/, '$1');
            expect(stepSeconds.get(`${inv.customerId} ${l.versionFrom} ${label}`)).toBe(l.seconds);
          }
          const mine = rated.filter((x) => x.record.customerId === inv.customerId && x.diversion).sort(byKey);
          const last = mine[mine.length - 1];
          if (last) {
            expect(BigInt(ledger.get(last)!.blocksAfter)).toBe(inv.diversion.feesCharged);
            expect(ledger.get(last)!.after).toBe(BigInt(inv.diversion.closing.times(100).toFixed(0)));
          }
        }
      }),
      { numRuns: 150 },
    );
  });
});
