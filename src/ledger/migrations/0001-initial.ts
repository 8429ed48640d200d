/**
 * Schema version 1 of the ledger (SPEC §7). Money is exact decimal TEXT, checked to be
 * text so that a REAL can never be stored by mistake. Every document keeps its JSON
 * object as issued (`json`, the bytes `ledger show --format json` prints) beside the
 * normalised rows that the queries and `ledger export` read.
 */
export const sql = `
CREATE TABLE run (
  id INTEGER PRIMARY KEY,
  command TEXT NOT NULL CHECK (command IN ('issue', 'correct')),
  created_at TEXT NOT NULL,
  version TEXT NOT NULL,
  argv TEXT NOT NULL,
  period TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  price_list_path TEXT NOT NULL,
  price_list_sha256 TEXT NOT NULL,
  price_list_text TEXT NOT NULL,
  records_read INTEGER NOT NULL,
  records_billed INTEGER NOT NULL,
  records_rejected INTEGER NOT NULL,
  records_outside_period INTEGER NOT NULL,
  records_already_billed INTEGER NOT NULL,
  records_late INTEGER NOT NULL,
  -- 64-bit hashes (two little-endian uint32 each) of the record ids this run billed:
  -- a pre-filter for the exact look-up in billed_record, never a decision on its own
  billed_fingerprints BLOB NOT NULL
);

CREATE TABLE run_input (
  run_id INTEGER NOT NULL REFERENCES run (id),
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  records INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;

CREATE TABLE series (
  name TEXT PRIMARY KEY,
  last_seq INTEGER NOT NULL CHECK (last_seq >= 1),
  last_issue_date TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE document (
  id INTEGER PRIMARY KEY,
  number TEXT NOT NULL UNIQUE,
  series TEXT NOT NULL REFERENCES series (name),
  seq INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit_note')),
  run_id INTEGER NOT NULL REFERENCES run (id),
  customer_id TEXT NOT NULL,
  customer_name TEXT NOT NULL,
  period TEXT NOT NULL,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  currency TEXT NOT NULL,
  subtotal TEXT NOT NULL CHECK (typeof(subtotal) = 'text'),
  tax TEXT NOT NULL CHECK (typeof(tax) = 'text'),
  total TEXT NOT NULL CHECK (typeof(total) = 'text'),
  opening_balance TEXT NOT NULL CHECK (typeof(opening_balance) = 'text'),
  closing_balance TEXT NOT NULL CHECK (typeof(closing_balance) = 'text'),
  status TEXT NOT NULL CHECK (status IN ('issued', 'credited')),
  credits INTEGER REFERENCES document (id),
  credited_by INTEGER REFERENCES document (id),
  json TEXT NOT NULL,
  UNIQUE (series, seq)
);
CREATE INDEX document_customer_period ON document (customer_id, period);

CREATE TABLE line (
  document_id INTEGER NOT NULL REFERENCES document (id),
  position INTEGER NOT NULL,
  code TEXT NOT NULL,
  description TEXT NOT NULL,
  seconds INTEGER,
  quantity TEXT NOT NULL CHECK (typeof(quantity) = 'text'),
  unit TEXT NOT NULL,
  unit_price TEXT NOT NULL CHECK (typeof(unit_price) = 'text'),
  amount TEXT NOT NULL CHECK (typeof(amount) = 'text'),
  PRIMARY KEY (document_id, position)
) WITHOUT ROWID;

-- the difference of closing balances left by a correction, carried into the
-- customer's next issued invoice (carried_by) as part of its opening balance
CREATE TABLE adjustment (
  id INTEGER PRIMARY KEY,
  customer_id TEXT NOT NULL,
  amount TEXT NOT NULL CHECK (typeof(amount) = 'text'),
  replacement_id INTEGER NOT NULL REFERENCES document (id),
  carried_by INTEGER REFERENCES document (id)
);

-- keyed by the record id alone: the look-up of every run; the records of one document
-- (wanted only by correct) are found by one scan, which spares an index as large as the table
CREATE TABLE billed_record (
  record_id TEXT NOT NULL,
  document_id INTEGER NOT NULL REFERENCES document (id),
  PRIMARY KEY (record_id, document_id)
) WITHOUT ROWID;
`;
