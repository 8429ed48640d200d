import type { Invoice } from '../invoice/types';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { csvLine, numberCell, roundTripCell } from './csv-cell';
import type { InvoiceWriter, TextOut } from './invoice-writer';

/**
 * `--balances-out` (SPEC §4.4): every invoiced customer with a non-zero closing
 * balance, and every customer with an opening row (kept even when it drops to 0,
 * and carried unchanged when the run did not invoice it), sorted by id. Ids are
 * spreadsheet-safe and read back exactly by --balances-in (roundTripCell / unprefixCell).
 * Written an invoice at a time, from invoices in customer-id order (the order of a
 * run): the opening rows of customers not invoiced are merged in at their place, so
 * only the opening balances are held, never the invoices.
 */
export class BalancesWriter implements InvoiceWriter {
  /** The customers with an opening row, sorted; those before `next` are written. */
  private readonly ids: string[];
  private next = 0;

  constructor(private readonly out: TextOut, private readonly opening: ReadonlyMap<string, Dec>, private readonly minor: number) {
    this.ids = [...opening.keys()].sort(byCodeUnit);
    out(csvLine(['customer_id', 'diversion_balance']));
  }

  invoice(inv: Invoice): void {
    this.carryUpTo(inv.customerId);
    const opened = this.ids[this.next] === inv.customerId;
    if (opened) this.next++;
    if (!inv.diversion.closing.isZero() || opened) this.row(inv.customerId, inv.diversion.closing);
  }

  end(): void {
    this.carryUpTo(null);
  }

  /** The opening rows before `id` (all that are left: null), carried unchanged. */
  private carryUpTo(id: string | null): void {
    while (this.next < this.ids.length && (id === null || byCodeUnit(this.ids[this.next]!, id) < 0)) {
      const c = this.ids[this.next++]!;
      this.row(c, this.opening.get(c)!);
    }
  }

  private row(id: string, balance: Dec): void {
    this.out(csvLine([roundTripCell(id), numberCell(formatMoney(balance, this.minor))]));
  }
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
