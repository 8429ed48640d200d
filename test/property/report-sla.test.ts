/**
 * The service report against the invoice (docs/reference.md §10): on generated price
 * lists and months (test/property/arbitraries.ts), `report --format json` and `invoice
 * --format json`, two runs of the built main(), agree on every customer's service level,
 * average responses, SLA block and contact counts; and each customer's days and hours
 * add up to its channels.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { runInProcess } from '../helpers/cli';
import { pricesArb, usageArb, usageCsv } from './arbitraries';

const RUNS = Number(process.env.PROPERTY_RUNS ?? 0) || 25;

interface F {
  offered: number;
  answered: number;
  abandoned: number;
  diverted: number;
  service_level_percent: string | null;
  average_response_seconds: string | null;
}
interface ReportDoc {
  customers: Array<{ customer_id: string; channels: { voice: F; chat: F }; days: Array<F & { channel: string }>; hours: Array<F & { channel: string }>; sla: Record<string, unknown> & { met: unknown } }>;
  control: unknown;
}
interface InvoiceDoc {
  invoices: Array<{ customer_id: string; sla: { service_level_percent: string | null; average_response_seconds: { voice: string | null; chat: string | null } }; counts: { voice: number; chat: number; abandoned: number; diverted: number } }>;
  control: unknown;
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-report-prop-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("the report's service level and average response are the invoice's SLA statement", async () => {
  let n = 0;
  await fc.assert(
    fc.asyncProperty(pricesArb, usageArb(40), async (p, rows) => {
      const k = n++;
      const prices = join(dir, `p${k}.yaml`);
      const usage = join(dir, `u${k}.csv`);
      writeFileSync(prices, p.yaml);
      writeFileSync(usage, usageCsv(rows));
      const common = ['-p', prices, '--period', '2026-10', '--format', 'json'];
      const inv = await runInProcess(['invoice', ...common, '--rejects', join(dir, `ri${k}.csv`), usage]);
      const rep = await runInProcess(['report', ...common, '--rejects', join(dir, `rr${k}.csv`), usage]);
      expect(rep.code).toBe(inv.code);
      if (inv.code !== 0) return;
      const bill = JSON.parse(inv.stdout) as InvoiceDoc;
      const report = JSON.parse(rep.stdout) as ReportDoc;
      expect(report.control).toEqual(bill.control);
      for (const c of report.customers) {
        const i = bill.invoices.find((x) => x.customer_id === c.customer_id);
        expect(i).toBeDefined();
        const { met: _met, ...sla } = c.sla;
        expect(sla).toEqual(i!.sla);
        expect(c.channels.voice.service_level_percent).toBe(i!.sla.service_level_percent);
        expect(c.channels.voice.average_response_seconds).toBe(i!.sla.average_response_seconds.voice);
        expect(c.channels.chat.average_response_seconds).toBe(i!.sla.average_response_seconds.chat);
        expect([c.channels.voice.answered, c.channels.chat.answered, c.channels.voice.abandoned + c.channels.chat.abandoned, c.channels.voice.diverted + c.channels.chat.diverted]).toEqual([
          i!.counts.voice,
          i!.counts.chat,
          i!.counts.abandoned,
          i!.counts.diverted,
        ]);
        for (const ch of ['voice', 'chat'] as const) {
          for (const part of [c.days, c.hours]) {
            const mine = part.filter((d) => d.channel === ch);
            const sum = (key: 'offered' | 'answered' | 'abandoned' | 'diverted') => mine.reduce((s, d) => s + d[key], 0);
            expect([sum('offered'), sum('answered'), sum('abandoned'), sum('diverted')]).toEqual([c.channels[ch].offered, c.channels[ch].answered, c.channels[ch].abandoned, c.channels[ch].diverted]);
          }
        }
      }
      // every invoiced customer with a contact is in the report
      const counted = bill.invoices.filter((i) => i.counts.voice + i.counts.chat + i.counts.abandoned > 0).map((i) => i.customer_id);
      expect(report.customers.map((c) => c.customer_id)).toEqual(expect.arrayContaining(counted));
    }),
    { numRuns: RUNS },
  );
});
