/**
 * The per-record rule of `issue` (SPEC §7), apart from the ledger itself so that a
 * worker thread can apply it to its chunks (parallel-fold.ts): a record billed on an
 * issued invoice is skipped (decided by the exact id; the caller's `billed` answers),
 * and a record of a month already issued for its customer is late. Both are counted.
 */
import type { Hash64 } from '../rating/record-id-set';
import { hashId } from '../rating/record-id-set';
import type { RecordFilter } from '../rating/usage-fold';
import { dayNumber, isoDateOfDay } from '../time/zone';
import type { Zone } from '../time/zone';
import type { UsageRecord } from '../usage/usage-record';

/** Records (or extras rows) of one customer and month skipped as late. */
export interface LateCount {
  customerId: string;
  period: string;
  records: number;
}

/** What the ledger's filter skipped, for the control figures and the notices. */
export interface SkipCounts {
  alreadyBilled: number;
  late: number;
  /** Late records by customer and month. */
  lateBy: Map<string, LateCount>;
  /** Extras rows (services on request) of a month already issued for their customer, by customer and month. */
  extrasLateBy: Map<string, LateCount>;
}

export function emptyCounts(): SkipCounts {
  return { alreadyBilled: 0, late: 0, lateBy: new Map(), extrasLateBy: new Map() };
}

/** Counts start again with a second pass over the inputs. */
export function resetCounts(c: SkipCounts): void {
  c.alreadyBilled = 0;
  c.late = 0;
  c.lateBy.clear();
  c.extrasLateBy.clear();
}

/** Adds the counts of a part of the records (a chunk rated by a worker) to `into`, in order. */
export function addCounts(into: SkipCounts, part: SkipCounts): void {
  into.alreadyBilled += part.alreadyBilled;
  into.late += part.late;
  for (const [k, e] of part.lateBy) countLate(into.lateBy, k, e.customerId, e.period, e.records);
  for (const [k, e] of part.extrasLateBy) countLate(into.extrasLateBy, k, e.customerId, e.period, e.records);
}

function countLate(by: Map<string, LateCount>, k: string, customerId: string, period: string, records: number): void {
  const e = by.get(k);
  if (e) e.records += records;
  else by.set(k, { customerId, period, records });
}

/** `YYYY-MM` of an instant in the price list's zone. */
function monthOf(ms: number, zone: Zone): string {
  return isoDateOfDay(dayNumber(zone.toLocal(ms))).slice(0, 7);
}

/** The key of a customer's month in `issued`. */
export function monthKey(customerId: string, period: string): string {
  return `${customerId}\u0000${period}`;
}

/**
 * The filter: `billed` says whether a record id (with its hash) was billed on an issued
 * invoice; `issued` holds the months already issued (monthKey).
 */
export function recordFilter(billed: (recordId: string, h: Hash64) => boolean, issued: ReadonlySet<string>, zone: Zone, counts: SkipCounts): RecordFilter {
  const h: Hash64 = { lo: 0, hi: 0 };
  return (r: UsageRecord): boolean => {
    hashId(r.recordId, h);
    if (billed(r.recordId, h)) {
      counts.alreadyBilled++;
      return true;
    }
    if (issued.size === 0) return false;
    const month = monthOf(r.startMs, zone);
    const k = monthKey(r.customerId, month);
    if (!issued.has(k)) return false;
    counts.late++;
    countLate(counts.lateBy, k, r.customerId, month, 1);
    return true;
  };
}

/** An extras row of a month already issued for its customer: counted, not billed. */
export function extrasFilter(issued: ReadonlySet<string>, zone: Zone, counts: SkipCounts): (customerId: string, ms: number) => boolean {
  return (customerId, ms) => {
    if (issued.size === 0) return false;
    const month = monthOf(ms, zone);
    const k = monthKey(customerId, month);
    if (!issued.has(k)) return false;
    countLate(counts.extrasLateBy, k, customerId, month, 1);
    return true;
  };
}
