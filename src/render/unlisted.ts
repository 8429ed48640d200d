import type { UnlistedCustomer } from '../pricing/unlisted';
import { NAMED_AT_MOST } from '../pricing/unlisted';
import { counted } from './plural';
import { terminalSafe } from './terminal-safe';

/** `AMCE: 3 records (looks like ACME)`: one customer not listed, as the notices name it. */
function unlistedLine(u: UnlistedCustomer): string {
  const what = [counted(u.records, 'record'), ...(u.extras > 0 ? [counted(u.extras, 'extras row')] : [])].join(', ');
  const like = u.lookalikes.length > 0 ? ` (looks like ${u.lookalikes.map((k) => terminalSafe(k)).join(' or ')})` : '';
  return `${terminalSafe(u.id)}: ${what}${like}`;
}

/** The lines that name the customers billed under default_plan: the first 20, then a count. */
function namedLines(list: readonly UnlistedCustomer[]): string[] {
  const lines = list.slice(0, NAMED_AT_MOST).map((u) => `  ${unlistedLine(u)}`);
  if (list.length > NAMED_AT_MOST) lines.push(`  ... and ${list.length - NAMED_AT_MOST} more`);
  return lines;
}

function heading(list: readonly UnlistedCustomer[], plan: string): string {
  const n = list.length;
  return `${counted(n, 'customer')} not listed under customers ${n === 1 ? 'was' : 'were'} billed under default_plan ${terminalSafe(plan)}:`;
}

/** The stderr notice of invoice and issue (nothing when every customer billed is listed). */
export function unlistedNotice({ customers: list, plan }: { customers: readonly UnlistedCustomer[]; plan: string | null }, pricesPath: string): string {
  if (list.length === 0 || plan === null) return '';
  return (
    [
      `callbill: ${heading(list, plan)}`,
      ...namedLines(list),
      `callbill: if they are customers, list them under customers in ${terminalSafe(pricesPath)}; unlisted_customers: reject makes their rows rejected rows instead (docs/reference.md §3.5)`,
    ].join('\n') + '\n'
  );
}

/** The same in check's report (stdout). */
export function unlistedReport({ customers: list, plan }: { customers: readonly UnlistedCustomer[]; plan: string | null }): string {
  if (list.length === 0 || plan === null) return '';
  return [`customers not listed: ${list.length} would be billed under default_plan ${terminalSafe(plan)}:`, ...namedLines(list)].join('\n') + '\n';
}
