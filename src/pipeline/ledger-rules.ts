import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, DataError, OutputError, UsageError } from '../errors';
import { fillNumber, hasSeq, seriesOf } from '../invoice/invoice-number';
import type { Invoice } from '../invoice/types';
import { ledgerFiles } from '../ledger/ledger';
import type { Ledger, PostDocument } from '../ledger/ledger';
import { Dec } from '../money/decimal';
import type { PriceList } from '../pricing/types';
import type { Period } from '../time/period';
import { hashId, HashSet64 } from '../rating/record-id-set';
import type { Hash64 } from '../rating/record-id-set';
import type { RecordFilter } from '../rating/usage-fold';
import { invoiceToJson, renderInvoiceJson } from '../render/json';
import type { BalanceRow } from '../render/ledger';
import { terminalSafe } from '../render/terminal-safe';
import type { Zone } from '../time/zone';
import type { UsageRecord } from '../usage/usage-record';
import type { ChunkFilter } from './fold-worker';
import { emptyCounts, extrasFilter, monthKey, recordFilter } from './record-filter';
import type { SkipCounts } from './record-filter';

/**
 * The ledger's rules of SPEC §7 that sit between the pure calculation and the ledger
 * module: where the ledger is, opening balances, the per-record filter (already billed,
 * late), refusals, numbers, and the documents to post. No SQL here: that is src/ledger.
 */

/** SPEC §7: `--ledger`, else `CALLBILL_LEDGER`, else `callbill.db` in the current folder. */
export function ledgerPath(option: string | undefined, env: NodeJS.ProcessEnv): string {
  if (option !== undefined && option !== '') return option;
  const e = env.CALLBILL_LEDGER;
  return e !== undefined && e !== '' ? e : 'callbill.db';
}

/** The ledger commands number documents: the templates need `{seq}` (78). */
export function requireSeq(prices: PriceList, key: 'invoice_number' | 'credit_note_number'): void {
  const t = key === 'invoice_number' ? prices.invoiceNumber : prices.creditNoteNumber;
  if (!hasSeq(t)) {
    throw new ConfigError([
      { file: prices.file, line: 0, column: 0, message: `${key} "${terminalSafe(t)}" has no {seq}: the ledger numbers documents in a series (for example INV-{year}-{seq:5})` },
    ]);
  }
}

/**
 * SPEC §7: the ledger file and its -wal/-shm are inputs; no output may be written over
 * them (73). Compared by path and, for files that exist, by what they resolve to.
 */
export function checkOutputsAgainstLedger(outputs: readonly string[], ledger: string): void {
  const guarded = ledgerFiles(ledger).map((p) => resolve(p));
  const real = new Set<string>();
  for (const p of guarded) {
    try {
      real.add(realpathSync(p));
    } catch {
      // not there (yet): compared by path
    }
  }
  const ino = new Set<string>();
  for (const p of guarded) {
    try {
      const s = statSync(p);
      ino.add(`${s.dev}:${s.ino}`);
    } catch {
      // not there
    }
  }
  for (const out of outputs) {
    const r = resolve(out);
    let same = guarded.includes(r) || real.has(r);
    if (!same && existsSync(r)) {
      try {
        same = real.has(realpathSync(r));
        const s = statSync(r);
        same ||= ino.has(`${s.dev}:${s.ino}`);
      } catch {
        // unreadable: the write itself will say so
      }
    }
    if (same) throw new OutputError(`${out}: is the ledger ${ledger} (or its -wal/-shm file): an output is never written over it`);
  }
}

/** The files `invoice`/`issue` write for these options. */
export function outputPaths(o: { out?: string; rejects?: string; balancesOut?: string; rated?: string }): string[] {
  const out: string[] = [];
  if (o.out !== undefined) out.push(join(o.out, 'invoices.json'), join(o.out, 'invoices.csv'), join(o.out, 'invoice-lines.csv'));
  for (const p of [o.rejects, o.balancesOut, o.rated]) if (p !== undefined) out.push(p);
  return out;
}

