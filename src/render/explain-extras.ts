import type { ExtrasExplanation } from '../explain/explain-extras';
import type { Painter } from './table';
import { terminalSafe } from './terminal-safe';

export function renderExtrasExplanationJson(e: ExtrasExplanation): string {
  return JSON.stringify(e, null, 2) + '\n';
}

const W = 13;
const STATUS: Record<ExtrasExplanation['status'], string> = { billed: 'billed', rejected: 'rejected', outside_period: 'outside the period' };

/** `explain --extras FILE --row N` for people: one labelled section per step, from the same data as the JSON. */
export function renderExtrasExplanationTable(e: ExtrasExplanation, p: Painter): string {
  const out: string[] = [];
  const section = (label: string, lines: string[]): void => {
    lines.forEach((l, i) => out.push(`${i === 0 ? p.label(label.padEnd(W)) : ' '.repeat(W)}${terminalSafe(l)}`.trimEnd()));
  };
  out.push(p.heading(terminalSafe(`Extras row ${e.source}: ${STATUS[e.status]}${e.line ? ` on invoice ${e.line.invoice_number}` : ''}`)), '');
  const w = Math.max(0, ...e.cells.map((c) => [...c.column].length));
  section('As read', e.cells.map((c) => `${c.column.padEnd(w)}  ${c.value}`));
  if (e.rejection) section('Rejected', [`${e.source}: ${e.rejection.column}: ${e.rejection.message}${e.rejection.value === '' ? '' : ` (${JSON.stringify(e.rejection.value)})`}`]);
  if (e.customer) section('Customer', [`${e.customer.id}${e.customer.name !== null ? ` (${e.customer.name})` : ''}, plan ${e.customer.plan} (${e.customer.plan_from === 'customers' ? 'listed under customers' : 'not listed: default_plan'})`]);
  if (e.date) section('Date', [`${e.date.given} → local date ${e.date.local_date}, priced at ${e.date.instant}`]);
  if (e.version) section('Version', [`from ${e.version.effective_from} (starts ${e.version.starts}): the version in effect on the row's date`]);
  if (e.service) section('Service', [`${e.service.code} "${e.service.name}": ${e.service.price} a ${e.service.unit} × ${e.service.quantity} = ${e.service.exact}`]);
  if (e.line) section('Invoice', [`${e.line.invoice_number}, line ${e.line.code} (from ${e.version!.effective_from}): ${e.line.arithmetic}`]);
  if (e.notes.length) section('Notes', e.notes);
  return out.join('\n') + '\n';
}
