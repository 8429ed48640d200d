import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { runCliInProcess, runInProcess, runSubprocess } from '../helpers/cli';
import type { GenRow } from './arbitraries';
import { pricesArb, usageArb, usageCsv } from './arbitraries';
import type { JsonRun } from './oracle';

/**
 * Issue #6, item 1, through the command line: the three output formats agree, the files
 * can be cut differently, and --jobs changes nothing. The first two run main() in this
 * process; the last starts the built CLI, as worker threads need.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 0) || undefined;
const runs = (n: number) => ({ numRuns: RUNS ?? n });

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cb-prop-cli-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** SPEC §5: what a text cell of the CSV must hold for a value of the JSON. */
const asCsvText = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/** --period refuses a month with no record at all (SPEC §6 decision): every run has one. */
const OCTOBER: GenRow = { recordId: 'oct-0', customerId: 'ACME', channel: 'voice', startedAt: '2026-10-10T10:00:00Z', duration: '61', response: '', status: '', diversion: '', destination: '', divertedSeconds: '', kind: 'october' };
const monthArb = (max?: number) => usageArb(max).map((rows) => [OCTOBER, ...rows]);

async function invoice(format: string[], files: string[], p: string): Promise<string> {
  const o = await runInProcess(['invoice', '-p', p, '--period', '2026-10', '--issue-date', '2026-11-01', '--rejects', join(dir, 'rejects.csv'), ...format, ...files]);
  if (o.code !== 0) throw new Error(`exit ${o.code}: ${o.stderr}`);
  return o.stdout;
}

describe('the output formats agree', () => {
  it('the JSON parses back to the same figures as the CSV (one row per invoice, and --detail per line)', async () => {
    await fc.assert(
      fc.asyncProperty(pricesArb, monthArb(), async (p, rows) => {
        const prices = join(dir, 'prices.yaml');
        const usage = join(dir, 'usage.csv');
        writeFileSync(prices, p.yaml);
        writeFileSync(usage, usageCsv(rows));
        const json = JSON.parse(await invoice(['--format', 'json'], [usage], prices)) as JsonRun;
        const invoices = parse(await invoice(['--format', 'csv'], [usage], prices), { columns: true }) as Array<Record<string, string>>;
        const lines = parse(await invoice(['--format', 'csv', '--detail'], [usage], prices), { columns: true }) as Array<Record<string, string>>;

        expect(invoices).toEqual(
          json.invoices.map((i) => ({
            invoice_number: asCsvText(i.invoice_number),
            customer_id: asCsvText(i.customer_id),
            customer_name: asCsvText(i.customer_name),
            period_start: i.period.start,
            period_end: i.period.end,
            currency: i.currency,
            subtotal: i.subtotal,
            tax: i.tax,
            total: i.total,
            diversion_fees_charged: String(i.diversion.fees_charged),
            diversion_closing_balance: i.diversion.closing_balance,
            // the tax rule's mention closes the row; empty when the invoice has none
            tax_note: i.tax_note === null ? '' : asCsvText(i.tax_note),
          })),
        );
        expect(lines).toEqual(
          json.invoices.flatMap((i) =>
            i.lines.map((l) => ({
              invoice_number: asCsvText(i.invoice_number),
              customer_id: asCsvText(i.customer_id),
              code: l.code,
              description: l.description,
              seconds: l.seconds === null ? '' : String(l.seconds),
              quantity: l.quantity,
              unit: l.unit,
              unit_price: l.unit_price,
              amount: l.amount,
            })),
          ),
        );
      }),
      runs(40),
    );
  });

  it('one file or the same rows cut into two files: the same invoices, byte for byte', async () => {
    await fc.assert(
      fc.asyncProperty(pricesArb, monthArb().chain((rows) => fc.tuple(fc.constant(rows), fc.integer({ min: 0, max: rows.length }))), async (p, [rows, cut]) => {
        const prices = join(dir, 'prices.yaml');
        writeFileSync(prices, p.yaml);
        writeFileSync(join(dir, 'all.csv'), usageCsv(rows));
        writeFileSync(join(dir, 'a.csv'), usageCsv(rows.slice(0, cut)));
        writeFileSync(join(dir, 'b.csv'), usageCsv(rows.slice(cut)));
        const one = JSON.parse(await invoice(['--format', 'json'], [join(dir, 'all.csv')], prices)) as JsonRun & { control: { inputs: unknown } };
        const two = JSON.parse(await invoice(['--format', 'json'], [join(dir, 'a.csv'), join(dir, 'b.csv')], prices)) as JsonRun & { control: { inputs: unknown } };
        // control.inputs names the files, which differ by construction
        expect({ ...two, control: { ...two.control, inputs: null } }).toEqual({ ...one, control: { ...one.control, inputs: null } });
        expect(await invoice(['--format', 'csv', '--detail'], [join(dir, 'a.csv'), join(dir, 'b.csv')], prices)).toBe(await invoice(['--format', 'csv', '--detail'], [join(dir, 'all.csv')], prices));
      }),
      // the same property is checked on the fold itself, 100 runs, in invariants.test.ts;
      // here only that the command line passes the files on as the fold expects
      runs(10),
    );
  });
});

/** Many rows from a few generated ones, with fresh ids: enough for several chunks. */
function bulk(rows: readonly GenRow[], times: number): GenRow[] {
  const out: GenRow[] = [];
  for (let k = 0; k < times; k++) for (const r of rows) out.push({ ...r, recordId: `${r.recordId}-${k}` });
  return out;
}

describe('--jobs (worker threads)', () => {
  // Files this small are read on one thread unless CALLBILL_CHUNK_BYTES forces chunks (and
  // with them workers): without it the property would compare one thread with itself. The
  // chunk size is drawn so that each file is cut into 3 to 40 chunks at varied places.
  it('changes nothing: --jobs 1 and --jobs 2 to 4 print the same JSON and write the same --rejects file', async () => {
    await fc.assert(
      fc.asyncProperty(pricesArb, monthArb(30), fc.integer({ min: 5, max: 40 }), fc.integer({ min: 3, max: 40 }), fc.integer({ min: 2, max: 4 }), async (p, rows, times, parts, jobs) => {
        const prices = join(dir, 'prices.yaml');
        const usage = join(dir, 'big.csv');
        writeFileSync(prices, p.yaml);
        writeFileSync(usage, usageCsv(bulk(rows, times)));
        // a chunk must hold the longest line (a longer one sends the reader back to one thread)
        const chunk = Math.max(1024, Math.ceil(statSync(usage).size / parts));
        const env = { CALLBILL_CHUNK_BYTES: String(chunk) };
        const outputs: string[] = [];
        const rejects: Array<string | null> = [];
        for (const j of [1, jobs]) {
          const file = join(dir, `rejects-${j}.csv`);
          rmSync(file, { force: true });
          // the threaded run is the shipped bin in a subprocess; the --jobs 1 run it is compared with, the built main() here
          const args = ['invoice', '-p', prices, '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--rejects', file, '--jobs', String(j), usage];
          const o = j === 1 ? await runCliInProcess(args, { env }) : await runSubprocess(args, { env });
          expect([o.code, o.stderr]).toEqual([0, expect.any(String)]);
          outputs.push(o.stdout);
          rejects.push(existsSync(file) ? readFileSync(file, 'utf8') : null);
        }
        expect(outputs[1]).toBe(outputs[0]);
        expect(rejects[1]).toBe(rejects[0]);
      }),
      // re-checked in-process on the fold (merged chunks, 100 runs) in invariants.test.ts
      runs(4),
    );
  }, 600_000);
});
