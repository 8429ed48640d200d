import { totalsOf } from '../../src/pipeline/compute-invoices';
import { renderInvoicesCsv } from '../../src/render/csv';
import { renderJson } from '../../src/render/json';
import type { InvoiceRun } from '../../src/invoice/types';
import { bill, CSV_HEAD } from '../helpers/bill';
import { HEAD } from '../helpers/prices';

/**
 * Found by the fuzzer's edge numbers (issue #6): a rate of 10^20 a minute against a fee of
 * 0.01 charges 1,666,669,999,999,999,999,983,333,300 blocks, and fees_charged came out as
 * 1.66667e+27 in the JSON and the CSV — not an integer, and not the line's quantity.
 */
const P = (name: string) =>
  HEAD +
  `default_plan: p
customers:
  C: { name: ${JSON.stringify(name)}, plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
        diversion: { fee: 0.01, mobile: { per_minute: 99999999999999999999, increment: { first: 60, next: 60 } } }
`;

function run(name: string): InvoiceRun {
  const { invoices } = bill(P(name), CSV_HEAD + 'r1,C,voice,2026-10-05T10:00:00Z,10000000,,,mobile,,\n', { period: '2026-10' });
  return { invoices, totals: totalsOf(invoices), control: { recordsRead: 1, recordsBilled: 1, recordsRejected: 0, recordsOutsidePeriod: 0, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: 'p.yaml', sha256: '' } } };
}

// 10,000,020 s (60/60 of 10,000,000) × (10^20 − 1) / 60 = 166,667 × (10^20 − 1) = 16,666,699,999,999,999,999,833,333,
// that is 1,666,669,999,999,999,999,983,333,300 cents: as many fees of 0.01
const BLOCKS = '1666669999999999999983333300';

describe('counts stay exact integers however large', () => {
  it('fees_charged is written as an exact JSON integer, equal to the fee line\'s quantity', () => {
    const text = renderJson(run('Acme'));
    expect(text).toContain(`"fees_charged": ${BLOCKS},`);
    expect(text).toContain(`"quantity": "${BLOCKS}",`);
    expect(renderInvoicesCsv(run('Acme')).split('\n')[1]!.split(',')[9]).toBe(BLOCKS);
  });

  it('a name that looks like the renderer\'s own marker for a bigint stays the name', () => {
    const name = '\u0000bigint0:0\u0000';
    const doc = JSON.parse(renderJson(run(name))) as { invoices: Array<{ customer_name: string }> };
    expect(doc.invoices[0]!.customer_name).toBe(name);
    expect(renderJson(run(name))).toContain(`"fees_charged": ${BLOCKS},`);
  });
});
