/**
 * SPEC §11: tax per customer. Every expected figure is worked out by hand in the
 * comments beside it (price × seconds / 60, rounded once; tax = subtotal × rate / 100,
 * rounded once; total = subtotal + tax).
 */
import { bill, CSV_HEAD } from '../helpers/bill';
import { HEAD, priceErrors, prices } from '../helpers/prices';
import { taxRuleFor } from '../../src/invoice/tax';
import { invoiceToJson } from '../../src/render/json';
import { renderInvoicesCsv } from '../../src/render/csv';
import { renderTable, PLAIN } from '../../src/render/table';
import { compareInvoices } from '../../src/compare/compare-invoices';
import { renderCompareJson, renderCompareTable } from '../../src/render/compare';
import type { Invoice } from '../../src/invoice/types';

const NOTE = 'Reverse charge: VAT due by the recipient (Art. 196, Directive 2006/112/EC)';

/** Per-second voice at `perMinute`, no other terms: amounts are easy to work by hand. */
function list(opts: { currency?: string; rounding?: string; perMinute: string; tax?: string; customers: string }): string {
  return `currency: ${opts.currency ?? 'EUR'}
timezone: Europe/Lisbon
rounding: ${opts.rounding ?? 'half-up'}
${opts.tax ?? 'tax: { name: VAT, rate: 23 }'}
customers:
${opts.customers}
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: ${opts.perMinute}, increment: { first: 1, next: 1 } }
`;
}

const row = (id: string, customer: string, seconds: number) => `${id},${customer},voice,2026-10-05T10:00:00Z,${seconds},5,answered,,,\n`;

function only(invoices: Invoice[], id: string): Invoice {
  const inv = invoices.find((i) => i.customerId === id);
  if (!inv) throw new Error(`no invoice for ${id}`);
  return inv;
}

