import type { ColumnMap, ColumnName, RowProblem, UsageRecord } from '../usage/usage-record';
import { COLUMNS, IdTexts, isProblem, mapHeader, markCode, parseUsageRow, plainRecord, POINT_NUMBERS, readPlainRow } from '../usage/usage-record';
import { DecimalMark } from '../usage/decimal-mark';
import type { Mark } from '../usage/decimal-mark';
import type { DateFormat } from '../usage/date-format';
import type { Delimiter } from '../io/delimiter';
import { cutLine } from '../io/csv-scanner';
import type { Period } from '../time/period';
import { DAY_MS, isoDateOfDay } from '../time/zone';
import type { RatedRecord, RatingContext } from './rate-record';
import { rateRecord } from './rate-record';
import { hashId, hashIdAt } from './record-id-set';
import type { Hash64, HashList, IdHashTable } from './record-id-set';
import { accumulate, emptyState, mergeState } from './usage-state';
import type { UsageState } from './usage-state';
import { accumulateStatistics, emptyStatistics } from './statistics-state';

/** A usage row that was not billed, with its place and original cells (SPEC §6 --rejects). */
export interface RejectedRow {
  input: number;
  line: number;
  column: string;
  message: string;
  value: string;
  fields: string[];
}

/**
 * Where rejected rows go when there may be too many to hold (--rejects of a huge month):
 * every row, in input and line order. The fold keeps only the first SPILL_KEEP in memory.
 */
export interface RejectSink {
  add(r: RejectedRow): void;
  /**
   * Rows added from now on are not in input and line order (duplicate copies decided at
   * the end): the sink gives them back merged into their places.
   */
  unordered?(): void;
}

/** Rejected rows kept in memory beside a RejectSink (enough for any message). */
export const SPILL_KEEP = 50;

export interface FoldCounts {
  read: number;
  billed: number;
  rejected: number;
  outside: number;
  /** Rows rejected for a started_at written like 18/10/2026 15:00 (a day- or month-first date): one hint instead of a line each. */
  slashDates?: number;
  /** The local months (YYYY-MM) of the records outside --period, with their counts: a run that is mostly outside says where its records are. */
  outsideMonths?: Record<string, number>;
}

/** A started_at as spreadsheets write it: 18/10/2026 15:00, 10.18.2026 3:00 PM (day or month first, with a time: a pattern needs one). */
export const SLASH_DATE = /^([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})[ T]+([0-9]{1,2}):([0-9]{2})(:[0-9]{2}(?:[.,][0-9]+)?)?(?: ?([AaPp][Mm]))?$/;

/** Where a record id was first seen; packed so the map costs little per record. */
export interface SeenIds {
  /** Returns the place of an earlier record with this id, or undefined (and remembers this one). */
  check(id: string, input: number, line: number): { input: number; line: number } | undefined;
  /**
   * `check` of the id `s[from..to)` read in place, for the ids that need no place back
   * (found by hash, or known unique): given, plain rows are read in place (UsageFold.line).
   */
  checkAt?(s: string, from: number, to: number): void;
  /** Ids checked may wait in a batch (checkAt): this hands them on. Called when the inputs are read, before the table is asked. */
  flush?(): void;
  /**
   * Keeps a record back until every input is read (its id may come again later),
   * returning true; `settleHeld` then bills it or rejects every copy.
   */
  hold?(r: UsageRecord, original: string[]): boolean;
}