/**
 * The fingerprints of every id the ledger billed: a superset, so a miss is a certain
 * "never billed". Kept in shared memory, sized never to grow, so that worker threads
 * can look in it (IssueFilter.shared).
 */
function fingerprints(ledger: Ledger): HashSet64 {
  const blobs = ledger.billedFingerprints();
  const total = blobs.reduce((n, b) => n + b.length / 8, 0);
  const set = new HashSet64(total, true);
  for (const b of blobs) {
    const words = new Uint32Array(Uint8Array.from(b).buffer);
    for (let i = 0; i + 1 < words.length; i += 2) set.add(words[i]!, words[i + 1]!);
  }
  return set;
}

export interface IssueFilter {
  skip: RecordFilter;
  counts: SkipCounts;
  extrasLate: (customerId: string, ms: number) => boolean;
  /**
   * What a worker thread needs to apply the same filter to a chunk (null: it cannot): the
   * fingerprints of the billed ids (a chunk with a record among them is read again here,
   * where the exact id is looked up) and the months already issued.
   */
  shared: ChunkFilter | null;
}

/**
 * SPEC §7 for `issue` and its preview: a record id billed on an issued invoice is skipped
 * (decided by the exact id; the fingerprints only spare the look-up of ids never billed),
 * and a record of a month already issued for its customer is late.
 */
export function issueFilter(ledger: Ledger, zone: Zone): IssueFilter {
  const fp = fingerprints(ledger);
  const months = ledger.issuedMonths();
  const issued = new Set(months.map((k) => monthKey(k.customerId, k.period)));
  const counts = emptyCounts();
  const slots = fp.size > 0 ? fp.sharedSlots() : null;
  return {
    skip: recordFilter((id, h) => fp.size > 0 && fp.has(h.lo, h.hi) && ledger.isBilled(id), issued, zone, counts),
    counts,
    extrasLate: extrasFilter(issued, zone, counts),
    shared: fp.size > 0 && !slots ? null : { billed: slots, issued: [...issued] },
  };
}

/**
 * `verify`'s replay of a ledger run: the same rules as `issue`, against the ledger as it
 * was when run `afterRun` was its last (the run recorded in the audit of --out).
 */
export function replayFilter(ledger: Ledger, zone: Zone, afterRun: number): { skip: RecordFilter; counts: SkipCounts; extrasLate: (customerId: string, ms: number) => boolean } {
  const issued = new Set(ledger.issuedMonthsAsOf(afterRun).map((k) => monthKey(k.customerId, k.period)));
  const counts = emptyCounts();
  return { skip: recordFilter((id) => ledger.billedAsOf(id, afterRun), issued, zone, counts), counts, extrasLate: extrasFilter(issued, zone, counts) };
}

/**
 * SPEC §7 for `correct`: the month is re-rated from its complete usage, so its records
 * are billed again (late ones included); only a record billed on another customer's or
 * month's invoice is skipped as already billed. Records outside the month are the fold's.
 */
export function correctFilter(ledger: Ledger, period: Period): { skip: RecordFilter; counts: SkipCounts } {
  const fp = fingerprints(ledger);
  const counts = emptyCounts();
  const h: Hash64 = { lo: 0, hi: 0 };
  const skip = (r: UsageRecord): boolean => {
    if (r.startMs < period.startMs || r.startMs >= period.endMs) return false;
    hashId(r.recordId, h);
    if (fp.size === 0 || !fp.has(h.lo, h.hi)) return false;
    const on = ledger.billedOn(r.recordId);
    if (on.length === 0 || on.some((k) => k.customerId === r.customerId && k.period === period.label)) return false;
    counts.alreadyBilled++;
    return true;
  };
  return { skip, counts };
}

