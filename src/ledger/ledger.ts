import { existsSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type Database from 'better-sqlite3';

/**
 * The native SQLite module, loaded when a ledger is opened: every other command starts
 * without it (and its dozen files), which keeps start-up light. The one deliberate
 * run-time require of the code base.
 */
function sqlite(): typeof Database {
  return require('better-sqlite3') as typeof Database;
}
import { BusyError, ConfigError, DataError, InputError, OutputError, fsErrorText } from '../errors';
import { MIGRATIONS } from './migrations';
import type { Migration } from './migrations';

/**
 * The ledger (SPEC §7): the only module that talks to SQLite. It reads what a run
 * needs (opening balances, issued months, billed record ids, the next numbers) and
 * posts a run in one transaction; it knows nothing of rating or invoices beyond the
 * plain rows it is handed. Every statement is prepared with parameters: no SQL is
 * ever built from input text.
 */

/** `PRAGMA application_id` of a callbill ledger ("CBLD"): tells it from any other SQLite file. */
export const APPLICATION_ID = 0x43424c44;
/** SPEC §7: a second run waits this long for the first before giving up with 75. */
const BUSY_TIMEOUT_MS = 30_000;

export interface LedgerOptions {
  /** Migrations to apply (tests give their own); default: the shipped ones. */
  migrations?: readonly Migration[];
  /** Milliseconds to wait for another run's lock; default 30 s (SPEC §7). */
  busyTimeoutMs?: number;
}

export interface PostLine {
  code: string;
  description: string;
  seconds: number | null;
  quantity: string;
  unit: string;
  unitPrice: string;
  amount: string;
}

export interface PostDocument {
  number: string;
  series: string;
  seq: bigint;
  kind: 'invoice' | 'credit_note';
  customerId: string;
  customerName: string;
  period: string;
  periodStart: string;
  periodEnd: string;
  issueDate: string;
  dueDate: string;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  openingBalance: string;
  closingBalance: string;
  /** The document's JSON object exactly as the run printed it. */
  json: string;
  lines: readonly PostLine[];
  billedIds: Iterable<string>;
  /** More billed ids, as JSON arrays of strings (as worker threads collect them). */
  billedJson?: Iterable<string>;
  /** A credit note: the number of the invoice it reverses (which becomes `credited`). */
  credits?: string;
  /** An invoice of `issue` that opened with the customer's pending adjustments: they are carried now. */
  carriesAdjustments?: boolean;
}

export interface PostAdjustment {
  customerId: string;
  amount: string;
  /** The replacement invoice whose correction left it. */
  replacement: string;
}

export interface PostRun {
  command: 'issue' | 'correct';
  createdAt: string;
  version: string;
  argv: readonly string[];
  period: string;
  issueDate: string;
  priceList: { path: string; sha256: string; text: string };
  counts: { read: number; billed: number; rejected: number; outside: number; alreadyBilled: number; late: number };
  inputs: ReadonlyArray<{ path: string; sha256: string; records: number }>;
  /** The --extras files read, and the control figures of their rows. */
  extras: ReadonlyArray<{ path: string; sha256: string; rows: number }>;
  extrasCounts: { read: number; billed: number; rejected: number; outside: number; late: number };
  billedFingerprints: Uint8Array;
}

export interface DocumentRow {
  id: number;
  number: string;
  kind: 'invoice' | 'credit_note';
  customer_id: string;
  customer_name: string;
  period: string;
  period_start: string;
  period_end: string;
  issue_date: string;
  due_date: string;
  currency: string;
  subtotal: string;
  tax: string;
  total: string;
  opening_balance: string;
  closing_balance: string;
  status: 'issued' | 'credited';
  credits: string | null;
  credited_by: string | null;
  run_id: number;
}

export interface LineRow {
  number: string;
  customer_id: string;
  kind: 'invoice' | 'credit_note';
  position: number;
  code: string;
  description: string;
  seconds: number | null;
  quantity: string;
  unit: string;
  unit_price: string;
  amount: string;
}

export interface RunRow {
  id: number;
  command: string;
  created_at: string;
  version: string;
  argv: string;
  period: string;
  issue_date: string;
  price_list_path: string;
  price_list_sha256: string;
  records_read: number;
  records_billed: number;
  records_rejected: number;
  records_outside_period: number;
  records_already_billed: number;
  records_late: number;
  extras_read: number;
  extras_billed: number;
  extras_rejected: number;
  extras_outside_period: number;
  extras_late: number;
  documents: number;
  inputs: Array<{ path: string; sha256: string; records: number }>;
  extras: Array<{ path: string; sha256: string; rows: number }>;
}

export interface SeriesState {
  lastSeq: bigint;
  lastIssueDate: string;
}

/** What the opening balance of a customer for a month is made of (SPEC §7). */
export interface OpeningParts {
  /** Closing balance of its latest issued invoice before the month (with that invoice's number); null: never issued before. */
  previous: { number: string; period: string; closing: string } | null;
  /** Adjustments not yet carried into an issued invoice. */
  adjustments: string[];
}

type Db = Database.Database;

function missing(path: string): InputError {
  return new InputError(`no ledger at ${path}: create one with \`callbill ledger init\``);
}

function notALedger(path: string, why: string): ConfigError {
  return new ConfigError([{ file: path, line: 0, column: 0, message: `not a callbill ledger (${why})` }]);
}

/** Maps SQLite's busy and locked errors to 75; other errors pass unchanged. */
function busy<T>(path: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
      throw new BusyError(`ledger busy: ${path} is held by another run (waited ${BUSY_TIMEOUT_MS / 1000} s); try again when it has finished`);
    }
    throw e;
  }
}

