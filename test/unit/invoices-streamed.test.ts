import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Invoice } from '../../src/invoice/types';
import { Dec } from '../../src/money/decimal';
import { computeInvoices } from '../../src/pipeline/compute-invoices';
import { loadPrices } from '../../src/pipeline/load-inputs';
import type { InvoiceWriter, RunTail } from '../../src/render/invoice-writer';
import { parsePeriod } from '../../src/time/period';
import { Zone } from '../../src/time/zone';

/**
 * The shape that keeps a month of a million customers in flat memory: the invoices are
 * built one at a time, each is handed to every writer before the next is built, and
 * each customer's accumulator is let go as its invoice is built.
 */
const dir = mkdtempSync(join(tmpdir(), 'callbill-streamed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('each invoice reaches every writer before the next is built, and its accumulator is gone by then', async () => {
  const customers = 40;
  const rows = ['record_id,customer_id,channel,started_at,duration_seconds'];
  // written out of id order: the invoices still come in id order
  for (let i = customers - 1; i >= 0; i--) rows.push(`r${i},K${String(i).padStart(3, '0')},voice,2026-10-0${1 + (i % 9)}T10:00:00Z,${61 + i}`);
  const usage = join(dir, 'usage.csv');
  writeFileSync(usage, rows.join('\n') + '\n');
  const loaded = loadPrices(join(__dirname, '..', 'bench', 'bench-prices.yaml'));
  const out = await computeInvoices({
    files: [usage],
    names: [usage],
    loaded,
    period: parsePeriod('2026-10', new Zone(loaded.prices.timezone)),
    issueDate: '2026-11-01',
    opening: new Map(),
    setAside: false,
    pool: null,
  });
  const state = out.fold.state.customers;
  expect(state.size).toBe(customers);

  let built = 0;
  function* counted(invoices: Iterable<Invoice>): Generator<Invoice> {
    for (const inv of invoices) {
      built++;
      yield inv;
    }
  }
  const seen: string[][] = [[], []];
  let sum = new Dec(0);
  let tail: RunTail | null = null;
  const writer = (k: number): InvoiceWriter => ({
    invoice(inv) {
      seen[k]!.push(inv.customerId);
      // this invoice is the last one built, and its customer's accumulator was let go when it was
      expect([inv.customerId, built]).toEqual([inv.customerId, seen[k]!.length]);
      if (inv.customerId.startsWith('K')) expect(state.has(inv.customerId)).toBe(false);
      // and the customers after it are not built yet: their accumulators are all still there
      expect(state.size).toBe(customers - seen[k]!.filter((id) => id.startsWith('K')).length);
      if (k === 0) sum = sum.plus(inv.total);
    },
    end(t) {
      tail = t;
    },
  });
  const end = await out.write(counted(out.invoices), [writer(0), writer(1)]);
  const ids = seen[0]!.filter((id) => id.startsWith('K'));
  expect(ids).toEqual(Array.from({ length: customers }, (_, i) => `K${String(i).padStart(3, '0')}`));
  expect(seen[1]).toEqual(seen[0]);
  expect(state.size).toBe(0);
  // the totals the writers end with are those of the invoices they were given
  expect(tail).toBe(end);
  expect(end.totals.get('EUR')!.total.toFixed(2)).toBe(sum.toFixed(2));
  expect(end.control.recordsBilled).toBe(customers);
});