export function skipNotices(counts: SkipCounts, quietCorrect = false): string[] {
  const out: string[] = [];
  if (counts.alreadyBilled > 0) {
    out.push(
      `callbill: ${counts.alreadyBilled} record${counts.alreadyBilled === 1 ? ' was' : 's were'} billed on an earlier invoice and ${counts.alreadyBilled === 1 ? 'was' : 'were'} skipped (overlapping exports; see control.records_already_billed)`,
    );
  }
  if (!quietCorrect) {
    for (const e of [...counts.lateBy.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.customerId < b.customerId ? -1 : 1))) {
      out.push(
        `callbill: ${e.records} late record${e.records === 1 ? '' : 's'} of ${e.period} for ${terminalSafe(e.customerId)} not billed: ${e.period} is already issued; ` +
          `bill ${e.records === 1 ? 'it' : 'them'} with: callbill correct --period ${e.period} --customer ${terminalSafe(e.customerId)} <the complete usage of ${e.period}>`,
      );
    }
    for (const e of [...counts.extrasLateBy.values()].sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : a.customerId < b.customerId ? -1 : 1))) {
      out.push(
        `callbill: ${e.records} late extras row${e.records === 1 ? '' : 's'} of ${e.period} for ${terminalSafe(e.customerId)} not billed: ${e.period} is already issued; ` +
          `bill ${e.records === 1 ? 'it' : 'them'} with: callbill correct --period ${e.period} --customer ${terminalSafe(e.customerId)} --extras <the complete extras of ${e.period}> <the complete usage of ${e.period}>`,
      );
    }
  }
  return out;
}

export interface LedgerOpening {
  /** Opening balance by customer (SPEC §7). */
  opening: Map<string, Dec>;
  /** The adjustments inside it, by customer, which this run carries. */
  adjustments: Map<string, Dec>;
}

/**
 * SPEC §7 opening balances of month P: the closing balance of the customer's issued
 * invoice for the latest month before P, plus its adjustments not yet carried; a customer
 * never invoiced opens at 0 or at its `--balances-in` row, which is refused (64) for a
 * customer that has an invoice in the ledger. A customer whose balance is 0 and who has
 * no adjustment is left out, as `--balances-out` leaves it out of the next month's file.
 */
export function openingFromLedger(ledger: Ledger, period: string, balancesIn: ReadonlyMap<string, Dec>, carryAdjustments: boolean): LedgerOpening {
  const opening = new Map<string, Dec>();
  const adjustments = new Map<string, Dec>();
  for (const [c, parts] of ledger.openingParts(period)) {
    const prev = parts.previous ? new Dec(parts.previous.closing) : new Dec(0);
    const adj = carryAdjustments ? parts.adjustments.reduce((s, a) => s.plus(a), new Dec(0)) : new Dec(0);
    const hasAdj = carryAdjustments && parts.adjustments.length > 0;
    if (hasAdj) adjustments.set(c, adj);
    if (parts.previous || hasAdj) {
      const v = prev.plus(adj);
      if (!v.isZero() || hasAdj) opening.set(c, v);
    }
  }
  if (balancesIn.size > 0) {
    const known = ledger.customersWithInvoice();
    const refused = [...balancesIn.keys()].filter((c) => known.has(c)).sort();
    if (refused.length > 0) {
      throw new UsageError(
        `--balances-in: ${refused.map(terminalSafe).join(', ')} already ${refused.length === 1 ? 'has' : 'have'} invoices in the ledger, which holds ${refused.length === 1 ? 'its balance' : 'their balances'}; ` +
          `the file only seeds customers new to the ledger (leave ${refused.length === 1 ? 'it' : 'them'} out of it)`,
      );
    }
    for (const [c, b] of balancesIn) opening.set(c, b);
  }
  return { opening, adjustments };
}

/** SPEC §7 refusals (65): the month already issued for the customer, or a later month already issued. */
export function refuseIssued(ledger: Ledger, customerId: string, period: string): void {
  const same = ledger.issuedFor(customerId, period);
  if (same) {
    throw new DataError(
      `${period} is already issued for ${terminalSafe(customerId)}: invoice ${terminalSafe(same.number)} of ${same.issue_date}; nothing was stored. ` +
        `To change it, run: callbill correct --period ${period} --customer ${terminalSafe(customerId)} <the complete usage of ${period}>`,
    );
  }
  const later = ledger.issuedAfter(customerId, period);
  if (later) {
    throw new DataError(
      `${period} is earlier than ${later.period}, already issued for ${terminalSafe(customerId)}: invoice ${terminalSafe(later.number)} of ${later.issue_date}; nothing was stored. ` +
        `A month is issued in order; a missed customer or record of ${period} is billed with callbill correct --period ${period}`,
    );
  }
}

