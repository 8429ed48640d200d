#!/usr/bin/env node
// Writes the day-first copies of the example month under fixtures/dayfirst/: every
// started_at as a spreadsheet export writes it, `DD/MM/YYYY HH:MM:SS`, in local time of
// the price list's zone (Europe/Lisbon), converted with Intl (not callbill's own
// zone code); no offsets. One record is lost in translation on purpose: A-V17, at
// 01:30 WET in the hour repeated when clocks go back, becomes `25/10/2026 01:30:00`,
// which callbill reads as the first 01:30 (WEST), as for any local time; the invoices
// are the same all the same (same band, version and day). The golden test bills the
// copies with --date-format and compares the invoices with the original's.
//
//   node test/tools/dayfirst-copy.mjs           (re)write the copies
//   node test/tools/dayfirst-copy.mjs --check   exit 1 when a committed copy is not what this writes
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parse } = require('csv-parse/sync');

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const ZONE = 'Europe/Lisbon';
const SOURCES = ['example-2026-10/voice.csv', 'example-2026-10/chat.csv'];

const fmt = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

function dayFirst(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?(Z|[+-]\d{2}:?\d{2})?$/.exec(iso);
  if (!m) throw new Error(`not a timestamp this tool knows: ${iso}`);
  const [, y, mo, d, h, mi, s = '00', off] = m;
  if (off === undefined) return `${d}/${mo}/${y} ${h}:${mi}:${s}`;
  // an instant: its local time in the zone
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${off === 'Z' ? 'Z' : off}`);
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}:${p.second}`;
}

export function dayFirstCopy(text) {
  const rows = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] });
  const col = rows[0].findIndex((h) => h.trim().toLowerCase() === 'started_at');
  const cell = (c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
  return rows.map((r, i) => (i === 0 ? r : r.map((c, j) => (j === col ? dayFirst(c.trim()) : c))).map(cell).join(',') + '\n').join('');
}

const check = process.argv.includes('--check');
let stale = 0;
for (const rel of SOURCES) {
  const want = dayFirstCopy(fs.readFileSync(path.join(ROOT, 'fixtures', rel), 'utf8'));
  const dest = path.join(ROOT, 'fixtures', 'dayfirst', rel);
  if (check) {
    if (!fs.existsSync(dest) || fs.readFileSync(dest, 'utf8') !== want) {
      console.error(`stale: fixtures/dayfirst/${rel}`);
      stale++;
    }
    continue;
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, want);
}
if (stale > 0) process.exit(1);
