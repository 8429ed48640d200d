/**
 * The sqlite3 contestant of `npm run bench` (test/bench/bench.mjs) must sum the
 * same billable seconds as SPEC §4.2 with first = 60, next = 6, or the bench's
 * cross-check with callbill means nothing. Checked here on rows whose results
 * were worked out by hand, with SQLite through better-sqlite3 (always installed:
 * a dependency) on a table made as the bench's `.mode csv` + `.import` makes it —
 * the header's names, every column TEXT — so the check never depends on whether
 * the sqlite3 program is on this machine.
 */
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import fs from 'node:fs';
import path from 'node:path';

// Columns in an unusual order and case, as SPEC §2 allows; some cells quoted.
const CSV = [
  'Customer_ID,record_id,Channel,started_at,duration_seconds,status',
  'A,1,voice,2026-10-01T09:00:00Z,0,answered', // d = 0 → 0
  'A,2,voice,2026-10-01T09:00:00Z,1,', // ≤ 60 → 60 (empty status = answered)
  'A,3,voice,2026-10-01T09:00:00Z,60,answered', // 60
  'A,4,voice,2026-10-01T09:00:00Z,60.2,', // 61 → 60 + 6 = 66
  'A,5,voice,2026-10-01T09:00:00Z,61,', // 66
  'A,6,voice,2026-10-01T09:00:00Z,66,', // 66
  'A,7,voice,2026-10-01T09:00:00Z,67,', // 60 + 2 × 6 = 72
  'A,8,voice,2026-10-01T09:00:00Z,95.2,answered', // 96 → 60 + 6 × 6 = 96
  'A,9,voice,2026-10-01T09:00:00Z,500,abandoned', // abandoned → 0
  'A,10,Voice,2026-10-01T09:00:00Z,59.01,', // 60 → 60
  'B,11,chat,2026-10-01T09:00:00Z,125,', // 60 + ceil(65 / 6) × 6 = 126
  'B,12,CHAT,2026-10-01T09:00:00Z,0.4,', // 1 → 60
  'B,13,chat,2026-10-01T09:00:00Z,30,Abandoned', // 0
  'B,14,chat,2026-10-01T09:00:00Z,3600.5,answered', // 3601 → 60 + 591 × 6 = 3606
  'B,15,voice,2026-10-01T09:00:00Z,"72",', // 60 + 2 × 6 = 72
].join('\n');

// A voice: 0 + 60 + 60 + 66 + 66 + 66 + 72 + 96 + 0 + 60
// B chat: 126 + 60 + 0 + 3606;  B voice: 72
const EXPECTED = ['A,voice,546', 'B,chat,3792', 'B,voice,72'];

describe('bench sqlite3 contestant: SPEC §4.2 60/6 rule in SQL', () => {
  it('sums billable seconds per customer and channel as worked out by hand', () => {
    const [header, ...rows] = parse(CSV) as string[][];
    const db = new Database(':memory:');
    try {
      // what sqlite3's `.import` does with a new table: the first row names the columns, all TEXT
      db.exec(`CREATE TABLE usage (${header!.map((h) => `"${h}" TEXT`).join(', ')})`);
      const insert = db.prepare(`INSERT INTO usage VALUES (${header!.map(() => '?').join(', ')})`);
      for (const r of rows) insert.run(...r);
      const sql = fs.readFileSync(path.join(__dirname, 'sqlite-billable.sql'), 'utf8');
      const out = db.prepare(sql).raw().all() as unknown[][];
      expect(out.map((r) => r.join(','))).toEqual(EXPECTED);
    } finally {
      db.close();
    }
  });
});