/** Every id is known to be unique (a first pass found no repeated hash). */
export class UniqueIds implements SeenIds {
  check(): undefined {
    return undefined;
  }
  checkAt(): void {}
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
  /**
   * Ids read in place are added a batch at a time (flush): the table is far larger than
   * the processor's caches, and a batch of inserts in a tight loop waits for memory
   * several at a time instead of one per row. Which hashes repeat does not depend on
   * the order they are added in.
   */
  checkAt(s: string, from: number, to: number): void {
    const h = hashIdAt(s, from, to, this.h);
    const b = this.batch;
    b[this.waiting++] = h.lo;
    b[this.waiting++] = h.hi;
    if (this.waiting === b.length) this.flush();
  }
  private readonly batch = new Uint32Array(4096);
  private waiting = 0;
  flush(): void {
    this.table.addAll(this.batch, this.waiting >> 1);
    this.waiting = 0;
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
  checkAt(s: string, from: number, to: number): void {
    const h = hashIdAt(s, from, to, this.h);
    this.list.push(h.lo, h.hi);
  }
}

/**
 * Second pass: ids whose hash is a suspect are held back, by exact id, until every
 * input is read; the others are known to be unique. Then an id seen once is billed
 * and an id seen more than once has every copy rejected: which copy would be the
 * right one cannot be told, and billing the first would make the bill depend on the
 * order of the files.
 */
export class SuspectSeenIds implements SeenIds {
  readonly held = new Map<string, Array<{ r: UsageRecord; original: string[] }>>();
  private readonly h: Hash64 = { lo: 0, hi: 0 };
  constructor(readonly table: IdHashTable) {}
  check(): undefined {
    return undefined;
  }
  hold(r: UsageRecord, original: string[]): boolean {
    const h = hashId(r.recordId, this.h);
    if (!this.table.isSuspect(h.lo, h.hi)) return false;
    const id = detach(r.recordId);
    const copies = this.held.get(id);
    const kept = { r: { ...r, recordId: id, customerId: detach(r.customerId) }, original: original.map(detach) };
    if (copies) copies.push(kept);
    else this.held.set(id, [kept]);
    return true;
  }
}

/** How many other places of a duplicated id a message names before "and N more". */
const PLACES_NAMED = 5;

/**
 * After every input of the second pass: the held records, billed when their id came
 * once, else every copy rejected with a message naming the other places. Returns the
 * fold of them, to merge into the pass's outcome (then sort its rejects).
 */
export function settleHeld(seen: SuspectSeenIds, ctx: RatingContext, opts: FoldOptions): UsageFold {
  const fold = new UsageFold(ctx, { ...opts, seenIds: new UniqueIds() });
  // in the order of each id's first copy, so that rows spilled to the rejects file come in a fixed order
  for (const [id, copies] of [...seen.held].sort(([, a], [, b]) => a[0]!.r.input - b[0]!.r.input || a[0]!.r.line - b[0]!.r.line)) {
    if (copies.length === 1) {
      fold.admit(copies[0]!.r, copies[0]!.original);
      continue;
    }
    for (const c of copies) {
      const others = copies.filter((o) => o !== c).map((o) => `${opts.inputNames[o.r.input] ?? '?'}:${o.r.line}`);
      const named = others.length > PLACES_NAMED ? `${others.slice(0, PLACES_NAMED).join(', ')} and ${others.length - PLACES_NAMED} more` : others.join(', ');
      fold.rejectRow(c.r.input, c.r.line, c.original, { column: 'record_id', message: `duplicate record id, also at ${named}; every copy is rejected`, value: id });
    }
  }
  seen.held.clear();
  return fold;
}

/** Rejects in input and line order (held records are settled after the rest). */
export function sortRejects(outcome: FoldOutcome, keep: number): void {
  outcome.rejects.sort((a, b) => a.input - b.input || a.line - b.line);
  if (outcome.rejects.length > keep) outcome.rejects.length = keep;
}

/**
 * A copy of a string that does not keep alive the chunk it was cut from (V8 keeps a
 * slice's parent): kept cells must not hold the whole input in memory.
 */
export function detach(s: string): string {
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
  /** Every rejected row goes here as it is found (then at most SPILL_KEEP stay in memory). */
  spill?: RejectSink;
  /** Also collect the service report's statistics (`state.stats`); off for everything else. */
  statistics?: boolean;
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
  /** Every rejected row, in order, when they are spilled (`rejects` then holds only the first). */
  spill?: RejectSink;
  /** This part's rows went to the spill already as they were found: a merge must not add them again. */
  spilled?: boolean;
}

export function emptyOutcome(): FoldOutcome {
  return { state: emptyState(), counts: { read: 0, billed: 0, rejected: 0, outside: 0 }, rejects: [], recordsPerInput: [], headers: [] };
}

/**
 * Adds `part` into `into`, which may take over part's state (the caller drops `part`). Parts must be added in input order, and within an input
 * in line order, for the rejects to stay in order; the state merge is exact in any order.
 */
export function mergeOutcome(into: FoldOutcome, part: FoldOutcome, keepRejects: number, lineOffset = 0): void {
  // the first part with customers gives its state to `into` instead of a copy of it
  // (a copy of a million customers' accumulators took seconds and twice the memory):
  // every caller drops `part` once it is merged
  if (into.state.customers.size === 0 && Number.isNaN(into.state.firstMs) && Number.isNaN(into.state.lastMs)) into.state = part.state;
  else mergeState(into.state, part.state);
  into.counts.read += part.counts.read;
  into.counts.billed += part.counts.billed;
  into.counts.rejected += part.counts.rejected;
  into.counts.outside += part.counts.outside;
  if (part.counts.slashDates) into.counts.slashDates = (into.counts.slashDates ?? 0) + part.counts.slashDates;
  if (part.counts.outsideMonths) {
    const months = (into.counts.outsideMonths ??= {});
    for (const [m, n] of Object.entries(part.counts.outsideMonths)) months[m] = (months[m] ?? 0) + n;
  }
  const keep = into.spill ? SPILL_KEEP : keepRejects;
  for (const r of part.rejects) {
    const row = lineOffset === 0 ? r : { ...r, line: r.line + lineOffset };
    if (into.spill && !part.spilled) into.spill.add(row);
    else if (into.rejects.length >= keep) break;
    if (into.rejects.length < keep) into.rejects.push(row);
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
    if (opts.statistics) this.state.stats = emptyStatistics();
  }

  get spilled(): boolean {
    return this.opts.spill !== undefined;
  }

  /** The numbers of the file being read: its decimal mark (decimal-mark.ts). */
  private num: DecimalMark = POINT_NUMBERS;
  /** --date-format for the file being read (none for rows an import profile mapped). */
  private dates: DateFormat | null = null;

  /** The decimal mark of the file being read, as decided so far (null: none of its numbers had one yet). */
  get decimalMark(): Mark {
    return this.num.mark;
  }

  /**
   * Starts a file: returns the problems of its header (a file without the required columns cannot be read).
   * `delimiter`: the file's; `mark`: its decimal mark as decided before this part of it (--jobs chunks).
   */
  header(input: number, header: string[], delimiter: Delimiter = ',', mark: Mark = null): Array<{ column: number; message: string }> {
    this.num = delimiter === ',' ? POINT_NUMBERS : new DecimalMark(delimiter, mark);
    this.dates = this.ctx.dates;
    this.delimiter = delimiter;
    this.delimCode = delimiter.charCodeAt(0);
    const h = mapHeader(header);
    this.recordsPerInput[input] ??= 0;
    this.headers[input] = header;
    this.inPlace = false;
    if (!h.ok) {
      this.columns = null;
      return h.problems;
    }
    this.columns = h.columns;
    this.headerWidth = header.length;
    this.cuts = new Int32Array(header.length + 1);
    // in place only where nothing keeps the record or looks at it beyond the fold
    // (the ids found by hash or known unique, ISO timestamps, nothing watching)
    const o = this.opts;
    this.inPlace = this.seen.checkAt !== undefined && this.seen.hold === undefined && this.dates === null && !o.onRated && !o.skip;
    return [];
  }

  private headerWidth = 0;
  private delimiter: Delimiter = ',';
  private delimCode = 44;
  /** Plain rows may be read in place (`line`). */
  private inPlace = false;
  /** The cells of the line being read in place: cell k is `cuts[k] + 1` to `cuts[k + 1]`. */
  private cuts = new Int32Array(1);
  /** The one record plain rows are read into: rated and added up, never kept. */
  private readonly plain = plainRecord();
  private readonly ids = new IdTexts();

  /**
   * A row given as its line `s[start..end)` (one line, no quotes: its fields are
   * `s.slice(start, end).split(delimiter)`, csv-scanner.ts). The same as `row` of
   * those fields; a plain row is read in place, without a string per cell.
   */
  line(input: number, line: number, s: string, start: number, end: number): void {
    if (!this.inPlace || !this.lineInPlace(input, line, s, start, end)) this.row(input, line, s.slice(start, end).split(this.delimiter));
  }

  /** Reads and folds a plain row in place; false, having changed nothing, when it is not one (then `row` reads it). */
  private lineInPlace(input: number, line: number, s: string, start: number, end: number): boolean {
    const cuts = this.cuts;
    if (!cutLine(s, start, end, this.delimCode, this.headerWidth, cuts)) return false;
    const r = this.plain;
    const columns = this.columns!;
    if (!readPlainRow(s, cuts, columns, this.ctx.zone, markCode(this.num.mark), this.ids, r)) return false;
    r.input = input;
    r.line = line;
    this.counts.read++;
    this.recordsPerInput[input] = (this.recordsPerInput[input] ?? 0) + 1;
    const id = columns.record_id;
    this.seen.checkAt!(s, cuts[id]! + 1, cuts[id + 1]!);
    if (this.outsidePeriod(r.startMs)) return true;
    const rr = rateRecord(r, this.ctx);
    if (isProblem(rr)) {
      // the price list cannot rate it: the row as parseUsageRow reads it, for the message and the cells
      const fields = s.slice(start, end).split(this.delimiter);
      this.fields = fields;
      const full = parseUsageRow(this.get, this.ctx.zone, input, line, this.num, this.dates);
      if (isProblem(full)) throw new Error(`line ${line}: a row read in place is refused when read again (${full.column}: ${full.message})`);
      this.rate(full, fields);
      return true;
    }
    this.add(rr);
    return true;
  }

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
    // the profile's reader gives numbers with a decimal point (it read the file's own mark)
    this.num = POINT_NUMBERS;
    this.dates = null; // and timestamps in ISO 8601
    this.inPlace = false;
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
    const r = parseUsageRow(this.get, this.ctx.zone, input, line, this.num, this.dates);
    if (isProblem(r)) {
      this.reject(input, line, original, r);
      return;
    }
    if (this.seen.hold?.(r, original)) return;
    const first = this.seen.check(r.recordId, input, line);
    if (first) {
      const where = `${this.opts.inputNames[first.input] ?? '?'}:${first.line}`;
      this.reject(input, line, original, { column: 'record_id', message: `duplicate record id, first seen at ${where}`, value: r.recordId });
      return;
    }
    this.admit(r, original);
  }

