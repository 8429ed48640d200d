import { serviceCharge } from '../invoice/charge-models/service';
import { quantityText } from '../invoice/charge-models/service';
import { formatMoney } from '../money/round';
import type { PriceList } from '../pricing/types';
import type { ExtrasOutcome, ExtrasState } from '../rating/extras-fold';
import type { Period } from '../time/period';
import { instantText } from './steps';

/**
 * `callbill explain --extras FILE --row N` (SPEC §8): how one request for a service
 * was priced, as plain data — the JSON output is this object, the table is written
 * from it. The figures are the service charge model's own (price × the quantity sum
 * of the line, rounded once); nothing is priced a second time here.
 */
export interface ExtrasExplanation {
  source: string;
  status: 'billed' | 'rejected' | 'outside_period';
  cells: Array<{ column: string; value: string }>;
  rejection: { column: string; message: string; value: string } | null;
  customer: { id: string; name: string | null; plan: string; plan_from: 'customers' | 'default_plan' } | null;
  date: { given: string; local_date: string; instant: string } | null;
  version: { effective_from: string; starts: string } | null;
  service: { code: string; name: string; price: string; unit: string; quantity: string; exact: string } | null;
  /** The invoice line the row adds to: all the customer's rows of that service and version. */
  line: { code: string; invoice_number: string; quantity: string; amount: string; arithmetic: string } | null;
  notes: string[];
}

export function explainExtrasRow(
  source: string,
  cells: Array<{ column: string; value: string }>,
  outcome: ExtrasOutcome,
  state: ExtrasState,
  prices: PriceList,
  period: Period | null,
  invoiceNumberOf: (customerId: string) => string,
): ExtrasExplanation {
  const e: ExtrasExplanation = { source, status: 'billed', cells, rejection: null, customer: null, date: null, version: null, service: null, line: null, notes: [] };
  if (outcome.kind === 'rejected') {
    e.status = 'rejected';
    e.rejection = { column: outcome.problem.column, message: outcome.problem.message, value: outcome.problem.value };
    e.notes.push('A rejected row is on no invoice: `callbill invoice` stops on it (exit 65), or with --rejects FILE sets it aside there and bills the good rows.');
    return e;
  }
  const r = outcome.row;
  e.date = { given: r.dateText, local_date: r.localDate, instant: instantText(r.ms) };
  if (outcome.kind === 'outside' || outcome.kind === 'late') {
    e.status = 'outside_period';
    e.notes.push(`${r.localDate} is outside the period ${period?.label ?? ''}: the row is counted in extras_outside_period and billed with the month it belongs to.`);
    return e;
  }
  const minor = prices.currency.minor;
  const listed = prices.customers.get(r.customerId);
  e.customer = { id: r.customerId, name: listed?.name ?? null, plan: outcome.plan.name, plan_from: listed ? 'customers' : 'default_plan' };
  const v = outcome.plan.versions[outcome.versionIndex]!;
  e.version = { effective_from: v.effectiveFrom, starts: instantText(v.fromMs) };
  const service = v.services.get(r.service)!;
  const own = serviceCharge(service, r.thousandths, minor, prices.rounding);
  e.service = {
    code: service.code,
    name: service.name,
    price: service.price.toFixed(Math.max(minor, service.price.decimalPlaces())),
    unit: service.unit,
    quantity: quantityText(r.thousandths),
    exact: own.precise.toFixed(Math.max(minor, own.precise.decimalPlaces())),
  };
  const total = state.customers.get(r.customerId)?.versions.get(v.index)?.get(r.service) ?? r.thousandths;
  const line = serviceCharge(service, total, minor, prices.rounding);
  e.line = { code: `service.${service.code}`, invoice_number: invoiceNumberOf(r.customerId), quantity: quantityText(total), amount: formatMoney(line.amount, minor), arithmetic: line.explanation };
  e.notes.push(`The invoice sums the quantities of the customer's rows of this service and version, then rounds the line once (docs/fees-and-services.md): ${e.service.exact} is this row's exact share, not an amount rounded on its own.`);
  return e;
}
