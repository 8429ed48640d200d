import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totalsOf } from '../../src/pipeline/compute-invoices';
import type { InvoiceRun } from '../../src/invoice/types';
import { RejectSpool } from '../../src/io/reject-spool';
import type { RejectedRow } from '../../src/rating/usage-fold';
import { jsonChunks, renderJson } from '../../src/render/json';
import { invoicesCsvChunks, linesCsvChunks } from '../../src/render/csv';
import { rejectsCsvChunks, renderRejectsCsv } from '../../src/render/rejects-csv';
import { bill } from '../helpers/bill';

/**
 * A big month is written piece by piece (no string may hold it): the pieces must
 * make exactly the text of one JSON.stringify of the whole document, and the
 * rejected rows read back from disk must make the same rejects file as in memory.
 */
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
tax: { name: VAT, rate: 23 }
default_plan: p
customers:
  "C0": { name: "Quote \\" and , comma", plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
        chat: { per_minute: 0.50, increment: { first: 30, next: 30 } }
        diversion: { fee: 50.00, mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } } }
`;

function runOf(customers: number): InvoiceRun {
  const rows = ['record_id,customer_id,channel,started_at,duration_seconds,diversion,diverted_seconds'];
  for (let i = 0; i < customers; i++) {
    rows.push(`v${i},C${i},voice,2026-10-0${1 + (i % 9)}T10:00:00Z,${61 + (i % 500)},${i % 7 === 0 ? 'mobile' : ''},${i % 7 === 0 ? 90 : ''}`);
    if (i % 3 === 0) rows.push(`c${i},C${i},chat,2026-10-02T10:00:00Z,${i % 200}`);
  }
  const { invoices, fold } = bill(PRICES, rows.join('\n') + '\n', { period: '2026-10' });
  const c = fold.counts;
  return {
    invoices,
    totals: totalsOf(invoices),
    control: { recordsRead: c.read, recordsBilled: c.billed, recordsRejected: c.rejected, recordsOutsidePeriod: c.outside, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [{ path: 'u.csv', sha256: 'ab', records: c.read }], priceList: { path: 'p.yaml', sha256: 'cd' } },
  };
}

describe('JSON in pieces', () => {
  it('is byte for byte JSON.stringify of the whole document, with and without the audit (20 000 customers)', () => {
    const run = runOf(20_000);
    expect(run.invoices).toHaveLength(20_000);
    const pieces = [...jsonChunks(run)];
    expect(pieces.length).toBeGreaterThan(100);
    expect(pieces.join('')).toBe(renderJson(run));
    const audit = { command: 'invoice', argv: ['x'], outputs: { rejects: null, nested: { n: 1 } } };
    expect([...jsonChunks(run, audit)].join('')).toBe(renderJson(run, audit));
  }, 120_000);

  it('with no invoice at all', () => {
    const run: InvoiceRun = { invoices: [], totals: new Map(), control: { recordsRead: 0, recordsBilled: 0, recordsRejected: 0, recordsOutsidePeriod: 0, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: 'p', sha256: 'x' } } };
    expect([...jsonChunks(run)].join('')).toBe(renderJson(run));
    expect([...jsonChunks(run, {})].join('')).toBe(renderJson(run, {}));
  });
});

describe('CSV in pieces', () => {
  it('pieces of about 64 KiB, whole rows each', () => {
    const run = runOf(5_000);
    for (const chunks of [invoicesCsvChunks(run), linesCsvChunks(run)]) {
      const pieces = [...chunks];
      expect(pieces.length).toBeGreaterThan(3);
      for (const p of pieces) {
        expect(p.endsWith('\n')).toBe(true);
        expect(p.length).toBeLessThan(70 * 1024);
      }
    }
  });
});

describe('rejected rows spooled to disk', () => {
  it('read back in order, they make the same rejects file as rows held in memory; the spool is removed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cb-spool-'));
    try {
      const headers = [['record_id', 'customer_id', 'note'], ['id', 'Customer_ID']];
      const rows: RejectedRow[] = [];
      for (let i = 0; i < 30_000; i++) {
        const input = i % 5 === 0 ? 1 : 0;
        // cells with quotes, commas, line breaks, formula starts, non-ASCII, and extra cells
        const fields = [`r${i}`, i % 11 === 0 ? '=cmd|"x"' : `Zoë, "${i}"\n`, 'a'.repeat(i % 9), ...(i === 777 ? ['x', 'y'] : [])];
        rows.push({ input, line: i + 2, column: 'duration_seconds', message: 'expected a number', value: `v${i}€`, fields });
      }
      const spool = RejectSpool.create(dir);
      for (const r of rows) spool.add(r);
      const text = (r: RejectedRow) => `${r.column}: ${r.message}`;
      const fromDisk = [...rejectsCsvChunks(spool.rows(), headers, ['a.csv', 'b.csv'], text, spool.widest)].join('');
      expect(fromDisk).toBe(renderRejectsCsv(rows, headers, ['a.csv', 'b.csv'], text));
      expect(fromDisk.split('\n')[0]).toBe('record_id,customer_id,note,id,extra_1,extra_2,source,error');
      expect(readdirSync(dir)).toEqual([expect.stringMatching(/^\.callbill-tmp-\d+-/)]);
      spool.remove();
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
