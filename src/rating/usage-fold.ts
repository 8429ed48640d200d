import type { ColumnMap, ColumnName, RowProblem, UsageRecord } from '../usage/usage-record';
import { COLUMNS, isProblem, mapHeader, parseUsageRow } from '../usage/usage-record';
import type { Period } from '../time/period';
import type { RatedRecord, RatingContext } from './rate-record';
import { rateRecord } from './rate-record';
import { hashId } from './record-id-set';
import type { Hash64, HashList, IdHashTable } from './record-id-set';
import { accumulate, emptyState, mergeState } from './usage-state';
import type { UsageState } from './usage-state';

/** A usage row that was not billed, with its place and original cells (SPEC §6 --rejects). */
export interface RejectedRow {
  input: number;
  line: number;
  column: string;
  message: string;
  value: string;
  fields: string[];
}

export interface FoldCounts {
  read: number;
  billed: number;
  rejected: number;
  outside: number;
}

/** Where a record id was first seen; packed so the map costs little per record. */
export interface SeenIds {
  /** Returns the place of an earlier record with this id, or undefined (and remembers this one). */
  check(id: string, input: number, line: number): { input: number; line: number } | undefined;
}

/** Exact, and about 100 bytes per record: for the few ids that need it. */
export class MapSeenIds implements SeenIds {
  private readonly seen = new Map<string, number>();
  check(id: string, input: number, line: number): { input: number; line: number } | undefined {
    const prev = this.seen.get(id);
    if (prev !== undefined) return { input: Math.floor(prev / 2 ** 32), line: prev % 2 ** 32 };
    this.seen.set(detach(id), input * 2 ** 32 + line);
    return undefined;
  }
}

/**
 * First pass: each id's 64-bit hash goes into the table, where a repeat marks a
 * suspect. Finds no duplicate itself: when the table has suspects, the caller
 * reads the inputs again with `SuspectSeenIds`.
 */
export class HashedSeenIds implements SeenIds {
  private readonly h: Hash64 = { lo: 0, hi: 0 };
  constructor(readonly table: IdHashTable) {}
  check(id: string): undefined {
    const h = hashId(id, this.h);
    this.table.add(h.lo, h.hi);
    return undefined;
  }
}

/** First pass in a worker: the hashes are collected and sent to the thread that holds the table. */
export class CollectedSeenIds implements SeenIds {
  private readonly h: Hash64 = { lo: 0, hi: 0 };
  constructor(readonly list: HashList) {}
  check(id: string): undefined {
    const h = hashId(id, this.h);
    this.list.push(h.lo, h.hi);
    return undefined;
  }
}

/** Second pass: ids whose hash is a suspect are compared exactly; the others are known to be unique. */
export class SuspectSeenIds implements SeenIds {
  private readonly exact = new MapSeenIds();
  private readonly h: Hash64 = { lo: 0, hi: 0 };
  constructor(readonly table: IdHashTable) {}
  check(id: string, input: number, line: number): { input: number; line: number } | undefined {
    const h = hashId(id, this.h);
    if (!this.table.isSuspect(h.lo, h.hi)) return undefined;
    return this.exact.check(id, input, line);
  }
}

/**
 * A copy of a string that does not keep alive the chunk it was cut from (V8 keeps a
 * slice's parent): kept cells must not hold the whole input in memory.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

export interface FoldOptions {
  /** The --period month; null bills every record. */
  period: Period | null;
  /** Names of the inputs, to name the first place of a duplicate. */
  inputNames: readonly string[];
  seenIds?: SeenIds;
  /** Called for every record billed (the --rated file, explanations). */
  onRated?: (rr: RatedRecord) => void;
  /** Called for every rejected row, kept or not (explain names the reason for one record). */
  onRejected?: (input: number, line: number, problem: RowProblem) => void;
  /** Rejected rows kept with their cells: all of them for --rejects, else only those that get reported. */
  keepRejects: number;
  /**
   * Given by the shell for a ledger run (SPEC §7): true when a valid record must not be
   * billed (already billed, or late for an issued month); the filter counts it itself.
   */
  skip?: RecordFilter;
}

/** A per-record decision made outside the fold (the ledger's already-billed and late records). */
export type RecordFilter = (r: UsageRecord) => boolean;

/** What a fold leaves: a UsageFold, or several merged (files, or chunks rated by workers). Plain data. */
export interface FoldOutcome {
  state: UsageState;
  counts: FoldCounts;
  /** In input and line order; at most `keepRejects` of them. */
  rejects: RejectedRow[];
  recordsPerInput: number[];
  headers: string[][];
}

export function emptyOutcome(): FoldOutcome {
  return { state: emptyState(), counts: { read: 0, billed: 0, rejected: 0, outside: 0 }, rejects: [], recordsPerInput: [], headers: [] };
}

/**
 * Adds `part` into `into`. Parts must be added in input order, and within an input
 * in line order, for the rejects to stay in order; the state merge is exact in any order.
 */
