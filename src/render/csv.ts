import type { Invoice, InvoiceRun } from '../invoice/types';
import { joined } from './chunks';
import { writtenChunks } from './invoice-writer';
import type { InvoiceWriter, TextOut } from './invoice-writer';
import { csvLine, numberCell, textCell } from './csv-cell';
import { money, unitPriceText } from './format-figures';

export const INVOICE_HEADER = [
  'invoice_number', 'customer_id', 'customer_name', 'period_start', 'period_end', 'currency',
  'subtotal', 'tax', 'total', 'diversion_fees_charged', 'diversion_closing_balance', 'tax_note',
];
export const LINE_HEADER = ['invoice_number', 'customer_id', 'code', 'description', 'seconds', 'quantity', 'unit', 'unit_price', 'amount'];

/** SPEC §5 `--format csv`: one row per invoice. */
export function renderInvoicesCsv(run: InvoiceRun): string {
  return joined(invoicesCsvChunks(run));
}

/** The same text in pieces of about 64 KiB (however many invoices). */
export function invoicesCsvChunks(run: InvoiceRun): Generator<string> {
  return writtenChunks((out) => new InvoicesCsvWriter(out), run);
}

/** The same, written an invoice at a time (invoice-writer.ts). */
export class InvoicesCsvWriter implements InvoiceWriter {
  constructor(private readonly out: TextOut) {
    out(csvLine(INVOICE_HEADER));
  }

  invoice(inv: Invoice): void {
    const m = inv.minor;
    this.out(
      csvLine([
        textCell(inv.invoiceNumber),
        textCell(inv.customerId),
        textCell(inv.customerName),
        textCell(inv.period.start),
        textCell(inv.period.end),
        textCell(inv.currency),
        numberCell(money(inv.subtotal, m)),
        numberCell(money(inv.tax, m)),
        numberCell(money(inv.total, m)),
        numberCell(String(inv.diversion.feesCharged)),
        numberCell(money(inv.diversion.closing, m)),
        textCell(inv.taxNote ?? ''),
      ]),
    );
  }

  end(): void {}
}

/** SPEC §5 `--format csv --detail`: one row per invoice line, in pieces of about 64 KiB. */
export function linesCsvChunks(run: InvoiceRun): Generator<string> {
  return writtenChunks((out) => new LinesCsvWriter(out), run);
}

/** The same, written an invoice at a time (invoice-writer.ts). */
export class LinesCsvWriter implements InvoiceWriter {
  constructor(private readonly out: TextOut) {
    out(csvLine(LINE_HEADER));
  }

  invoice(inv: Invoice): void {
    for (const l of inv.lines) {
      this.out(
        csvLine([
          textCell(inv.invoiceNumber),
          textCell(inv.customerId),
          textCell(l.code),
          textCell(l.description),
          numberCell(l.seconds === null ? '' : String(l.seconds)),
          numberCell(l.quantity),
          textCell(l.unit),
          numberCell(unitPriceText(l, inv.minor)),
          numberCell(money(l.amount, inv.minor)),
        ]),
      );
    }
  }

  end(): void {}
}
