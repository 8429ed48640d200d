import fc from 'fast-check';
import type { Invoice } from '../../src/invoice/types';
import { Dec } from '../../src/money/decimal';
import { BalancesWriter } from '../../src/render/balances-csv';

/**
 * --balances-out is written an invoice at a time, the opening rows of customers not
 * invoiced merged in at their place: the file must be the one made from the whole
 * list (every opening row, then each invoiced customer's closing balance when it is
 * not 0 or it had an opening row, sorted by id).
 */
function written(invoices: Array<{ id: string; closing: string }>, opening: Map<string, Dec>): string[] {
  const out: string[] = [];
  const w = new BalancesWriter((t) => out.push(t), opening, 2);
  for (const inv of invoices) w.invoice({ customerId: inv.id, diversion: { closing: new Dec(inv.closing) } } as unknown as Invoice);
  w.end();
  return out.join('').trimEnd().split('\n');
}

function expected(invoices: Array<{ id: string; closing: string }>, opening: Map<string, Dec>): string[] {
  const rows = new Map<string, string>();
  for (const [id, b] of opening) rows.set(id, b.toFixed(2));
  for (const inv of invoices) if (!new Dec(inv.closing).isZero() || opening.has(inv.id)) rows.set(inv.id, new Dec(inv.closing).toFixed(2));
  const ids = [...rows.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return ['customer_id,diversion_balance', ...ids.map((id) => `${id},${rows.get(id)}`)];
}

it('merges the opening rows into the invoices in id order, as the whole list would give', () => {
  const id = fc.stringMatching(/^[A-Da-d0-9_]{1,3}$/);
  fc.assert(
    fc.property(
      fc.uniqueArray(id, { maxLength: 12 }),
      fc.array(fc.tuple(id, fc.constantFrom('0', '0.00', '12.5', '-3')), { maxLength: 8 }),
      fc.array(fc.constantFrom('0', '7.25', '-1'), { minLength: 12, maxLength: 12 }),
      (invoiced, openingRows, closings) => {
        const invoices = [...invoiced].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)).map((i, k) => ({ id: i, closing: closings[k]! }));
        const opening = new Map(openingRows.map(([i, b]) => [i, new Dec(b)]));
        expect(written(invoices, opening)).toEqual(expected(invoices, opening));
      },
    ),
    { numRuns: 300 },
  );
});

it('an opening row of a customer not invoiced, between and after the invoiced ones, is carried unchanged', () => {
  const opening = new Map([['B', new Dec('4')], ['D', new Dec('0')], ['Z', new Dec('1.5')]]);
  expect(written([{ id: 'A', closing: '0' }, { id: 'C', closing: '2' }, { id: 'D', closing: '0' }], opening)).toEqual([
    'customer_id,diversion_balance',
    'B,4.00',
    'C,2.00',
    'D,0.00',
    'Z,1.50',
  ]);
});
