/**
 * Document numbers from the price list's templates (SPEC §3, §7): one pass over the
 * template, each placeholder replaced once, so a customer id that itself looks like
 * a placeholder (`{period}`) is printed as it is, never filled a second time.
 */

export const NUMBER_PLACEHOLDERS = ['customer', 'period', 'year', 'seq', 'seq:N'] as const;

/** Matches every placeholder of a number template; `seq` may carry a width (`{seq:5}`). */
const PLACEHOLDER = /\{(customer|period|year|seq(?::([1-9][0-9]?))?)\}/g;

export interface NumberFields {
  customer: string;
  /** `2026-10`, or the span label without --period. */
  period: string;
  /** The issue date, YYYY-MM-DD: `{year}` is its year. */
  issueDate: string;
  /** The sequence number; null outside a ledger (`DRAFT`) ; '' for the series name. */
  seq: bigint | null | '';
}

/** Whether the text is a well-formed placeholder name (`customer`, `seq:5`…); for the price list's checks. */
export function isPlaceholder(name: string): boolean {
  return /^(customer|period|year|seq(:[1-9][0-9]?)?)$/.test(name);
}

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
    if (f.seq === null) return 'DRAFT';
    const s = f.seq.toString();
    return width === undefined ? s : s.padStart(Number(width), '0');
  });
}

/** SPEC §7: a series is the template with `{seq…}` left out and the other fields filled in. */
export function seriesOf(template: string, f: Omit<NumberFields, 'seq'>): string {
  return fillNumber(template, { ...f, seq: '' });
}
