/**
 * A long invoice's PDF, written by the BUILT cli from a real run: a price list amended every
 * day of October (31 versions, each with its voice rate and three services) gives one line
 * per (version, channel) and per (version, service): 124 lines, more than two A4 pages.
 * The PDF breaks across pages with the table's header repeated on every page that holds
 * lines, numbers every page "Page i of N", and still carries every line's amount.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli';
import { flat, grouped, pdfText } from '../documents/text-of';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-doc-pages-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('breaks a 124-line invoice across pages, the header repeated and every page numbered', async () => {
  const day = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;
  const versions = Array.from({ length: 31 }, (_, i) => {
    const cents = String(50 + i).padStart(2, '0');
    return `      - effective_from: ${day(i + 1)}
        voice: { per_minute: 0.${cents}, increment: { first: 60, next: 60 } }
        services:
          recording: { name: "Recording", price: 1.${cents} }
          transcript: { name: "Transcript", price: 2.${cents} }
          training: { name: "Training", price: 3.${cents}, unit: hour }`;
  });
  writeFileSync(join(dir, 'prices.yaml'), `currency: EUR\ntimezone: UTC\nrounding: half-up\ninvoice_number: "LONG-{customer}-{period}"\nseller: { name: "Seller Lda" }\ncustomers:\n  A: { name: "Alpha", plan: p }\nplans:\n  p:\n    versions:\n${versions.join('\n')}\n`);
  const calls = Array.from({ length: 31 }, (_, i) => `c${i},A,voice,${day(i + 1)}T10:00:00Z,${120 + i}`);
  writeFileSync(join(dir, 'usage.csv'), 'record_id,customer_id,channel,started_at,duration_seconds\n' + calls.join('\n') + '\n');
  const extras = Array.from({ length: 31 }, (_, i) => ['recording', 'transcript', 'training'].map((s) => `A,${day(i + 1)},${s},1,`)).flat();
  writeFileSync(join(dir, 'extras.csv'), 'customer_id,date,service,quantity,reference\n' + extras.join('\n') + '\n');

  const out = join(dir, 'docs');
  const r = await runCliInProcess(['invoice', '-p', join(dir, 'prices.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--extras', join(dir, 'extras.csv'), '--documents', out, join(dir, 'usage.csv')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const inv = (JSON.parse(r.stdout) as { invoices: Array<{ lines: Array<{ amount: string }>; total: string }> }).invoices[0]!;
  expect(inv.lines.length).toBe(124);

  const pdf = pdfText(readFileSync(join(out, 'LONG-A-2026-10.pdf')));
  // about 45 lines a page: at least three pages
  expect(pdf.pages).toBeGreaterThanOrEqual(3);
  const text = flat(pdf.text);
  const headers = text.split('Unit price').length - 1;
  // every page with lines repeats the header; the last may hold only the totals and the statements
  expect(headers).toBeGreaterThanOrEqual(pdf.pages - 1);
  expect(headers).toBeLessThanOrEqual(pdf.pages);
  for (let i = 1; i <= pdf.pages; i++) expect(text).toContain(`Page ${i} of ${pdf.pages}`);
  for (const l of inv.lines) expect(text).toContain(grouped(l.amount));
  expect(text).toContain(grouped(inv.total));
});
