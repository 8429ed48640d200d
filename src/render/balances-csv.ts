import type { Invoice } from '../invoice/types';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { batched } from './chunks';
import { csvLine, numberCell, roundTripCell } from './csv-cell';

/**
 * `--balances-out` (SPEC §4.4): every invoiced customer with a non-zero closing
 * balance, and every customer with an opening row (kept even when it drops to 0,
 * and carried unchanged when the run did not invoice it). Ids are spreadsheet-safe
 * and read back exactly by --balances-in (roundTripCell / unprefixCell).
 * The text in pieces of about 64 KiB.
 */
export function balancesChunks(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): Generator<string> {
  return batched(balanceLines(invoices, opening, minor));
}

function* balanceLines(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): Generator<string> {
  const closing = new Map<string, Dec>();
  for (const [id, b] of opening) closing.set(id, b);
  for (const inv of invoices) {
    if (!inv.diversion.closing.isZero() || opening.has(inv.customerId)) closing.set(inv.customerId, inv.diversion.closing);
  }
  yield csvLine(['customer_id', 'diversion_balance']);
  for (const id of [...closing.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    yield csvLine([roundTripCell(id), numberCell(formatMoney(closing.get(id)!, minor))]);
  }
}
