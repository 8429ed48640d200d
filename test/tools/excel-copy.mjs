#!/usr/bin/env node
// Writes the "Excel re-save" copies of the shipped usage, extras and balances files
// under fixtures/excel/: what Excel in much of Europe writes when such a file is opened
// and saved again as "CSV (semicolon-separated)": `;` between fields, a UTF-8
// byte-order mark, CRLF line ends, and every decimal number with a decimal comma
// (95.2 → 95,2). Read with csv-parse, not with callbill's own reader: the copies are
// an independent version of the same data. The golden test bills each copy and its
// original and compares the invoices byte for byte.
//
//   node test/tools/excel-copy.mjs           (re)write the copies
//   node test/tools/excel-copy.mjs --check   exit 1 when a committed copy is not what this writes
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { parse } = require('csv-parse/sync');

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');

/** The shipped files that get an Excel copy (fixtures/excel/<same path>). */
export const SOURCES = [
  'example-2026-10/voice.csv',
  'example-2026-10/chat.csv',
  'example-2026-10/extras.csv',
  'spec-example/usage.csv',
  'diversion-chain/oct.csv',
  'diversion-chain/nov.csv',
  'diversion-chain/balances-2026-10.csv',
  'terms/bands-new-york/usage.csv',
  'terms/graduated-kolkata/usage.csv',
  'terms/sla-minimum-bhd/usage.csv',
  'terms/volume-jpy/usage.csv',
];

function excelCell(cell) {
  // a plain decimal number gets Excel's decimal comma
  const v = /^-?[0-9]+\.[0-9]+$/.test(cell) ? cell.replace('.', ',') : cell;
  return /[;"\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function excelCopy(text) {
  const records = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'] });
  return '\uFEFF' + records.map((r) => r.map(excelCell).join(';') + '\r\n').join('');
}

const check = process.argv.includes('--check');
let stale = 0;
for (const rel of SOURCES) {
  const want = excelCopy(fs.readFileSync(path.join(ROOT, 'fixtures', rel), 'utf8'));
  const dest = path.join(ROOT, 'fixtures', 'excel', rel);
  if (check) {
    if (!fs.existsSync(dest) || fs.readFileSync(dest, 'utf8') !== want) {
      console.error(`stale: fixtures/excel/${rel}`);
      stale++;
    }
    continue;
  }
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, want);
}
if (stale > 0) process.exit(1);
