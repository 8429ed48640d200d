import { compareCodes, compareInvoices } from '../../src/compare/compare-invoices';
import { bill, CSV_HEAD } from '../helpers/bill';
import { HEAD } from '../helpers/prices';

const list = (voice: string, chat: string, extra = '') =>
  HEAD +
  `tax: { name: VAT, rate: 10 }
default_plan: p
${extra}plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: ${voice}, increment: { first: 60, next: 60 } }
        chat: { per_minute: ${chat}, increment: { first: 60, next: 60 } }
`;

const usage =
  CSV_HEAD +
  'v1,V,voice,2026-10-05T10:00:00Z,600,,,,,\n' + // 10 min voice
  'c1,C,chat,2026-10-05T10:00:00Z,1200,,,,,\n' + // 20 min chat
  'z1,Z,chat,2026-10-05T10:00:00Z,60,,,,,\n' + // 1 min chat
  'y1,Y,voice,2026-10-05T10:00:00Z,60,,,,,\n'; // 1 min voice

describe('compareInvoices', () => {
  // A: voice 1.00, chat 0.50; B: voice 1.10, chat 0.45
  const a = bill(list('1.00', '0.50'), usage, { period: '2026-10' }).invoices;
  const b = bill(list('1.10', '0.45'), usage, { period: '2026-10' }).invoices;
  const cmp = compareInvoices(a, b, 'EUR', 2);

  it('B − A per customer, tax included, largest absolute difference first', () => {
    // V: 10.00 + 1.00 tax = 11.00 → 11.00 + 1.10 = 12.10 (+1.10, 10.00 %)
    // C: 10.00 + 1.00 = 11.00 → 9.00 + 0.90 = 9.90 (−1.10, −10.00 %): ties with V, so by id: C first
    // Y: 1.00 + 0.10 = 1.10 → 1.10 + 0.11 = 1.21 (+0.11); Z: 0.50 + 0.05 = 0.55 → 0.45 + 0.05 (0.045 half-up) = 0.50 (−0.05)
    expect(cmp.customers.map((c) => [c.customerId, c.totalA.toFixed(2), c.totalB.toFixed(2), c.difference.toFixed(2), c.percent?.toFixed(2)])).toEqual([
      ['C', '11.00', '9.90', '-1.10', '-10.00'],
      ['V', '11.00', '12.10', '1.10', '10.00'],
      ['Y', '1.10', '1.21', '0.11', '10.00'],
      ['Z', '0.55', '0.50', '-0.05', '-9.09'],
    ]);
  });
  it('a customer\'s code differences, tax included, add up to its difference; the totals row to the sum', () => {
    for (const c of cmp.customers) {
      expect(c.lines.reduce((s, l) => s.plus(l.difference), c.difference.minus(c.difference)).toFixed(2)).toBe(c.difference.toFixed(2));
    }
    expect(cmp.totals.difference.toFixed(2)).toBe('0.06'); // −1.10 + 1.10 + 0.11 − 0.05
    expect(cmp.totals.lines.map((l) => [l.code, l.difference.toFixed(2)])).toEqual([
      ['voice.usage', '1.10'], // 10.00 → 11.00 and 1.00 → 1.10
      ['chat.usage', '-1.05'], // 10.00 → 9.00 and 0.50 → 0.45
      ['tax', '0.01'], // 1.00 + 1.00 + 0.10 + 0.05 = 2.15 → 1.10 + 0.90 + 0.11 + 0.05 = 2.16
    ]);
  });
  it('a customer with a total of 0 under A has no percentage', () => {
    const zeroA = bill(list('0', '0'), usage, { period: '2026-10' }).invoices;
    const c = compareInvoices(zeroA, b, 'EUR', 2);
    expect(c.customers.every((x) => x.percent === null)).toBe(true);
  });
  it('a customer invoiced under one list only counts 0 under the other', () => {
    const onlyV = bill(list('1.00', '0.50'), CSV_HEAD + 'v1,V,voice,2026-10-05T10:00:00Z,600,,,,,\n', { period: '2026-10' }).invoices;
    const c = compareInvoices(onlyV, b, 'EUR', 2);
    const z = c.customers.find((x) => x.customerId === 'Z')!;
    expect([z.totalA.toFixed(2), z.totalB.toFixed(2), z.percent]).toEqual(['0.00', '0.50', null]);
  });
});

describe('compareCodes: SPEC §4.6 order, then tax', () => {
  it('sorts codes as invoices list them', () => {
    const codes = ['tax', 'minimum.shortfall', 'chat.surcharge.a', 'voice.surcharge.z', 'voice.surcharge.b', 'sla.credit', 'diversion.fee', 'chat.contacts', 'voice.contacts', 'chat.usage', 'voice.usage'];
    expect([...codes].sort(compareCodes)).toEqual([
      'voice.usage', 'chat.usage', 'voice.contacts', 'chat.contacts', 'voice.surcharge.b', 'voice.surcharge.z', 'chat.surcharge.a', 'diversion.fee', 'sla.credit', 'minimum.shortfall', 'tax',
    ]);
  });
});
