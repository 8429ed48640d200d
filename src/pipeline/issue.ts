import type { LedgerHooks, LedgerPass, LedgerRun } from './invoice-run';
import type { PostDocument } from '../ledger/ledger';
import { RecordSpool } from './spool';
import type { LoadedPrices } from './load-inputs';
import type { Ledger } from '../ledger/ledger';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { Period } from '../time/period';
import { Zone } from '../time/zone';
import { formatMoney } from '../money/round';
import { fingerprintBlob, invoiceDocument, issueFilter, numberer, openingFromLedger, refuseIssued, requireSeq, resetCounts, skipNotices } from './ledger-rules';
import type { SkipCounts } from './ledger-rules';

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
 * the calculation and before any output file is written.
 */
export function issueHooks(ledger: Ledger, s: IssueSettings): LedgerHooks {
  let mark = 0;
  let loaded: LoadedPrices;
  let period: Period;
  let issueDate = '';
  let adjustments = new Map<string, Dec>();
  let counts: SkipCounts = { alreadyBilled: 0, late: 0, lateBy: new Map(), extrasLateBy: new Map() };
  const billed = new Map<string, string[]>();
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
      return { opening: o.opening, skip: f.skip, counts, extrasLate: f.extrasLate };
    },
    onRated(rr: RatedRecord) {
      const id = rr.record.customerId;
      let l = billed.get(id);
      if (!l) billed.set(id, (l = []));
      l.push(rr.record.recordId);
    },
    restart() {
      billed.clear();
      resetCounts(counts);
    },
    start(out: LedgerRun): LedgerPass {
      extrasLate = out.control.extrasLate ?? 0;
      const next = numberer(ledger, loaded.prices.invoiceNumber);
      // what the post stores, kept on disk as the invoices go by (a month of a million customers); the ids billed are added when it is read
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
                billedFingerprints: fingerprintBlob(billed.values()),
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
function withBilledIds(docs: Iterable<PostDocument>, billed: ReadonlyMap<string, string[]>): Iterable<PostDocument> {
  return {
    *[Symbol.iterator]() {
      for (const d of docs) yield { ...d, billedIds: billed.get(d.customerId) ?? [] };
    },
  };
}

/** A document as plain JSON data (its number in the series as text), without its billed ids. */
function encodeDocument(d: PostDocument): unknown {
  return { ...d, seq: d.seq.toString(), billedIds: undefined };
}

function decodeDocument(data: unknown): PostDocument {
  const d = data as Omit<PostDocument, 'seq'> & { seq: string };
  return { ...d, seq: BigInt(d.seq), billedIds: [] };
}
