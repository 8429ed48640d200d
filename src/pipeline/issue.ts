import type { InvoiceOutcome } from './compute-invoices';
import type { LedgerHooks } from './invoice-run';
import type { LoadedPrices } from './load-inputs';
import type { Ledger } from '../ledger/ledger';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { Period } from '../time/period';
import { Zone } from '../time/zone';
import { formatMoney } from '../money/round';
import { assignNumbers, invoiceDocument, issueFilter, openingFromLedger, refuseIssued, requireSeq, skipNotices } from './ledger-rules';
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
 * the calculation and before any output file is written.
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
    async commit(out: InvoiceOutcome, beforePost?: () => Promise<void>) {
      const invoices = out.run.invoices;
      for (const inv of invoices) refuseIssued(ledger, inv.customerId, period.label);
      for (const inv of invoices) {
        const a = adjustments.get(inv.customerId);
        if (a && !a.isZero()) inv.diversion.adjustment = a;
      }
      const numbers = assignNumbers(
        ledger,
        loaded.prices.invoiceNumber,
        invoices.map((inv) => ({ customerId: inv.customerId, period: period.label, issueDate: inv.issueDate })),
      );
      invoices.forEach((inv, i) => (inv.invoiceNumber = numbers[i]!.number));
      assigned = numbers.map((n) => n.number);
      extrasLate = out.run.control.extrasLate ?? 0;
      await beforePost?.();
      if (s.preview) {
        ledger.endRead();
        return;
      }
      const c = out.run.control;
      const docs = invoices.map((inv, i) => invoiceDocument(inv, numbers[i]!, period.label, [], adjustments.has(inv.customerId), billed.json(inv.customerId)));
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
        docs,
      );
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
