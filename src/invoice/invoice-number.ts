import { DataError, quoteValue } from '../errors';

/**
 * Document numbers from the price list's templates (SPEC §3, §7): one pass over the
 * template with a function replacer, each placeholder replaced once, so a value is never
 * read as a replacement pattern (`$&`, `$'`, `$$`) nor searched again for placeholders:
 * a customer called `{period}` or `$$` keeps its name in its number.
 */

/** Matches every placeholder of a number template; `seq` may carry a width (`{seq:5}`). */
const PLACEHOLDER = /\{(customer|period|year|seq(?::([1-9][0-9]?))?)\}/g;

/** What a number template is filled with. */
export interface NumberFields {
  customer: string;
  /** `2026-10` for a --period month, else `2026-10-01_2026-10-31`. */
  period: string;
  /** The issue date, YYYY-MM-DD: `{year}` is its year. */
  issueDate: string;
  /**
   * The number in its series, assigned by the ledger; null or absent outside a ledger,
   * where `{seq}` prints as `DRAFT`; '' to get the series name (the template without `{seq}`).
   */
  seq?: bigint | number | null | '';
}

/** Whether the text is a well-formed placeholder name (`customer`, `seq:5`…); for the price list's checks. */
export function isPlaceholder(name: string): boolean {
  return /^(customer|period|year|seq(:[1-9][0-9]?)?)$/.test(name);
}

/** True when the template numbers by series (`{seq}`): outside a ledger those are drafts, not final numbers. */
export function hasSeq(template: string): boolean {
  return /\{seq(:[1-9][0-9]?)?\}/.test(template);
}

/** Fills a number template in one pass. */
export function fillNumber(template: string, f: NumberFields): string {
  return template.replace(PLACEHOLDER, (_m, name: string, width: string | undefined) => {
    if (name === 'customer') return f.customer;
    if (name === 'period') return f.period;
    if (name === 'year') return f.issueDate.slice(0, 4);
    // seq
    if (f.seq === '') return '';
    if (f.seq === null || f.seq === undefined) return 'DRAFT';
    const s = f.seq.toString();
    return width === undefined ? s : s.padStart(Number(width), '0');
  });
}

/** SPEC §7: a series is the template with `{seq…}` left out and the other fields filled in. */
export function seriesOf(template: string, f: Omit<NumberFields, 'seq'>): string {
  return fillNumber(template, { ...f, seq: '' });
}

/**
 * Two invoices must never share a number (a payment or a credit note would find the
 * wrong one). Refused (65), naming both customers. Drafts (`{seq}` outside a ledger,
 * printed `DRAFT`) are not numbers yet and may repeat; in a ledger every `{seq}` is
 * filled from its series, so those numbers never repeat.
 */
export function assertUniqueNumbers(template: string, invoices: ReadonlyArray<{ invoiceNumber: string; customerId: string }>): void {
  const u = new UniqueNumbers(template);
  for (const inv of invoices) u.check(inv);
}

/**
 * The same refusal, one invoice at a time as a run builds them. `filledHere`: every
 * number is `fillNumber(template)` with the invoice's own customer id and the run's
 * period and issue date. With `{customer}` in the template such numbers cannot repeat,
 * and none is kept: the other fields are the same for the whole run, so a number's
 * length gives its id's length, and the place of the first `{customer}` then gives the
 * id itself; two different ids never make one number. Otherwise each number is kept
 * until the end of the run (without `{customer}` they are all one number, so a second
 * invoice is refused at once).
 */
export class UniqueNumbers {
  private readonly seen = new Map<string, string>();
  private readonly skip: boolean;

  constructor(private readonly template: string, filledHere = false) {
    this.skip = hasSeq(template) || (filledHere && template.includes('{customer}'));
  }

  check(inv: { invoiceNumber: string; customerId: string }): void {
    if (this.skip) return;
    const other = this.seen.get(inv.invoiceNumber);
    if (other !== undefined) {
      throw new DataError(
        `customers ${quoteValue(other)} and ${quoteValue(inv.customerId)} would both get invoice number ${quoteValue(inv.invoiceNumber)} ` +
          `(invoice_number template ${quoteValue(this.template)}); rename one of them or change the template`,
      );
    }
    this.seen.set(inv.invoiceNumber, inv.customerId);
  }
}
