/**
 * The sqlite3 contestant of `npm run bench` (test/bench/bench.mjs) must sum the
 * same billable seconds as SPEC §4.2 with first = 60, next = 6, or the bench's
 * cross-check with callbill means nothing. Checked here on rows whose results
 * were worked out by hand. Skipped where /usr/bin/sqlite3 is not installed.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SQLITE = '/usr/bin/sqlite3';
const describeIfSqlite = fs.existsSync(SQLITE) ? describe : describe.skip;

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

describeIfSqlite('bench sqlite3 contestant: SPEC §4.2 60/6 rule in SQL', () => {
  it('sums billable seconds per customer and channel as worked out by hand', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'callbill-sqlite-rule-'));
    try {
      const csv = path.join(dir, 'usage.csv');
      fs.writeFileSync(csv, CSV + '\n');
      const sql = fs.readFileSync(path.join(__dirname, 'sqlite-billable.sql'), 'utf8');
      // The same script shape as bench.mjs's sqliteScript().
      const script = `.bail on\n.mode csv\n.headers off\n.import '${csv}' usage\n${sql}\n`;
      const r = spawnSync(SQLITE, ['-batch', ':memory:'], { input: script, encoding: 'utf8' });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      expect(r.stdout.trim().split(/\r?\n/)).toEqual(EXPECTED);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
