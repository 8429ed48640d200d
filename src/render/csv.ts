import type { InvoiceRun } from '../invoice/types';
import { batched, joined } from './chunks';
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
  return batched(invoiceRows(run));
}

function* invoiceRows(run: InvoiceRun): Generator<string> {
  yield csvLine(INVOICE_HEADER);
  for (const inv of run.invoices) {
    const m = inv.minor;
    yield csvLine([
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
    ]);
  }
}

/** SPEC §5 `--format csv --detail`: one row per invoice line, in pieces of about 64 KiB. */
export function linesCsvChunks(run: InvoiceRun): Generator<string> {
  return batched(lineRows(run));
}

function* lineRows(run: InvoiceRun): Generator<string> {
  yield csvLine(LINE_HEADER);
  for (const inv of run.invoices) {
    for (const l of inv.lines) {
      yield csvLine([
        textCell(inv.invoiceNumber),
        textCell(inv.customerId),
        textCell(l.code),
        textCell(l.description),
        numberCell(l.seconds === null ? '' : String(l.seconds)),
        numberCell(l.quantity),
        textCell(l.unit),
        numberCell(unitPriceText(l, inv.minor)),
        numberCell(money(l.amount, inv.minor)),
      ]);
    }
  }
}