  /** A record whose id is known to be unique: skipped by a ledger run, counted outside the period, or rated. */
  admit(r: UsageRecord, original: string[]): void {
    if (this.opts.skip?.(r)) return;
    if (this.outsidePeriod(r.startMs)) return;
    this.rate(r, original);
  }

  /** Is a record starting then outside --period? Then it is counted, by its local month. */
  private outsidePeriod(startMs: number): boolean {
    const p = this.opts.period;
    if (!p || !(startMs < p.startMs || startMs >= p.endMs)) return false;
    this.counts.outside++;
    const month = monthOf(startMs, this.ctx);
    const months = (this.counts.outsideMonths ??= {});
    months[month] = (months[month] ?? 0) + 1;
    return true;
  }

  /** A row found bad after it was read (a duplicated id, once every input is read). */
  rejectRow(input: number, line: number, fields: string[], p: RowProblem): void {
    this.reject(input, line, fields, p);
  }

  private rate(r: UsageRecord, fields: string[]): void {
    const rr = rateRecord(r, this.ctx);
    if (isProblem(rr)) {
      this.reject(r.input, r.line, fields, rr);
      return;
    }
    this.add(rr);
  }

  /** A rated record into the state. */
  private add(rr: RatedRecord): void {
    accumulate(this.state, rr);
    const stats = this.state.stats;
    if (stats !== undefined) accumulateStatistics(stats, rr);
    this.counts.billed++;
    this.opts.onRated?.(rr);
  }

  private reject(input: number, line: number, fields: string[], p: RowProblem): void {
    this.counts.rejected++;
    if (p.column === 'started_at' && SLASH_DATE.test(p.value)) this.counts.slashDates = (this.counts.slashDates ?? 0) + 1;
    this.opts.onRejected?.(input, line, p);
    const spill = this.opts.spill;
    const keep = spill ? SPILL_KEEP : this.opts.keepRejects;
    if (!spill && this.rejects.length >= keep) return;
    const row = { input, line, column: p.column, message: p.message, value: detach(p.value), fields: fields.map(detach) };
    spill?.add(row);
    if (this.rejects.length < keep) this.rejects.push(row);
  }
}

/** The local month (YYYY-MM, in the price list's timezone) of an instant. */
function monthOf(ms: number, ctx: RatingContext): string {
  return isoDateOfDay(Math.floor(ctx.zone.toLocal(ms) / DAY_MS)).slice(0, 7);
}
