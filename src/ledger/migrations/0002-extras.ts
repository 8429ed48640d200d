/**
 * Schema version 2: the services on request of a run (docs/reference.md §8). A run records
 * the --extras files it read (name, SHA-256, rows), as it records the usage files, and the
 * control figures of their rows, late ones included. Runs stored before have none (0).
 */
export const sql = `
CREATE TABLE run_extras (
  run_id INTEGER NOT NULL REFERENCES run (id),
  position INTEGER NOT NULL,
  path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  rows INTEGER NOT NULL,
  PRIMARY KEY (run_id, position)
) WITHOUT ROWID;
ALTER TABLE run ADD COLUMN extras_read INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN extras_billed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN extras_rejected INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN extras_outside_period INTEGER NOT NULL DEFAULT 0;
ALTER TABLE run ADD COLUMN extras_late INTEGER NOT NULL DEFAULT 0;
`;
