import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BusyError, ConfigError, DataError, InputError, OutputError } from '../../src/errors';
import { APPLICATION_ID, initLedger, openLedger } from '../../src/ledger/ledger';
import type { PostDocument, PostRun } from '../../src/ledger/ledger';
import { MIGRATIONS } from '../../src/ledger/migrations';
import { fillNumber, seriesOf } from '../../src/invoice/invoice-number';
import { HEAD, priceErrors, prices } from '../helpers/prices';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-ledger-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function run(over: Partial<PostRun> = {}): PostRun {
  return {
    command: 'issue',
    createdAt: '2026-11-01T08:00:00.000Z',
    version: '0.1.0',
    argv: ['issue', '--period', '2026-10'],
    period: '2026-10',
    issueDate: '2026-11-01',
    priceList: { path: 'p.yaml', sha256: 'ab', text: 'currency: EUR\n' },
    counts: { read: 2, billed: 2, rejected: 0, outside: 0, alreadyBilled: 0, late: 0 },
    inputs: [{ path: 'u.csv', sha256: 'cd', records: 2 }],
    extras: [],
    extrasCounts: { read: 0, billed: 0, rejected: 0, outside: 0, late: 0 },
    billedFingerprints: new Uint8Array(0),
    ...over,
  };
}

function doc(number: string, seq: bigint, over: Partial<PostDocument> = {}): PostDocument {
  return {
    number,
    series: 'INV-2026-',
    seq,
    kind: 'invoice',
    customerId: 'ACME',
    customerName: 'Acme',
    period: '2026-10',
    periodStart: '2026-10-01',
    periodEnd: '2026-10-31',
    issueDate: '2026-11-01',
    dueDate: '2026-11-01',
    currency: 'EUR',
    subtotal: '100.00',
    tax: '23.00',
    total: '123.00',
    openingBalance: '0.00',
    closingBalance: '45.00',
    json: `{"invoice_number": "${number}"}\n`,
    lines: [{ code: 'voice.usage', description: 'Voice', seconds: 60, quantity: '1', unit: 'minute', unitPrice: '0.85', amount: '0.85' }],
    billedIds: ['A-1', 'A-2'],
    ...over,
  };
}

describe('numbering templates', () => {
  test('{seq:N} pads, {year} is the issue date year, the series leaves {seq} out', () => {
    const f = { customer: 'ACME', period: '2026-10', issueDate: '2027-01-03' };
    expect(fillNumber('INV-{year}-{seq:5}', { ...f, seq: 42n })).toBe('INV-2027-00042');
    expect(fillNumber('{customer}/{period}/{seq}', { ...f, seq: 7n })).toBe('ACME/2026-10/7');
    expect(fillNumber('INV-{year}-{seq:3}', { ...f, seq: 12345n })).toBe('INV-2027-12345');
    expect(seriesOf('INV-{year}-{seq:5}', f)).toBe('INV-2027-');
    expect(fillNumber('{customer}-{seq}', { ...f, seq: null })).toBe('ACME-DRAFT');
    // one pass: a customer id that looks like a placeholder is printed as it is
    expect(fillNumber('{customer}-{period}', { ...f, customer: '{period}', seq: null })).toBe('{period}-2026-10');
  });
});

describe('number templates in the price list', () => {
  const PLAN = `plans:\n  p:\n    versions:\n      - effective_from: 2026-01-01\n        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }\n`;
  test('{seq}, {seq:N} and {year} are accepted; credit_note_number defaults to CN-{year}-{seq:5}', () => {
    const p = prices(`${HEAD}invoice_number: "INV-{year}-{seq:5}"\n${PLAN}`);
    expect(p.invoiceNumber).toBe('INV-{year}-{seq:5}');
    expect(p.creditNoteNumber).toBe('CN-{year}-{seq:5}');
  });
  test('unknown placeholders, a width of 0, a template with neither {customer} nor {seq}, a credit note template without {seq}', () => {
    expect(priceErrors(`${HEAD}invoice_number: "INV-{seq:0}-{yr}"\ncredit_note_number: "CN-{customer}"\n${PLAN}`)).toEqual([
      '4:17: invoice_number: unknown placeholder {seq:0} (expected {customer}, {period}, {year}, {seq} or {seq:N} with N from 1 to 99)',
      '4:17: invoice_number: unknown placeholder {yr} (expected {customer}, {period}, {year}, {seq} or {seq:N} with N from 1 to 99)',
      '4:17: invoice_number: must contain {customer} or {seq}, or two customers would share a number',
      '5:21: credit_note_number: must contain {seq} (credit notes are numbered by the ledger)',
    ]);
  });
});

