import { DataError, quoteValue } from '../errors';

/** What an `invoice_number` template is filled with (SPEC §3, §7). */
export interface NumberFields {
  customer: string;
  /** `2026-10` for a --period month, else `2026-10-01_2026-10-31`. */
  period: string;
  /** YYYY-MM-DD: `{year}` is its year. */
  issueDate: string;
  /** The number in its series, assigned by the ledger; null outside a ledger, where `{seq}` prints as `DRAFT`. */
  seq?: number | null;
}

const PLACEHOLDER = /\{(customer|period|year|seq)(?::(\d+))?\}/g;

/**
 * Fills the template in ONE pass with a function replacer: a value is never read as a
 * replacement pattern (`$&`, `$'`, `$$`) nor searched again for placeholders, so a
 * customer called `{period}` or `$$` keeps its name in its number.
 */
export function fillInvoiceNumber(template: string, f: NumberFields): string {
  return template.replace(PLACEHOLDER, (whole: string, name: string, width: string | undefined) => {
    if (name === 'seq') {
      if (f.seq === null || f.seq === undefined) return 'DRAFT';
      const s = String(f.seq);
      return width === undefined ? s : s.padStart(Number(width), '0');
    }
    if (width !== undefined) return whole; // `{customer:3}` is no placeholder: the price list refuses it before
    if (name === 'customer') return f.customer;
    if (name === 'period') return f.period;
    return f.issueDate.slice(0, 4);
  });
}

/** True when the template numbers by series (`{seq}`): outside a ledger those are drafts, not final numbers. */
export function numbersBySeries(template: string): boolean {
  return /\{seq(?::\d+)?\}/.test(template);
}

/**
 * Two invoices must never share a number (a payment or a credit note would find the
 * wrong one). Refused (65), naming both customers. Drafts (`{seq}` outside a ledger)
 * are not numbers yet and are not compared.
 */
export function assertUniqueNumbers(template: string, invoices: ReadonlyArray<{ invoiceNumber: string; customerId: string }>): void {
  if (numbersBySeries(template)) return;
  const seen = new Map<string, string>();
  for (const inv of invoices) {
    const other = seen.get(inv.invoiceNumber);
    if (other !== undefined) {
      throw new DataError(
        `customers ${quoteValue(other)} and ${quoteValue(inv.customerId)} would both get invoice number ${quoteValue(inv.invoiceNumber)} ` +
          `(invoice_number template ${quoteValue(template)}); rename one of them or change the template`,
      );
    }
    seen.set(inv.invoiceNumber, inv.customerId);
  }
}

/** `{customer}` and `{period}` filled in (outside a ledger), in one pass like `fillInvoiceNumber`. */
export function invoiceNumber(template: string, customerId: string, periodLabel: string, issueDate = '0000-01-01'): string {
  return fillInvoiceNumber(template, { customer: customerId, period: periodLabel, issueDate });
}