export function mergeOutcome(into: FoldOutcome, part: FoldOutcome, keepRejects: number, lineOffset = 0): void {
  mergeState(into.state, part.state);
  into.counts.read += part.counts.read;
  into.counts.billed += part.counts.billed;
  into.counts.rejected += part.counts.rejected;
  into.counts.outside += part.counts.outside;
  for (const r of part.rejects) {
    if (into.rejects.length >= keepRejects) break;
    into.rejects.push(lineOffset === 0 ? r : { ...r, line: r.line + lineOffset });
  }
  part.recordsPerInput.forEach((n, i) => (into.recordsPerInput[i] = (into.recordsPerInput[i] ?? 0) + (n ?? 0)));
  part.headers.forEach((h, i) => {
    if (h) into.headers[i] = h;
  });
}

/**
 * The streaming fold over usage rows: check each row (SPEC §2), drop the ones
 * outside the period (counted), rate the rest (§4) and add them to the state.
 * No I/O: the shell feeds it rows, one file after another.
 */
export class UsageFold implements FoldOutcome {
  state: UsageState = emptyState();
  readonly counts: FoldCounts = { read: 0, billed: 0, rejected: 0, outside: 0 };
  readonly rejects: RejectedRow[] = [];
  readonly recordsPerInput: number[] = [];
  /** Each input's header as read (the --rejects file repeats the user's own columns). */
  readonly headers: string[][] = [];
  private readonly seen: SeenIds;
  private columns: ColumnMap | null = null;
  private fields: string[] = [];
  private readonly get = (c: ColumnName): string => {
    const i = this.columns![c];
    return i >= 0 ? (this.fields[i] ?? '') : '';
  };

  constructor(private readonly ctx: RatingContext, private readonly opts: FoldOptions) {
    this.seen = opts.seenIds ?? new MapSeenIds();
  }

  /** Starts a file: returns the problems of its header (a file without the required columns cannot be read). */
  header(input: number, header: string[]): Array<{ column: number; message: string }> {
    const h = mapHeader(header);
    this.recordsPerInput[input] ??= 0;
    this.headers[input] = header;
    if (!h.ok) {
      this.columns = null;
      return h.problems;
    }
    this.columns = h.columns;
    this.headerWidth = header.length;
    return [];
  }

  private headerWidth = 0;

  row(input: number, line: number, fields: string[]): void {
    this.counts.read++;
    this.recordsPerInput[input] = (this.recordsPerInput[input] ?? 0) + 1;
    if (fields.length !== this.headerWidth) {
      this.reject(input, line, fields, { column: '(row)', message: `expected ${this.headerWidth} fields like the header, found ${fields.length}`, value: '' });
      return;
    }
    this.check(input, line, fields, fields);
  }

  /** Starts a file read through an import profile (issue #8): its rows arrive in the SPEC §2 columns. */
  mappedHeader(input: number, original: string[]): void {
    this.recordsPerInput[input] ??= 0;
    this.headers[input] = original;
    this.columns = Object.fromEntries(COLUMNS.map((c, i) => [c, i])) as ColumnMap;
    this.headerWidth = COLUMNS.length;
  }

  /** A row an import profile mapped (`cells` in COLUMNS order), or could not map (`problem`); `original` is the file's own row. */
  mappedRow(input: number, line: number, original: string[], cells: string[] | null, problem?: RowProblem): void {
    this.counts.read++;
    this.recordsPerInput[input] = (this.recordsPerInput[input] ?? 0) + 1;
    if (cells === null) this.reject(input, line, original, problem!);
    else this.check(input, line, cells, original);
  }

  private check(input: number, line: number, fields: string[], original: string[]): void {
    this.fields = fields;
    const r = parseUsageRow(this.get, this.ctx.zone, input, line);
    if (isProblem(r)) {
      this.reject(input, line, original, r);
      return;
    }
    const first = this.seen.check(r.recordId, input, line);
    if (first) {
      const where = `${this.opts.inputNames[first.input] ?? '?'}:${first.line}`;
      this.reject(input, line, original, { column: 'record_id', message: `duplicate record id, first seen at ${where}`, value: r.recordId });
      return;
    }
    if (this.opts.skip?.(r)) return;
    const p = this.opts.period;
    if (p && (r.startMs < p.startMs || r.startMs >= p.endMs)) {
      this.counts.outside++;
      return;
    }
    this.rate(r, original);
  }

  private rate(r: UsageRecord, fields: string[]): void {
    const rr = rateRecord(r, this.ctx);
    if (isProblem(rr)) {
      this.reject(r.input, r.line, fields, rr);
      return;
    }
    accumulate(this.state, rr);
    this.counts.billed++;
    this.opts.onRated?.(rr);
  }

  private reject(input: number, line: number, fields: string[], p: RowProblem): void {
    this.counts.rejected++;
    this.opts.onRejected?.(input, line, p);
    if (this.rejects.length < this.opts.keepRejects) this.rejects.push({ input, line, column: p.column, message: p.message, value: detach(p.value), fields: fields.map(detach) });
  }
}
