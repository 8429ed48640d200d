import { join } from 'node:path';
import { DataError } from '../../src/errors';
import { assertUniqueNumbers, fillNumber } from '../../src/invoice/invoice-number';
import { runInProcess } from '../helpers/cli';
import { cell, folder, P_YAML, U_HEAD } from './helpers';

describe('invoice numbers: the template is filled in one pass', () => {
  it('keeps customer ids with $ patterns and placeholders literally', async () => {
    const ids = ['$', '$$', "X$'", '$&Z', '{period}', '2026-10'];
    const usage = U_HEAD + ids.map((id, i) => `r${i},${cell(id)},voice,2026-10-01T09:15:00Z,60\n`).join('');
    const dir = folder({ 'P.yaml': P_YAML, 'U.csv': usage });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--format', 'json', '--issue-date', '2026-11-01', join(dir, 'U.csv')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const numbers = (JSON.parse(r.stdout) as { invoices: Array<{ customer_id: string; invoice_number: string }> }).invoices.map((i) => [i.customer_id, i.invoice_number]);
    // worked out by hand: the id, a dash, the period
    expect(Object.fromEntries(numbers)).toEqual({
      $: '$-2026-10',
      $$: '$$-2026-10',
      "X$'": "X$'-2026-10",
      '$&Z': '$&Z-2026-10',
      '{period}': '{period}-2026-10',
      '2026-10': '2026-10-2026-10',
    });
  });

  it('fills {seq}, {seq:N} and {year} in the same pass; outside a ledger {seq} is DRAFT', () => {
    const f = { customer: '{seq}$&', period: '2026-10', issueDate: '2027-01-05' };
    expect(fillNumber('INV-{year}-{seq:5}-{customer}', f)).toBe('INV-2027-DRAFT-{seq}$&');
    expect(fillNumber('INV-{year}-{seq:5}', { ...f, seq: 42 })).toBe('INV-2027-00042');
    expect(fillNumber('INV-{seq}/{period}', { ...f, seq: 123456 })).toBe('INV-123456/2026-10');
    expect(fillNumber('{seq:3}', { ...f, seq: 12345 })).toBe('12345');
  });

  it('refuses two invoices that would share a number, naming both customers', () => {
    let err: unknown;
    try {
      assertUniqueNumbers('{customer}', [
        { invoiceNumber: 'A', customerId: 'first' },
        { invoiceNumber: 'B', customerId: 'other' },
        { invoiceNumber: 'A', customerId: 'second' },
      ]);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).exitCode).toBe(65);
    expect((err as DataError).message).toContain('"first" and "second"');
    expect((err as DataError).message).toContain('"A"');
    // drafts of a series are not numbers yet
    expect(() => assertUniqueNumbers('INV-{seq:5}', [{ invoiceNumber: 'INV-DRAFT', customerId: 'a' }, { invoiceNumber: 'INV-DRAFT', customerId: 'b' }])).not.toThrow();
  });
});
