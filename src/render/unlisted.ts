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

/** The customers billed under default_plan: how many, and the first ones by id (pipeline/unlisted.ts). */
interface Unlisted {
  plan: string | null;
  count: number;
  named: readonly UnlistedCustomer[];
}

/** The lines that name the customers billed under default_plan: the first 20, then a count. */
function namedLines({ named, count }: Unlisted): string[] {
  const lines = named.slice(0, NAMED_AT_MOST).map((u) => `  ${unlistedLine(u)}`);
  if (count > NAMED_AT_MOST) lines.push(`  ... and ${count - NAMED_AT_MOST} more`);
  return lines;
}

function heading(n: number, plan: string): string {
  return `${counted(n, 'customer')} not listed under customers ${n === 1 ? 'was' : 'were'} billed under default_plan ${terminalSafe(plan)}:`;
}

/** The stderr notice of invoice and issue (nothing when every customer billed is listed). */
export function unlistedNotice(u: Unlisted, pricesPath: string): string {
  if (u.count === 0 || u.plan === null) return '';
  return (
    [
      `callbill: ${heading(u.count, u.plan)}`,
      ...namedLines(u),
      `callbill: if they are customers, list them under customers in ${terminalSafe(pricesPath)}; unlisted_customers: reject makes their rows rejected rows instead (docs/reference.md §3.5)`,
    ].join('\n') + '\n'
  );
}

/** The same in check's report (stdout). */
export function unlistedReport(u: Unlisted): string {
  if (u.count === 0 || u.plan === null) return '';
  return [`customers not listed: ${u.count} would be billed under default_plan ${terminalSafe(u.plan)}:`, ...namedLines(u)].join('\n') + '\n';
}
