/**
 * The parts of the documents that are plain functions: the seller and billing blocks of
 * the price list (errors located, 78), the one formatting function, the escapes of names,
 * file names, and the HTML of a hostile invoice. Expected values are written out by hand.
 */
import { HEAD, priceErrors, prices } from '../helpers/prices';
import { renderDocumentHtml } from '../../src/render/documents/html';
import { documentFileName, documentModel, readable, shown } from '../../src/render/documents/model';
import type { InvoiceJson } from '../../src/render/documents/model';

const PLANS = `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
`;

describe('seller: and billing: in the price list', () => {
  it('reads every field', () => {
    const p = prices(
      HEAD +
        `seller:
  name: "S Lda"
  address: ["Rua 1", "Lisboa"]
  vat_id: PT1
  email: a@b.example
  bank: { iban: "PT50 0002 0123 1234 5678 9015 4", bic: CGDIPTPL }
  footer: "Thanks"
documents: { font: fonts/x.ttf }
customers:
  A: { name: "A", plan: p, billing: { address: ["1 Road"], vat_id: GB1, email: x@y.example } }
  B: { plan: p }
` +
        PLANS,
    );
    expect(p.seller).toEqual({ name: 'S Lda', address: ['Rua 1', 'Lisboa'], vatId: 'PT1', email: 'a@b.example', bank: { iban: 'PT50 0002 0123 1234 5678 9015 4', bic: 'CGDIPTPL' }, footer: 'Thanks' });
    expect(p.documentsFont).toBe('fonts/x.ttf');
    expect(p.customers.get('A')!.billing).toEqual({ address: ['1 Road'], vatId: 'GB1', email: 'x@y.example' });
    expect(p.customers.get('B')!.billing).toBeNull();
  });

  it('locates every mistake at its line and column', () => {
    const errors = priceErrors(
      HEAD +
        `seller:
  address: "one line"
  bank: { iban: "not an iban", bic: x }
  phone: 1
customers:
  A: { plan: p, billing: { fax: 1 } }
` +
        PLANS,
    );
    // HEAD has 3 lines: seller: is line 4
    expect(errors).toEqual([
      expect.stringMatching(/^5:3: seller: missing key "name"/), // where the map starts
      expect.stringMatching(/^5:12: seller\.address \(a list of lines\)/),
      expect.stringMatching(/^6:17: seller\.bank\.iban: expected an IBAN/), // the opening quote
      expect.stringMatching(/^6:37: seller\.bank\.bic: expected 8 or 11/),
      expect.stringMatching(/^7:3: .*phone/),
      expect.stringMatching(/^9:28: .*fax/),
    ]);
  });
});

describe('readable: the one formatting function', () => {
  it.each([
    ['0.00', '0.00'],
    ['999.99', '999.99'],
    ['1000.00', '1,000.00'],
    ['-1234567.891', '-1,234,567.891'],
    ['12000', '12,000'],
    ['1235.2', '1,235.2'],
  ])('%s → %s', (a, b) => expect(readable(a)).toBe(b));
  it('refuses anything that is not a decimal string', () => {
    expect(() => readable('1e3')).toThrow();
    expect(() => readable('NaN')).toThrow();
  });
});

describe('names', () => {
  it('show bidi, zero-width and control characters escaped', () => {
    expect(shown('a\u202eb\u200bc\u0007d\u2066')).toBe('a\\u202eb\\u200bc\\u0007d\\u2066');
    expect(shown('Zürich Αθήνα')).toBe('Zürich Αθήνα');
  });
  it('become file names without separators, reserved names or a leading dot', () => {
    expect(documentFileName('INV/2026:10')).toBe('INV_2026_10');
    expect(documentFileName('..')).toBe('_..');
    expect(documentFileName('CON')).toBe('_CON');
    expect(documentFileName('a\u202eb')).toBe('a_b');
    expect(Buffer.byteLength(documentFileName('é'.repeat(300)))).toBeLessThanOrEqual(200);
  });
});

describe('the HTML of a hostile invoice', () => {
  const inv: InvoiceJson = {
    invoice_number: 'X-1',
    kind: 'credit_note',
    credits: 'X-0',
    customer_id: '<b>',
    customer_name: '<img src=x onerror=alert(1)>',
    currency: 'EUR',
    period: { start: '2026-10-01', end: '2026-10-31' },
    issue_date: '2026-11-01',
    due_date: '2026-11-15',
    lines: [{ code: 'voice.usage', description: '"><script>alert(1)</script>', quantity: '1', unit: 'minute', unit_price: '-1000.00', amount: '-1000.00' }],
    subtotal: '-1000.00',
    tax: '-230.00',
    total: '-1230.00',
    tax_name: 'VAT',
    tax_rate: '23',
    tax_note: 'Reverse charge',
    diversion: { opening_balance: '0.00', fees_charged: 0, closing_balance: '0.00', mobile: { records: 0, seconds: 0, cost: '0.00' }, international: { records: 0, seconds: 0, cost: '0.00' } },
    sla: { service_level_percent: null, average_response_seconds: { voice: null, chat: null }, misses: 0, credit_percent: '0' },
  };
  const html = renderDocumentHtml(documentModel({ invoice: inv, seller: null, billing: null }));

  it('has no markup from the data, no script and no URL', () => {
    expect(html).not.toMatch(/<img|<script|<b>/);
    expect(html).not.toMatch(/https?:|<[^>]*\ssrc=/i);
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
  });
  it('names the invoice a credit note reverses, its due date, tax name, rate and note', () => {
    expect(html).toContain('Credit note');
    expect(html).toContain('Reverses invoice X-0');
    expect(html).toContain('2026-11-15');
    expect(html).toContain('VAT 23 %');
    expect(html).toContain('Reverse charge');
    expect(html).toContain('EUR -1,230.00');
  });
});
