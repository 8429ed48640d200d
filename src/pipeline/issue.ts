import type { LedgerHooks, LedgerPass, LedgerRun } from './invoice-run';
import type { LoadedPrices } from './load-inputs';
import type { Ledger, PostDocument } from '../ledger/ledger';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { Period } from '../time/period';
import { Zone } from '../time/zone';
import { formatMoney } from '../money/round';
import { invoiceDocument, issueFilter, numberer, openingFromLedger, refuseIssued, requireSeq, skipNotices } from './ledger-rules';
import { RecordSpool } from './spool';
import { BilledIds } from './billed-ids';
import type { ChunkBilled } from './billed-ids';
import { addCounts, emptyCounts, resetCounts } from './record-filter';
import type { SkipCounts } from './record-filter';

export interface IssueSettings {
  /** `invoice --ledger`: every rule applied, the numbers shown, nothing stored. */
  preview: boolean;
  argv: readonly string[];
  version: string;
  now: () => number;
}

/**
 * `issue` (SPEC §7) = `invoice` with opening balances and the record filter from the
 * ledger, then one post that stores the numbered invoices, their lines, closing
 * balances, billed record ids and the run, in one transaction. The post happens after
 * the last invoice is built and written to its temporary files, and before any output
 * file is put in place.
 */
export function issueHooks(ledger: Ledger, s: IssueSettings): LedgerHooks {
  let mark = 0;
  let loaded: LoadedPrices;
  let period: Period;
  let issueDate = '';
  let adjustments = new Map<string, Dec>();
  let counts: SkipCounts = emptyCounts();
  const billed = new BilledIds();
  let opening = new Map<string, Dec>();
  let assigned: string[] = [];
  let run: number | null = null;
  let extrasLate = 0;
  return {
    prepare(r) {
      loaded = r.loaded;
      period = r.period;
      issueDate = r.issueDate;
      requireSeq(r.loaded.prices, 'invoice_number');
      mark = ledger.beginRead();
      const o = openingFromLedger(ledger, period.label, r.balancesIn, true);
      adjustments = o.adjustments;
      opening = o.opening;
      // refuse before reading any usage when a customer sure to get an invoice is in the way
      for (const c of new Set([...r.loaded.prices.customers.keys(), ...o.opening.keys()])) refuseIssued(ledger, c, period.label);
      const f = issueFilter(ledger, new Zone(r.loaded.prices.timezone));
      counts = f.counts;
      // worker threads filter their chunks alike and send back what they skipped and billed, in order
      const chunks = f.shared
        ? {
            filter: f.shared,
            take: (skipped: SkipCounts, b: ChunkBilled) => {
              addCounts(counts, skipped);
              billed.addChunk(b);
            },
          }
        : undefined;
      return { opening: o.opening, skip: f.skip, counts, extrasLate: f.extrasLate, chunks };
    },
    onRated(rr: RatedRecord) {
      billed.add(rr.record.customerId, rr.record.recordId);
    },
    restart() {
      billed.clear();
      resetCounts(counts);
    },
    start(out: LedgerRun): LedgerPass {
      extrasLate = out.control.extrasLate ?? 0;
      const next = numberer(ledger, loaded.prices.invoiceNumber);
      // what the post stores, kept on disk as the invoices go by (a month of a million customers); the ids billed are added as it is read
      const docs = s.preview ? null : new RecordSpool<PostDocument>('the invoices to store in the ledger', encodeDocument, decodeDocument);
      return {
        invoice(inv) {
          refuseIssued(ledger, inv.customerId, period.label);
          const a = adjustments.get(inv.customerId);
          if (a && !a.isZero()) inv.diversion.adjustment = a;
          const n = next({ customerId: inv.customerId, period: period.label, issueDate: inv.issueDate });
          inv.invoiceNumber = n.number;
          assigned.push(n.number);
          docs?.add(invoiceDocument(inv, n, period.label, [], adjustments.has(inv.customerId)));
        },
        end() {
          if (!docs) {
            ledger.endRead();
            return;
          }
          const c = out.control;
          try {
            run = ledger.post(
              mark,
              {
                command: 'issue',
                createdAt: new Date(s.now()).toISOString(),
                version: s.version,
                argv: s.argv,
                period: period.label,
                issueDate,
                priceList: { path: loaded.path, sha256: loaded.sha256, text: loaded.text },
                counts: { read: c.recordsRead, billed: c.recordsBilled, rejected: c.recordsRejected, outside: c.recordsOutsidePeriod, alreadyBilled: counts.alreadyBilled, late: counts.late },
                inputs: c.inputs,
                extras: out.extrasInputs,
                extrasCounts: { read: c.extrasRead, billed: c.extrasBilled, rejected: c.extrasRejected, outside: c.extrasOutsidePeriod, late: c.extrasLate ?? 0 },
                billedFingerprints: billed.fingerprints(),
              },
              withBilledIds(docs, billed),
            );
          } finally {
            docs.discard();
          }
        },
      };
    },
    notices() {
      return skipNotices(counts);
    },
    audit() {
      const minor = loaded.prices.currency.minor;
      const money = (m: ReadonlyMap<string, Dec>) => Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([c, v]) => [c, formatMoney(v, minor)]));
      return {
        command: s.preview ? 'invoice' : 'issue',
        ledger: {
          path: ledger.path,
          after_run: mark,
          run: s.preview ? null : run,
          opening_balances: money(opening),
          adjustments: money(adjustments),
          numbers: assigned,
          records_already_billed: counts.alreadyBilled,
          records_late: counts.late,
          extras_late: extrasLate,
        },
      };
    },
  };
}

/** The documents to store, each with the ids of the records it billed, read again for each pass the post makes. */
function withBilledIds(docs: Iterable<PostDocument>, billed: BilledIds): Iterable<PostDocument> {
  return {
    *[Symbol.iterator]() {
      for (const d of docs) yield { ...d, billedJson: billed.json(d.customerId) };
    },
  };
}

/** A document as plain JSON data (its number in the series as text), without its billed ids. */
function encodeDocument(d: PostDocument): unknown {
  return { ...d, seq: d.seq.toString(), billedIds: undefined, billedJson: undefined };
}

function decodeDocument(data: unknown): PostDocument {
  const d = data as Omit<PostDocument, 'seq'> & { seq: string };
  return { ...d, seq: BigInt(d.seq), billedIds: [] };
}