/**
 * `callbill ledger init`: creates a new ledger, refusing a file that exists (a second
 * numbering must never start by accident, and an existing file is somebody's data).
 */
export function initLedger(path: string, opts: LedgerOptions = {}): void {
  if (existsSync(path)) throw new OutputError(`${path}: already exists; a ledger is created only once (use it with --ledger, or name a new file)`);
  let db: Db;
  try {
    db = new (sqlite())(path);
  } catch (e) {
    throw new OutputError(`${path}: cannot create the ledger: ${fsErrorText(e)}`);
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    const migrations = opts.migrations ?? MIGRATIONS;
    migrate(db, migrations);
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
}

function latestVersion(migrations: readonly Migration[]): number {
  return migrations.length === 0 ? 0 : migrations[migrations.length - 1]!.version;
}

/** Applies every migration above the file's user_version, each in its own transaction with its version. */
function migrate(db: Db, migrations: readonly Migration[]): void {
  for (const m of migrations) {
    db.exec('BEGIN IMMEDIATE');
    try {
      // read again under the lock: another run may have migrated meanwhile
      const v = db.pragma('user_version', { simple: true }) as number;
      if (v < m.version) {
        db.exec(m.sql);
        db.pragma(`user_version = ${m.version | 0}`);
      }
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
  }
}

export function openLedger(path: string, opts: LedgerOptions = {}): Ledger {
  if (!existsSync(path)) throw missing(path);
  try {
    if (statSync(path).isDirectory()) throw notALedger(path, 'it is a folder');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw missing(path);
  }
  let db: Db;
  try {
    db = new (sqlite())(path, { fileMustExist: true, timeout: opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS });
  } catch (e) {
    throw new InputError(`${path}: cannot open the ledger: ${fsErrorText(e)}`);
  }
  try {
    const migrations = opts.migrations ?? MIGRATIONS;
    const latest = latestVersion(migrations);
    let appId: number, version: number;
    try {
      appId = busy(path, () => db.pragma('application_id', { simple: true }) as number);
      version = db.pragma('user_version', { simple: true }) as number;
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw notALedger(path, 'it is not an SQLite database');
      throw e;
    }
    if (appId !== APPLICATION_ID) throw notALedger(path, appId === 0 ? 'an SQLite file that callbill did not create' : `an SQLite file of another application, id ${appId}`);
    if (version > latest) {
      throw new ConfigError([{ file: path, line: 0, column: 0, message: `written by a newer callbill (ledger schema ${version}; this callbill knows up to ${latest}): upgrade callbill to use it` }]);
    }
    db.pragma('foreign_keys = ON');
    // a post of a million billed ids touches tens of MB of b-tree: keep it in memory, not spilled to the WAL
    db.pragma('cache_size = -65536');
    if (version < latest) {
      // SPEC §7: migrated forward on open, each step in its own transaction
      busy(path, () => migrate(db, migrations));
      busy(path, () => db.pragma('wal_checkpoint(TRUNCATE)'));
    }
    return new Ledger(db, path);
  } catch (e) {
    db.close();
    throw e;
  }
}

/** Billed ids per insert statement: the JSON text of a slice stays a few MB. */
const BILLED_PER_STATEMENT = 65536;

/** The items in arrays of at most `n`, in order. */
function* slices<T>(items: Iterable<T>, n: number): Generator<T[]> {
  let slice: T[] = [];
  for (const x of items) {
    slice.push(x);
    if (slice.length === n) {
      yield slice;
      slice = [];
    }
  }
  if (slice.length > 0) yield slice;
}

/** The files SQLite keeps beside a ledger: never an output (SPEC §7, 73). */
export function ledgerFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}

export class Ledger {
  private readonly st: ReturnType<Ledger['prepare']>;

  constructor(private readonly db: Db, readonly path: string) {
    this.st = this.prepare();
  }

  private prepare() {
    const db = this.db;
    return {
      mark: db.prepare('SELECT coalesce(max(id), 0) AS m FROM run').pluck(),
      issuedMonths: db.prepare(`SELECT DISTINCT customer_id, period FROM document WHERE kind = 'invoice' AND status = 'issued'`).raw(),
      billedOnIssued: db.prepare(
        `SELECT 1 FROM billed_record b JOIN document d ON d.id = b.document_id WHERE b.record_id = ? AND d.kind = 'invoice' AND d.status = 'issued' LIMIT 1`,
      ).pluck(),
      billedOn: db.prepare(
        `SELECT d.customer_id, d.period FROM billed_record b JOIN document d ON d.id = b.document_id WHERE b.record_id = ? AND d.kind = 'invoice' AND d.status = 'issued'`,
      ).raw(),
      fingerprints: db.prepare('SELECT billed_fingerprints FROM run ORDER BY id').pluck(),
      previous: db.prepare(
        `SELECT number, period, closing_balance FROM document WHERE customer_id = ? AND kind = 'invoice' AND status = 'issued' AND period < ? ORDER BY period DESC LIMIT 1`,
      ).raw(),
      previousAll: db.prepare(
        `SELECT d.customer_id, d.number, d.period, d.closing_balance FROM document d
         WHERE d.kind = 'invoice' AND d.status = 'issued' AND d.period < ?
           AND d.period = (SELECT max(e.period) FROM document e WHERE e.customer_id = d.customer_id AND e.kind = 'invoice' AND e.status = 'issued' AND e.period < ?)`,
      ).raw(),
      pendingAdjustments: db.prepare(`SELECT customer_id, amount FROM adjustment WHERE carried_by IS NULL ORDER BY id`).raw(),
      customersWithInvoice: db.prepare(`SELECT DISTINCT customer_id FROM document WHERE kind = 'invoice'`).pluck(),
      issuedFor: db.prepare(`SELECT ${DOC_COLUMNS} FROM document d WHERE d.customer_id = ? AND d.period = ? AND d.kind = 'invoice' AND d.status = 'issued'`),
      issuedAfter: db.prepare(
        `SELECT ${DOC_COLUMNS} FROM document d WHERE d.customer_id = ? AND d.period > ? AND d.kind = 'invoice' AND d.status = 'issued' ORDER BY d.period DESC LIMIT 1`,
      ),
      series: db.prepare('SELECT last_seq, last_issue_date FROM series WHERE name = ?').safeIntegers(true).raw(),
      insertRun: db.prepare(
        `INSERT INTO run (command, created_at, version, argv, period, issue_date, price_list_path, price_list_sha256, price_list_text,
           records_read, records_billed, records_rejected, records_outside_period, records_already_billed, records_late, billed_fingerprints,
           extras_read, extras_billed, extras_rejected, extras_outside_period, extras_late)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      insertInput: db.prepare('INSERT INTO run_input (run_id, position, path, sha256, records) VALUES (?, ?, ?, ?, ?)'),
      insertExtras: db.prepare('INSERT INTO run_extras (run_id, position, path, sha256, rows) VALUES (?, ?, ?, ?, ?)'),
      upsertSeries: db.prepare(
        `INSERT INTO series (name, last_seq, last_issue_date) VALUES (?, ?, ?)
         ON CONFLICT (name) DO UPDATE SET last_seq = excluded.last_seq, last_issue_date = excluded.last_issue_date`,
      ),
      insertDocument: db.prepare(
        `INSERT INTO document (number, series, seq, kind, run_id, customer_id, customer_name, period, period_start, period_end,
           issue_date, due_date, currency, subtotal, tax, total, opening_balance, closing_balance, status, credits, json)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'issued', ?, ?)`,
      ),
      documentId: db.prepare('SELECT id FROM document WHERE number = ?').pluck(),
      credit: db.prepare(`UPDATE document SET status = 'credited', credited_by = ? WHERE id = ? AND status = 'issued' AND kind = 'invoice'`),
      insertLine: db.prepare(
        'INSERT INTO line (document_id, position, code, description, seconds, quantity, unit, unit_price, amount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      carry: db.prepare('UPDATE adjustment SET carried_by = ? WHERE customer_id = ? AND carried_by IS NULL'),
      insertAdjustment: db.prepare('INSERT INTO adjustment (customer_id, amount, replacement_id) VALUES (?, ?, ?)'),
      documents: db.prepare(`SELECT ${DOC_COLUMNS} FROM document d ORDER BY d.id`),
      documentJson: db.prepare('SELECT json FROM document WHERE number = ?').pluck(),
      // the ledger as run `after` left it: invoices stored by then and not yet credited then
      billedAsOf: db.prepare(
        `SELECT 1 FROM billed_record b JOIN document d ON d.id = b.document_id
          WHERE b.record_id = ? AND d.kind = 'invoice' AND d.run_id <= ?
            AND (d.credited_by IS NULL OR (SELECT c.run_id FROM document c WHERE c.id = d.credited_by) > ?) LIMIT 1`,
      ).pluck(),
      issuedMonthsAsOf: db.prepare(
        `SELECT DISTINCT d.customer_id, d.period FROM document d WHERE d.kind = 'invoice' AND d.run_id <= ?
            AND (d.credited_by IS NULL OR (SELECT c.run_id FROM document c WHERE c.id = d.credited_by) > ?)`,
      ).raw(),
      priceListOf: db.prepare('SELECT r.price_list_path, r.price_list_text FROM document d JOIN run r ON r.id = d.run_id WHERE d.number = ?').raw(),
      documentByNumber: db.prepare(`SELECT ${DOC_COLUMNS} FROM document d WHERE d.number = ?`),
      billedIdsOf: db.prepare(
        `SELECT d.number, b.record_id FROM billed_record b JOIN document d ON d.id = b.document_id
         WHERE b.document_id IN (SELECT o.id FROM document o JOIN json_each(?) j ON j.value = o.number)`,
      ).raw(),
      lines: db.prepare(
        `SELECT d.number, d.customer_id, d.kind, l.position, l.code, l.description, l.seconds, l.quantity, l.unit, l.unit_price, l.amount
         FROM line l JOIN document d ON d.id = l.document_id ORDER BY d.id, l.position`,
      ),
      runs: db.prepare(
        `SELECT r.id, r.command, r.created_at, r.version, r.argv, r.period, r.issue_date, r.price_list_path, r.price_list_sha256,
           r.records_read, r.records_billed, r.records_rejected, r.records_outside_period, r.records_already_billed, r.records_late,
           r.extras_read, r.extras_billed, r.extras_rejected, r.extras_outside_period, r.extras_late,
           (SELECT count(*) FROM document d WHERE d.run_id = r.id) AS documents
         FROM run r ORDER BY r.id`,
      ),
      inputsOf: db.prepare('SELECT path, sha256, records FROM run_input WHERE run_id = ? ORDER BY position'),
      extrasOf: db.prepare('SELECT path, sha256, rows FROM run_extras WHERE run_id = ? ORDER BY position'),
    };
  }

  close(): void {
    if (this.db.inTransaction) this.db.exec('ROLLBACK');
    this.db.close();
  }

  /**
   * Starts the read of a run: one read transaction, so that every look-up while the
   * run computes sees the same ledger. Returns the mark that `post` checks.
   */
  beginRead(): number {
    return busy(this.path, () => {
      this.db.exec('BEGIN DEFERRED');
      return this.st.mark.get() as number;
    });
  }

  endRead(): void {
    if (this.db.inTransaction) this.db.exec('COMMIT');
  }

  /** Customer and month pairs with an issued invoice. */
  issuedMonths(): Array<{ customerId: string; period: string }> {
    return (this.st.issuedMonths.all() as string[][]).map(([customerId, period]) => ({ customerId: customerId!, period: period! }));
  }

  /** SPEC §7: decided on the exact id: billed on an issued invoice. */
  isBilled(recordId: string): boolean {
    return this.st.billedOnIssued.get(recordId) !== undefined;
  }

  /** The (customer, month) of the issued invoices that billed this record id. */
  billedOn(recordId: string): Array<{ customerId: string; period: string }> {
    return (this.st.billedOn.all(recordId) as string[][]).map(([customerId, period]) => ({ customerId: customerId!, period: period! }));
  }

  /** Every run's fingerprints of the ids it billed, for a pre-filter. */
  billedFingerprints(): Buffer[] {
    return this.st.fingerprints.all() as Buffer[];
  }

  /** SPEC §7 opening balances for month `period`, of every customer with an invoice before it or a pending adjustment. */
  openingParts(period: string): Map<string, OpeningParts> {
    const out = new Map<string, OpeningParts>();
    for (const [c, number, p, closing] of this.st.previousAll.all(period, period) as string[][]) {
      out.set(c!, { previous: { number: number!, period: p!, closing: closing! }, adjustments: [] });
    }
    for (const [c, amount] of this.st.pendingAdjustments.all() as string[][]) {
      const e = out.get(c!) ?? { previous: null, adjustments: [] };
      e.adjustments.push(amount!);
      out.set(c!, e);
    }
    return out;
  }

  /** The closing balance of the customer's latest issued invoice before `period`. */
  previousInvoice(customerId: string, period: string): { number: string; period: string; closing: string } | null {
    const r = this.st.previous.get(customerId, period) as string[] | undefined;
    return r ? { number: r[0]!, period: r[1]!, closing: r[2]! } : null;
  }

  /** Customers that have any invoice in the ledger (`--balances-in` may seed only the others). */
  customersWithInvoice(): Set<string> {
    return new Set(this.st.customersWithInvoice.all() as string[]);
  }

  /** The issued (not credited) invoice of a customer for a month. */
  issuedFor(customerId: string, period: string): DocumentRow | null {
    return (this.st.issuedFor.get(customerId, period) as DocumentRow | undefined) ?? null;
  }

  /** The latest issued invoice of a customer for a month after `period`. */
  issuedAfter(customerId: string, period: string): DocumentRow | null {
    return (this.st.issuedAfter.get(customerId, period) as DocumentRow | undefined) ?? null;
  }

  series(name: string): SeriesState | null {
    const r = this.st.series.get(name) as bigint[] | undefined;
    return r ? { lastSeq: r[0]!, lastIssueDate: String(r[1]) } : null;
  }

  /**
   * Numbers for new documents, in the order given (SPEC §7: no gap, no reuse; numbers
   * and dates go up together, so an issue date before the series' latest is refused, 65).
   */
  assignNumbers(requests: ReadonlyArray<{ series: string; issueDate: string }>): bigint[] {
    const next = this.numberer();
    return requests.map((r) => next(r));
  }

  /** The same one document at a time, in order: each call takes the next number of its series. */
  numberer(): (r: { series: string; issueDate: string }) => bigint {
    const next = new Map<string, SeriesState | null>();
    return (r) => {
      if (!next.has(r.series)) next.set(r.series, this.series(r.series));
      const s = next.get(r.series) ?? null;
      if (s && r.issueDate < s.lastIssueDate) {
        throw new DataError(
          `issue date ${r.issueDate} is earlier than ${s.lastIssueDate}, the latest already used in the series "${r.series}" (number ${s.lastSeq}): numbers and dates go up together; give --issue-date ${s.lastIssueDate} or later`,
        );
      }
      const seq = (s?.lastSeq ?? 0n) + 1n;
      next.set(r.series, { lastSeq: seq, lastIssueDate: r.issueDate });
      return seq;
    };
  }

  /** The record ids each of these documents billed (one scan of the billed records, for `correct`). */
  billedIdsOf(numbers: readonly string[]): Map<string, string[]> {
    const out = new Map<string, string[]>(numbers.map((n) => [n, []]));
    for (const [n, id] of this.st.billedIdsOf.iterate(JSON.stringify(numbers)) as Iterable<string[]>) out.get(n!)?.push(id!);
    return out;
  }

  /**
   * Posts a run in one transaction under BEGIN IMMEDIATE (SPEC §7). `mark` is what
   * `beginRead` returned: when another run committed since, nothing is stored (75).
   * Ends with a checkpoint, so that a plain copy of the closed file is complete.
   */
  post(mark: number, run: PostRun, docs: Iterable<PostDocument>, adjustments: readonly PostAdjustment[] = []): number {
    this.endRead();
    const st = this.st;
    const runId = busy(this.path, () => {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        if ((st.mark.get() as number) !== mark) {
          throw new BusyError(`ledger busy: another run committed to ${this.path} while this one was computing; nothing was stored, run it again`);
        }
        // the numbers were assigned from what this run read; nothing changed since, so they must still follow on
        for (const d of docs) {
          const s = this.series(d.series);
          if ((s?.lastSeq ?? 0n) + 1n !== d.seq) throw new Error(`number ${d.number} does not follow on in its series ${d.series}`);
          if (s && d.issueDate < s.lastIssueDate) throw new Error(`issue date of ${d.number} goes back in its series`);
          st.upsertSeries.run(d.series, d.seq, d.issueDate);
        }
        const c = run.counts;
        const id = Number(
          st.insertRun.run(
            run.command, run.createdAt, run.version, JSON.stringify(run.argv), run.period, run.issueDate,
            run.priceList.path, run.priceList.sha256, run.priceList.text,
            c.read, c.billed, c.rejected, c.outside, c.alreadyBilled, c.late, Buffer.from(run.billedFingerprints.buffer, run.billedFingerprints.byteOffset, run.billedFingerprints.byteLength),
            run.extrasCounts.read, run.extrasCounts.billed, run.extrasCounts.rejected, run.extrasCounts.outside, run.extrasCounts.late,
          ).lastInsertRowid,
        );
        run.inputs.forEach((inp, i) => st.insertInput.run(id, i, inp.path, inp.sha256, inp.records));
        run.extras.forEach((x, i) => st.insertExtras.run(id, i, x.path, x.sha256, x.rows));
        this.db.exec('CREATE TEMP TABLE IF NOT EXISTS post_billed (record_id TEXT NOT NULL, document_id INTEGER NOT NULL)');
        const stage = this.db.prepare('INSERT INTO temp.post_billed (record_id, document_id) SELECT value, ? FROM json_each(?)');
        for (const d of docs) {
          const credits = d.credits === undefined ? null : (st.documentId.get(d.credits) as number | undefined);
          if (d.credits !== undefined && credits === undefined) throw new Error(`credit note ${d.number}: no document ${d.credits}`);
          const docId = Number(
            st.insertDocument.run(
              d.number, d.series, d.seq, d.kind, id, d.customerId, d.customerName, d.period, d.periodStart, d.periodEnd,
              d.issueDate, d.dueDate, d.currency, d.subtotal, d.tax, d.total, d.openingBalance, d.closingBalance, credits ?? null, d.json,
            ).lastInsertRowid,
          );
          d.lines.forEach((l, i) => st.insertLine.run(docId, i + 1, l.code, l.description, l.seconds, l.quantity, l.unit, l.unitPrice, l.amount));
          for (const ids of slices(d.billedIds, BILLED_PER_STATEMENT)) stage.run(docId, JSON.stringify(ids));
          for (const json of d.billedJson ?? []) stage.run(docId, json);
          if (credits !== undefined && credits !== null) {
            if (st.credit.run(docId, credits).changes !== 1) throw new Error(`credit note ${d.number}: ${d.credits} is not an issued invoice`);
          }
          if (d.carriesAdjustments) st.carry.run(docId, d.customerId);
        }
        // the billed ids wait in a temporary table and go into theirs in its key order: SQLite
        // sorts them natively and then appends, where ids in the order read would be scattered
        // over the table (each document's over all of it)
        this.db.exec('INSERT INTO billed_record (record_id, document_id) SELECT record_id, document_id FROM temp.post_billed ORDER BY record_id, document_id');
        this.db.exec('DELETE FROM temp.post_billed');
        for (const a of adjustments) {
          const rep = st.documentId.get(a.replacement) as number | undefined;
          if (rep === undefined) throw new Error(`adjustment: no document ${a.replacement}`);
          st.insertAdjustment.run(a.customerId, a.amount, rep);
        }
        this.db.exec('COMMIT');
        return id;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    });
    this.checkpoint();
    return runId;
  }

  /** Writes the WAL back into the main file (SPEC §7: a plain copy of the closed file is complete). */
  checkpoint(): void {
    // never wait for a run that is reading (it holds a snapshot while it computes): what
    // cannot be copied back now is copied by the next write, or when the last run closes
    const timeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.pragma('wal_checkpoint(TRUNCATE)');
    } catch {
      // another connection is checkpointing: the commit is durable all the same
    } finally {
      this.db.pragma(`busy_timeout = ${timeout | 0}`);
    }
  }

  documents(): DocumentRow[] {
    return this.st.documents.all() as DocumentRow[];
  }

  document(number: string): DocumentRow | null {
    return (this.st.documentByNumber.get(number) as DocumentRow | undefined) ?? null;
  }

  documentJson(number: string): string | null {
    return (this.st.documentJson.get(number) as string | undefined) ?? null;
  }

  /** Was the record billed on an invoice issued (and not yet credited) when run `afterRun` was the ledger's last? (verify's replay) */
  billedAsOf(recordId: string, afterRun: number): boolean {
    return this.st.billedAsOf.get(recordId, afterRun, afterRun) !== undefined;
  }

  /** The months issued per customer when run `afterRun` was the ledger's last (verify's replay). */
  issuedMonthsAsOf(afterRun: number): Array<{ customerId: string; period: string }> {
    return (this.st.issuedMonthsAsOf.all(afterRun, afterRun) as string[][]).map(([customerId, period]) => ({ customerId: customerId!, period: period! }));
  }

  /** The price list a document was issued with, as the run stored it (its path as given then, and its text). */
  priceListOf(number: string): { path: string; text: string } | null {
    const r = this.st.priceListOf.get(number) as [string, string] | undefined;
    return r ? { path: r[0], text: r[1] } : null;
  }

  lines(): LineRow[] {
    return this.st.lines.all() as LineRow[];
  }

  runs(): RunRow[] {
    return (this.st.runs.all() as Omit<RunRow, 'inputs' | 'extras'>[]).map((r) => ({
      ...r,
      inputs: this.st.inputsOf.all(r.id) as RunRow['inputs'],
      extras: this.st.extrasOf.all(r.id) as RunRow['extras'],
    }));
  }

  /** Pending adjustments, in the order made. */
  pendingAdjustments(): Array<{ customerId: string; amount: string }> {
    return (this.st.pendingAdjustments.all() as string[][]).map(([customerId, amount]) => ({ customerId: customerId!, amount: amount! }));
  }

  /**
   * `ledger backup FILE` (SPEC §7): SQLite's online backup, consistent while another
   * run writes, into a temporary name renamed over nothing: an existing file is refused.
   */
  async backup(file: string): Promise<void> {
    if (existsSync(file)) throw new OutputError(`${file}: already exists; a backup never overwrites a file`);
    const tmp = join(dirname(file), `.callbill-tmp-${process.pid}-${basename(file)}`);
    try {
      await this.db.backup(tmp);
      const copy = new (sqlite())(tmp);
      try {
        copy.pragma('journal_mode = DELETE');
      } finally {
        copy.close();
      }
      if (existsSync(file)) throw new OutputError(`${file}: already exists; a backup never overwrites a file`);
      renameSync(tmp, file);
    } catch (e) {
      try {
        unlinkSync(tmp);
      } catch {
        // not created
      }
      if (e instanceof OutputError) throw e;
      throw new OutputError(`${file}: cannot write the backup: ${fsErrorText(e)}`);
    }
  }
}

const DOC_COLUMNS = `d.id, d.number, d.kind, d.customer_id, d.customer_name, d.period, d.period_start, d.period_end, d.issue_date, d.due_date,
  d.currency, d.subtotal, d.tax, d.total, d.opening_balance, d.closing_balance, d.status, d.run_id,
  (SELECT o.number FROM document o WHERE o.id = d.credits) AS credits,
  (SELECT o.number FROM document o WHERE o.id = d.credited_by) AS credited_by`;