describe('tax per customer (SPEC §11)', () => {
  const yaml = list({
    perMinute: '1.00',
    customers: `  DOMESTIC: { plan: p }
  DE-KUNDE: { name: "Kunde GmbH", plan: p, tax: { name: VAT, rate: 0, note: "${NOTE}" } }
  MADEIRA: { name: "Hotel Funchal", plan: p, tax: { name: IVA, rate: 22 } }
  EXEMPT: { plan: p, tax: none }`,
  });
  const csv = CSV_HEAD + row('R1', 'DOMESTIC', 1234) + row('R2', 'DE-KUNDE', 600) + row('R3', 'MADEIRA', 1234) + row('R4', 'EXEMPT', 1234);
  const { invoices } = bill(yaml, csv, { period: '2026-10' });

  it("the price list's rule for a customer without its own: 1234 s × 1.00 / 60 = 20.5666… → 20.57; 23 % = 4.7311 → 4.73", () => {
    const inv = only(invoices, 'DOMESTIC');
    expect([inv.subtotal.toFixed(2), inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['20.57', '4.73', '25.30']);
    expect([inv.taxName, inv.taxRate?.toFixed(), inv.taxNote]).toEqual(['VAT', '23', null]);
  });

  it('reverse charge: 600 s = 10.00, VAT 0 % = 0.00, total 10.00, with the mention', () => {
    const inv = only(invoices, 'DE-KUNDE');
    expect([inv.subtotal.toFixed(2), inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['10.00', '0.00', '10.00']);
    expect([inv.taxName, inv.taxRate?.toFixed(), inv.taxNote]).toEqual(['VAT', '0', NOTE]);
  });

  it('22 %: 20.57 × 22 / 100 = 4.5254 → 4.53, total 25.10', () => {
    const inv = only(invoices, 'MADEIRA');
    expect([inv.subtotal.toFixed(2), inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['20.57', '4.53', '25.10']);
    expect([inv.taxName, inv.taxRate?.toFixed(), inv.taxNote]).toEqual(['IVA', '22', null]);
  });

  it('tax: none: no rule at all, tax 0.00, total = subtotal 20.57', () => {
    const inv = only(invoices, 'EXEMPT');
    expect([inv.subtotal.toFixed(2), inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['20.57', '0.00', '20.57']);
    expect([inv.taxName, inv.taxRate, inv.taxNote]).toEqual([null, null, null]);
  });

  it('JSON: tax_name, tax_rate (a decimal string) and tax_note right after total; null with tax: none', () => {
    const de = invoiceToJson(only(invoices, 'DE-KUNDE'));
    const keys = Object.keys(de);
    expect(keys.slice(keys.indexOf('subtotal'), keys.indexOf('subtotal') + 6)).toEqual(['subtotal', 'tax', 'total', 'tax_name', 'tax_rate', 'tax_note']);
    expect([de.tax_name, de.tax_rate, de.tax_note]).toEqual(['VAT', '0', NOTE]);
    const ex = invoiceToJson(only(invoices, 'EXEMPT'));
    expect([ex.tax, ex.tax_name, ex.tax_rate, ex.tax_note]).toEqual(['0.00', null, null, null]);
    expect(invoiceToJson(only(invoices, 'MADEIRA')).tax_rate).toBe('22');
  });

  it('CSV: tax_note is the last column of the per-invoice header; empty when none, quoted when it has a comma', () => {
    const rows = renderInvoicesCsv({ invoices, totals: new Map(), control: { recordsRead: 0, recordsBilled: 0, recordsRejected: 0, recordsOutsidePeriod: 0, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: '', sha256: '' } } }).split('\n');
    expect(rows[0]).toBe('invoice_number,customer_id,customer_name,period_start,period_end,currency,subtotal,tax,total,diversion_fees_charged,diversion_closing_balance,tax_note');
    const de = rows.find((r) => r.startsWith('DE-KUNDE-'))!;
    expect(de.endsWith(`,0.00,"${NOTE}"`)).toBe(true);
    const ex = rows.find((r) => r.startsWith('EXEMPT-'))!;
    expect(ex.endsWith(',20.57,0.00,20.57,0,0.00,')).toBe(true);
  });

  it('CSV: a note that begins like a formula is prefixed with an apostrophe (SPEC §5)', () => {
    const { invoices: inv } = bill(list({ perMinute: '1.00', customers: '  F: { plan: p, tax: { name: VAT, rate: 0, note: "=HYPERLINK(1)" } }' }), CSV_HEAD + row('R1', 'F', 60), { period: '2026-10' });
    const out = renderInvoicesCsv({ invoices: inv, totals: new Map(), control: { recordsRead: 0, recordsBilled: 0, recordsRejected: 0, recordsOutsidePeriod: 0, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: '', sha256: '' } } });
    expect(out.split('\n')[1]!.endsWith(",'=HYPERLINK(1)")).toBe(true);
  });

  it('table: the note under the totals; "no tax" for tax: none', () => {
    const run = { invoices, totals: new Map(), control: { recordsRead: 4, recordsBilled: 4, recordsRejected: 0, recordsOutsidePeriod: 0, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: '', sha256: '' } } };
    const text = renderTable(run, PLAIN);
    const de = text.split('\n\n').find((b) => b.startsWith('DE-KUNDE-'))!.split('\n');
    const total = de.findIndex((l) => /^ {2}total\s/.test(l));
    expect(de[total - 1]).toMatch(/^ {2}VAT 0%\s+0\.00$/);
    expect(de[total + 1]).toBe(`  ${NOTE}`);
    const ex = text.split('\n\n').find((b) => b.startsWith('EXEMPT-'))!;
    expect(ex).toMatch(/\n {2}no tax\s+0\.00\n/);
  });

  it('totals per currency stay the sums of the invoices', () => {
    // 25.30 + 10.00 + 25.10 + 20.57 = 80.97; tax 4.73 + 0 + 4.53 + 0 = 9.26
    const { totalsOf } = require('../../src/pipeline/compute-invoices') as typeof import('../../src/pipeline/compute-invoices');
    const t = totalsOf(invoices).get('EUR')!;
    expect([t.subtotal.toFixed(2), t.tax.toFixed(2), t.total.toFixed(2)]).toEqual(['71.71', '9.26', '80.97']);
  });
});

describe('tax rounding in currencies with other minor units', () => {
  it('JPY (0 decimals): 100 s at 15 a minute = 25; 10 % = 2.5 → 3 half-up, 2 half-even', () => {
    for (const [mode, tax, total] of [['half-up', '3', '28'], ['half-even', '2', '27']] as const) {
      const yaml = list({ currency: 'JPY', rounding: mode, perMinute: '15', tax: 'tax: { name: VAT, rate: 23 }', customers: '  JP: { plan: p, tax: { name: JCT, rate: 10 } }' });
      const inv = only(bill(yaml, CSV_HEAD + row('R1', 'JP', 100), { period: '2026-10' }).invoices, 'JP');
      expect([inv.subtotal.toFixed(0), inv.tax.toFixed(0), inv.total.toFixed(0)]).toEqual(['25', tax, total]);
    }
  });

  it('BHD (3 decimals): 60 s at 1.225 = 1.225; 10 % = 0.1225 → 0.123 half-up, 0.122 half-even', () => {
    for (const [mode, tax, total] of [['half-up', '0.123', '1.348'], ['half-even', '0.122', '1.347']] as const) {
      const yaml = list({ currency: 'BHD', rounding: mode, perMinute: '1.225', tax: '', customers: '  BH: { plan: p, tax: { name: VAT, rate: 10 } }' });
      const inv = only(bill(yaml, CSV_HEAD + row('R1', 'BH', 60), { period: '2026-10' }).invoices, 'BH');
      expect([inv.subtotal.toFixed(3), inv.tax.toFixed(3), inv.total.toFixed(3)]).toEqual(['1.225', tax, total]);
    }
  });
});

describe('taxRuleFor', () => {
  it('a price list without tax, a customer with a rule: the customer’s rule', () => {
    const p = prices(list({ perMinute: '1', tax: '', customers: '  A: { plan: p, tax: { name: GST, rate: "9.5" } }\n  B: { plan: p }' }));
    expect(taxRuleFor('A', p)).toEqual({ rule: { name: 'GST', rate: expect.anything(), note: null }, from: 'customer' });
    expect(taxRuleFor('A', p).rule!.rate.toFixed()).toBe('9.5');
    expect(taxRuleFor('B', p)).toEqual({ rule: null, from: 'price_list' });
    expect(taxRuleFor('UNLISTED', p)).toEqual({ rule: null, from: 'price_list' });
  });
});

describe('validation of a tax rule (file:line:column)', () => {
  const head = HEAD + 'tax: { name: VAT, rate: 23 }\n';
  const plans = `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
`;
  it('a rate above 100', () => {
    expect(priceErrors(head + 'customers:\n  A: { plan: p, tax: { name: VAT, rate: 100.5 } }\n' + plans)).toEqual(['6:41: customers.A.tax.rate: a percentage above 100 (found 100.5)']);
  });
  it('a negative rate', () => {
    expect(priceErrors(head + 'customers:\n  A: { plan: p, tax: { name: VAT, rate: -1 } }\n' + plans)).toEqual(['6:41: customers.A.tax.rate: must not be negative (found -1)']);
  });
  it('a rate of exactly 0 and of exactly 100 are fine', () => {
    const p = prices(head + 'customers:\n  A: { plan: p, tax: { name: VAT, rate: 0 } }\n  B: { plan: p, tax: { name: X, rate: 100 } }\n' + plans);
    expect(p.customers.get('B')!.tax).toMatchObject({ name: 'X' });
  });
  it('a note of 301 characters (300 are fine)', () => {
    const ok = 'x'.repeat(300);
    expect((prices(head + `customers:\n  A: { plan: p, tax: { name: VAT, rate: 0, note: "${ok}" } }\n` + plans).customers.get('A')!.tax as { note: string }).note).toBe(ok);
    expect(priceErrors(head + `customers:\n  A: { plan: p, tax: { name: VAT, rate: 0, note: "${ok}y" } }\n` + plans)).toEqual(['6:50: customers.A.tax.note: 301 characters; at most 300 fit on an invoice']);
  });
  it('a word other than none, an empty tax, a missing rate, an unknown key', () => {
    expect(priceErrors(head + 'customers:\n  A: { plan: p, tax: exempt }\n' + plans)).toEqual(['6:22: customers.A.tax: expected { name, rate, note } or none, found "exempt"']);
    expect(priceErrors(head + 'customers:\n  A:\n    plan: p\n    tax:\n' + plans)).toEqual([
      "8:5: customers.A.tax: expected { name, rate, note } or none, found nothing (leave the key out for the price list's tax)",
    ]);
    expect(priceErrors(head + 'customers:\n  A: { plan: p, tax: { name: VAT } }\n' + plans)).toEqual(['6:22: customers.A.tax: missing key "rate"']);
    expect(priceErrors(head + 'customers:\n  A: { plan: p, tax: { name: VAT, rate: 5, mention: x } }\n' + plans)).toEqual([
      '6:44: customers.A.tax: unknown key "mention" (expected one of: name, rate, note)',
    ]);
  });
  it('the price list itself takes note and none too', () => {
    expect(prices(HEAD + 'tax: none\n' + plans).tax).toBeNull();
    expect(prices(HEAD + 'tax: { name: VAT, rate: 0, note: "Exempt (Art. 9)" }\n' + plans).tax!.note).toBe('Exempt (Art. 9)');
  });
});

describe('compare shows a change of tax rule', () => {
  it('23 % under A, reverse charge under B: the rule of each side, and the tax difference', () => {
    const csv = CSV_HEAD + row('R1', 'DE', 600);
    const a = bill(list({ perMinute: '1.00', customers: '  DE: { plan: p }' }), csv, { period: '2026-10' }).invoices;
    const b = bill(list({ perMinute: '1.00', customers: `  DE: { plan: p, tax: { name: VAT, rate: 0, note: "${NOTE}" } }` }), csv, { period: '2026-10' }).invoices;
    const c = compareInvoices(a, b, 'EUR', 2);
    const de = c.customers[0]!;
    // 10.00 + 23 % = 12.30 under A; 10.00 under B
    expect([de.totalA.toFixed(2), de.totalB.toFixed(2), de.difference.toFixed(2)]).toEqual(['12.30', '10.00', '-2.30']);
    expect([de.taxRuleA, de.taxRuleB]).toEqual(['VAT 23%', `VAT 0%: ${NOTE}`]);
    const side = { path: 'x', sha256: '', period: null, recordsRead: 1, recordsBilled: 1, recordsRejected: 0, recordsOutsidePeriod: 0 };
    const json = JSON.parse(renderCompareJson({ comparison: c, a: side, b: side }));
    expect([json.customers[0].tax_rule_a, json.customers[0].tax_rule_b]).toEqual(['VAT 23%', `VAT 0%: ${NOTE}`]);
    expect(renderCompareTable({ comparison: c, a: side, b: side }, PLAIN)).toContain(`  tax rule changes: A VAT 23%; B VAT 0%: ${NOTE}`);
  });
  it('0 % and none tax the same 0.00, yet the rule change shows', () => {
    const csv = CSV_HEAD + row('R1', 'X', 600);
    const a = bill(list({ perMinute: '1.00', customers: '  X: { plan: p, tax: { name: VAT, rate: 0 } }' }), csv, { period: '2026-10' }).invoices;
    const b = bill(list({ perMinute: '1.00', customers: '  X: { plan: p, tax: none }' }), csv, { period: '2026-10' }).invoices;
    const c = compareInvoices(a, b, 'EUR', 2);
    expect(c.customers[0]!.difference.toFixed(2)).toBe('0.00');
    expect([c.customers[0]!.taxRuleA, c.customers[0]!.taxRuleB]).toEqual(['VAT 0%', 'no tax']);
  });
});
