import type { Invoice, InvoiceRun } from '../invoice/types';
import type { UnlistedCustomer } from '../pricing/unlisted';
import { batched } from './chunks';

/** What a format writes after the invoices: the run's totals and control figures. */
export type RunTail = Pick<InvoiceRun, 'totals' | 'control'>;

/** What the run knows of one invoice beside the invoice itself. */
export interface InvoiceNotes {
  /** The customer is not listed and was billed under default_plan (docs/reference.md §3.5). */
  unlisted?: UnlistedCustomer;
}

/**
 * One format written an invoice at a time (a month of a million customers is never held
 * whole): `invoice` as each is built, in the run's order, then `end` once after the last.
 * The text goes to the `out` the writer was made with, in pieces as they are made.
 */
export interface InvoiceWriter {
  invoice(inv: Invoice, notes?: InvoiceNotes): void;
  end(tail: RunTail): void;
}

export type TextOut = (text: string) => void;

/**
 * A writer's text over invoices already in a list, in pieces of about 64 KiB, made as
 * they are read (`notes` gives each invoice's).
 */
export function writtenChunks(make: (out: TextOut) => InvoiceWriter, run: InvoiceRun, notes?: (inv: Invoice) => InvoiceNotes): Generator<string> {
  return batched(pieces(make, run, notes));
}

function* pieces(make: (out: TextOut) => InvoiceWriter, run: InvoiceRun, notes?: (inv: Invoice) => InvoiceNotes): Generator<string> {
  let made: string[] = [];
  const w = make((s) => made.push(s));
  for (const inv of run.invoices) {
    w.invoice(inv, notes?.(inv));
    yield* made;
    made = [];
  }
  w.end(run);
  yield* made;
}