export interface Numbered {
  number: string;
  series: string;
  seq: bigint;
}

/**
 * Numbers from the ledger for documents in this order (SPEC §7), each from its template
 * with `{seq}`; documents of one series (even from two templates) count on together.
 */
export function assignNumbers(ledger: Ledger, template: string, docs: ReadonlyArray<{ customerId: string; period: string; issueDate: string; template?: string }>): Numbered[] {
  const next = numberer(ledger, template);
  return docs.map((d) => next(d));
}

/** The same one document at a time, in order. */
export function numberer(ledger: Ledger, template: string): (d: { customerId: string; period: string; issueDate: string; template?: string }) => Numbered {
  const seqOf = ledger.numberer();
  return (d) => {
    const t = d.template ?? template;
    const series = seriesOf(t, { customer: d.customerId, period: d.period, issueDate: d.issueDate });
    const seq = seqOf({ series, issueDate: d.issueDate });
    return { number: fillNumber(t, { customer: d.customerId, period: d.period, issueDate: d.issueDate, seq }), series, seq };
  };
}

/** An issued invoice as the ledger stores it: its JSON text as printed, and its rows. */
export function invoiceDocument(inv: Invoice, n: Numbered, period: string, billedIds: Iterable<string>, carriesAdjustments: boolean, billedJson?: readonly string[]): PostDocument {
  const j = invoiceToJson(inv) as { lines: Array<{ code: string; description: string; seconds: number | null; quantity: string; unit: string; unit_price: string; amount: string }>; subtotal: string; tax: string; total: string; diversion: { opening_balance: string; closing_balance: string } };
  return {
    number: n.number,
    series: n.series,
    seq: n.seq,
    kind: 'invoice',
    customerId: inv.customerId,
    customerName: inv.customerName,
    period,
    periodStart: inv.period.start,
    periodEnd: inv.period.end,
    issueDate: inv.issueDate,
    dueDate: inv.dueDate,
    currency: inv.currency,
    subtotal: j.subtotal,
    tax: j.tax,
    total: j.total,
    openingBalance: j.diversion.opening_balance,
    closingBalance: j.diversion.closing_balance,
    json: renderInvoiceJson(inv),
    lines: j.lines.map((l) => ({ code: l.code, description: l.description, seconds: l.seconds, quantity: l.quantity, unit: l.unit, unitPrice: l.unit_price, amount: l.amount })),
    billedIds,
    ...(billedJson ? { billedJson } : {}),
    carriesAdjustments,
  };
}

/** `ledger balances` (SPEC §7): each customer's closing balance of its latest issued invoice plus what is pending. */
export function ledgerBalances(l: Ledger): BalanceRow[] {
  const rows: BalanceRow[] = [];
  // the month after every month: each customer's latest issued invoice, and what is pending
  const parts = l.openingParts('9999-99');
  for (const c of [...parts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const p = parts.get(c)!;
    const closing = p.previous ? p.previous.closing : '0';
    const decimals = Math.max(...[closing, ...p.adjustments].map((a) => (a.split('.')[1] ?? '').length));
    const total = p.adjustments.reduce((s, a) => s.plus(a), new Dec(closing));
    rows.push({ customerId: c, balance: total.toFixed(decimals), lastInvoice: p.previous?.number ?? null, period: p.previous?.period ?? null, pendingAdjustments: p.adjustments });
  }
  return rows;
}

/** The tax note of a stored document (SPEC §11), empty when it has none. */
export function taxNoteOf(json: string): string {
  const note = (JSON.parse(json) as { tax_note?: string | null }).tax_note;
  return note ?? '';
}

/** The diversion fees charged on a stored document, exact (a count may pass 2^53). */
export function feesCharged(json: string): string {
  return /"fees_charged": (-?\d+)/.exec(json)?.[1] ?? '0';
}