describe('initLedger / openLedger', () => {
  test('init creates a WAL ledger of the latest schema; a second init is refused (73)', () => {
    const p = join(dir, 'callbill.db');
    initLedger(p);
    const db = new Database(p);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[MIGRATIONS.length - 1]!.version);
    db.close();
    expect(() => initLedger(p)).toThrow(OutputError);
  });

  test('a missing ledger is 66 with the message of SPEC §7', () => {
    const p = join(dir, 'none.db');
    expect(() => openLedger(p)).toThrow(InputError);
    expect(() => openLedger(p)).toThrow(`no ledger at ${p}: create one with \`callbill ledger init\``);
    expect(existsSync(p)).toBe(false);
  });

  test('a file that is not SQLite, a foreign SQLite file and a newer schema are refused (78)', () => {
    const text = join(dir, 'text.db');
    writeFileSync(text, 'customer_id,diversion_balance\nACME,1.00\n'.repeat(200));
    expect(() => openLedger(text)).toThrow(ConfigError);
    expect(() => openLedger(text)).toThrow(/not a callbill ledger \(it is not an SQLite database\)/);

    const foreign = join(dir, 'foreign.db');
    const f = new Database(foreign);
    f.exec('CREATE TABLE t (x)');
    f.close();
    expect(() => openLedger(foreign)).toThrow(/not a callbill ledger \(an SQLite file that callbill did not create\)/);

    const newer = join(dir, 'newer.db');
    initLedger(newer);
    const n = new Database(newer);
    n.pragma('user_version = 99');
    n.close();
    expect(() => openLedger(newer)).toThrow(/written by a newer callbill \(ledger schema 99; this callbill knows up to 2\)/);
  });

  test('foreign keys are on: a line of a document that does not exist is refused', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const l = openLedger(p);
    l.post(0, run(), [doc('INV-2026-00001', 1n)]);
    l.close();
    // the same pragmas through a second connection opened like the ledger's
    const db = new Database(p);
    db.pragma('foreign_keys = ON');
    expect(() => db.prepare("INSERT INTO line VALUES (999, 1, 'x', 'x', null, '1', 'item', '1', '1')").run()).toThrow(/FOREIGN KEY/);
    // money can never be stored as REAL: a number given is kept as exact text
    db.prepare("UPDATE document SET total = 1.5 WHERE number = 'INV-2026-00001'").run();
    expect(db.prepare("SELECT typeof(total) FROM document").pluck().all()).toEqual(['text']);
    expect(db.prepare("SELECT count(*) FROM document WHERE typeof(subtotal) = 'real' OR typeof(tax) = 'real' OR typeof(opening_balance) = 'real'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('migrations', () => {
  test('a ledger of the previous schema is migrated forward on open, keeping its documents', () => {
    // a version-1 ledger written by SQL as an older callbill left it
    const p = join(dir, 'v1.db');
    const db = new Database(p);
    db.pragma('journal_mode = WAL');
    db.pragma(`application_id = ${APPLICATION_ID}`);
    db.exec(MIGRATIONS[0]!.sql);
    db.pragma('user_version = 1');
    db.exec(`INSERT INTO run (id, command, created_at, version, argv, period, issue_date, price_list_path, price_list_sha256, price_list_text,
               records_read, records_billed, records_rejected, records_outside_period, records_already_billed, records_late, billed_fingerprints)
             VALUES (1, 'issue', '2026-11-01T00:00:00Z', '0.0.9', '[]', '2026-10', '2026-11-01', 'p.yaml', 'x', 'y', 1, 1, 0, 0, 0, 0, x'')`);
    db.exec(`INSERT INTO series VALUES ('INV-2026-', 1, '2026-11-01')`);
    db.exec(`INSERT INTO document (id, number, series, seq, kind, run_id, customer_id, customer_name, period, period_start, period_end, issue_date, due_date,
               currency, subtotal, tax, total, opening_balance, closing_balance, status, json)
             VALUES (1, 'INV-2026-00001', 'INV-2026-', 1, 'invoice', 1, 'ACME', 'Acme', '2026-10', '2026-10-01', '2026-10-31', '2026-11-01', '2026-11-01',
               'EUR', '10.00', '0.00', '10.00', '0.00', '5.00', 'issued', '{}')`);
    db.close();

    const next = MIGRATIONS.length + 1;
    const v2 = [...MIGRATIONS, { version: next, sql: "ALTER TABLE document ADD COLUMN note TEXT NOT NULL DEFAULT 'migrated'" }];
    const l = openLedger(p, { migrations: v2 });
    expect(l.documents().map((d) => d.number)).toEqual(['INV-2026-00001']);
    // the run stored before services on request were recorded: no extras, counts 0
    expect(l.runs().map((r) => [r.id, r.extras, r.extras_read, r.extras_late])).toEqual([[1, [], 0, 0]]);
    expect(l.openingParts('2026-11').get('ACME')?.previous?.closing).toBe('5.00');
    l.close();
    const after = new Database(p);
    expect(after.pragma('user_version', { simple: true })).toBe(next);
    expect(after.prepare('SELECT note FROM document').pluck().get()).toBe('migrated');
    after.close();
    // the shipped callbill (which knows one version fewer) now refuses the file as newer
    expect(() => openLedger(p)).toThrow(/newer callbill/);
  });

  test('a migration that fails leaves the file at its version', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const bad = [...MIGRATIONS, { version: MIGRATIONS.length + 1, sql: 'CREATE TABLE extra (x); THIS IS NOT SQL' }];
    expect(() => openLedger(p, { migrations: bad })).toThrow();
    const db = new Database(p);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'extra'").pluck().get()).toBe(0);
    db.close();
  });
});

describe('numbers and posts', () => {
  test('numbers follow on per series with no gap; an earlier issue date is refused (65)', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const l = openLedger(p);
    let mark = l.beginRead();
    expect(l.assignNumbers([{ series: 'A-', issueDate: '2026-11-01' }, { series: 'B-', issueDate: '2026-11-01' }, { series: 'A-', issueDate: '2026-11-01' }])).toEqual([1n, 1n, 2n]);
    l.post(mark, run(), [doc('A-1', 1n, { series: 'A-' }), doc('A-2', 2n, { series: 'A-', customerId: 'B' })]);
    mark = l.beginRead();
    expect(l.assignNumbers([{ series: 'A-', issueDate: '2026-12-01' }])).toEqual([3n]);
    expect(() => l.assignNumbers([{ series: 'A-', issueDate: '2026-10-31' }])).toThrow(DataError);
    expect(() => l.assignNumbers([{ series: 'A-', issueDate: '2026-10-31' }])).toThrow(/issue date 2026-10-31 is earlier than 2026-11-01/);
    l.endRead();
    l.close();
  });

  test('a post after another run committed stores nothing and is 75', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const a = openLedger(p);
    const b = openLedger(p);
    const markA = a.beginRead();
    const markB = b.beginRead();
    a.post(markA, run(), [doc('INV-2026-00001', 1n)]);
    expect(() => b.post(markB, run({ period: '2026-11' }), [doc('INV-2026-00002', 2n, { period: '2026-11' })])).toThrow(BusyError);
    expect(b.documents().map((d) => d.number)).toEqual(['INV-2026-00001']);
    expect(b.runs()).toHaveLength(1);
    a.close();
    b.close();
  });

  test('a run that cannot get the lock in time is 75 ("ledger busy")', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const holder = new Database(p);
    holder.exec('BEGIN IMMEDIATE');
    const l = openLedger(p, { busyTimeoutMs: 0 });
    const mark = l.beginRead();
    expect(() => l.post(mark, run(), [doc('INV-2026-00001', 1n)])).toThrow(/ledger busy/);
    holder.exec('ROLLBACK');
    holder.close();
    expect(l.documents()).toEqual([]);
    l.close();
  });

  test('a failing post rolls back everything: no run, no number, no billed id', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const l = openLedger(p);
    const mark = l.beginRead();
    // the second document reuses the first's number: UNIQUE fails after the first was inserted
    expect(() => l.post(mark, run(), [doc('X-1', 1n, { series: 'X-' }), doc('X-1', 2n, { series: 'X-' })])).toThrow();
    expect(l.documents()).toEqual([]);
    expect(l.runs()).toEqual([]);
    expect(l.series('X-')).toBeNull();
    expect(l.isBilled('A-1')).toBe(false);
    l.close();
  });

  test('billed ids, credit notes, adjustments and opening balances', () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const l = openLedger(p);
    l.post(l.beginRead(), run(), [doc('INV-2026-00001', 1n)]);
    expect(l.isBilled('A-1')).toBe(true);
    expect(l.isBilled('A-10')).toBe(false);
    expect(l.issuedMonths()).toEqual([{ customerId: 'ACME', period: '2026-10' }]);
    expect(l.openingParts('2026-11').get('ACME')).toEqual({ previous: { number: 'INV-2026-00001', period: '2026-10', closing: '45.00' }, adjustments: [] });
    expect(l.openingParts('2026-10').has('ACME')).toBe(false);

    // November issued from October's closing
    l.post(l.beginRead(), run({ period: '2026-11', issueDate: '2026-12-01' }), [
      doc('INV-2026-00002', 2n, { period: '2026-11', issueDate: '2026-12-01', openingBalance: '45.00', closingBalance: '30.00', billedIds: ['A-3'] }),
    ]);
    // October corrected: credit note, replacement, adjustment of closing balances 50.00 − 45.00
    l.post(l.beginRead(), run({ command: 'correct', issueDate: '2026-12-02' }), [
      doc('CN-2026-00001', 1n, { series: 'CN-2026-', kind: 'credit_note', credits: 'INV-2026-00001', issueDate: '2026-12-02', subtotal: '-100.00', billedIds: [] }),
      doc('INV-2026-00003', 3n, { issueDate: '2026-12-02', closingBalance: '50.00', billedIds: ['A-1', 'A-2', 'A-9'] }),
    ], [{ customerId: 'ACME', amount: '5.00', replacement: 'INV-2026-00003' }]);
    const docs = l.documents();
    expect(docs.map((d) => [d.number, d.status, d.credits, d.credited_by])).toEqual([
      ['INV-2026-00001', 'credited', null, 'CN-2026-00001'],
      ['INV-2026-00002', 'issued', null, null],
      ['CN-2026-00001', 'issued', 'INV-2026-00001', null],
      ['INV-2026-00003', 'issued', null, null],
    ]);
    expect(l.isBilled('A-9')).toBe(true);
    // December opens with November's closing plus the pending adjustment
    expect(l.openingParts('2026-12').get('ACME')).toEqual({ previous: { number: 'INV-2026-00002', period: '2026-11', closing: '30.00' }, adjustments: ['5.00'] });
    l.post(l.beginRead(), run({ period: '2026-12', issueDate: '2027-01-01' }), [
      doc('INV-2027-00001', 1n, { series: 'INV-2027-', period: '2026-12', issueDate: '2027-01-01', carriesAdjustments: true, billedIds: ['A-20'] }),
    ]);
    expect(l.pendingAdjustments()).toEqual([]);
    expect(l.openingParts('2027-01').get('ACME')?.adjustments).toEqual([]);
    l.close();
  });

  test('backup: a complete copy while the ledger is open; an existing file is refused', async () => {
    const p = join(dir, 'l.db');
    initLedger(p);
    const l = openLedger(p);
    l.post(l.beginRead(), run(), [doc('INV-2026-00001', 1n)]);
    const copy = join(dir, 'copy.db');
    await l.backup(copy);
    await expect(l.backup(copy)).rejects.toThrow(OutputError);
    l.close();
    const c = openLedger(copy);
    expect(c.documents().map((d) => d.number)).toEqual(['INV-2026-00001']);
    expect(c.isBilled('A-2')).toBe(true);
    c.close();
  });
});
