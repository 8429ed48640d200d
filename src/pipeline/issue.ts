import type { LedgerHooks, LedgerRun } from './invoice-run';
import type { LoadedPrices } from './load-inputs';
import type { Ledger } from '../ledger/ledger';
import type { Dec } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import type { Period } from '../time/period';
import { Zone } from '../time/zone';
import { formatMoney } from '../money/round';
import { assignNumbers, fingerprintBlob, invoiceDocument, issueFilter, openingFromLedger, refuseIssued, requireSeq, resetCounts, skipNotices } from './ledger-rules';
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
    async commit(out: LedgerRun, beforePost?: () => Promise<void>) {
      const invoices = out.invoices;
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
      extrasLate = out.control.extrasLate ?? 0;
      await beforePost?.();
      if (s.preview) {
        ledger.endRead();
        return;
      }
      const c = out.control;
      const docs = invoices.map((inv, i) => invoiceDocument(inv, numbers[i]!, period.label, billed.get(inv.customerId) ?? [], adjustments.has(inv.customerId)));
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
