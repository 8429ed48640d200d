import type { Invoice, InvoiceRun } from '../invoice/types';
import { batched, joined } from './chunks';
import { money, unitPriceText } from './format-figures';
import { terminalSafe } from './terminal-safe';

/** Colour roles; the shell builds them from chalk, or plain identity functions. */
export interface Painter {
  heading(s: string): string;
  label(s: string): string;
  money(s: string): string;
  good(s: string): string;
  bad(s: string): string;
  dim(s: string): string;
}

export const PLAIN: Painter = {
  heading: (s) => s,
  label: (s) => s,
  money: (s) => s,
  good: (s) => s,
  bad: (s) => s,
  dim: (s) => s,
};

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

function invoiceBlock(inv: Invoice, p: Painter): string[] {
  const m = inv.minor;
  const out: string[] = [];
  out.push(p.heading(`${terminalSafe(inv.invoiceNumber)}  ${terminalSafe(inv.customerName)} (${terminalSafe(inv.customerId)}), plan ${terminalSafe(inv.plan)}`));
  out.push(p.dim(`  period ${inv.period.start} to ${inv.period.end}, issued ${inv.issueDate}, due ${inv.dueDate}, ${inv.currency}`));
  const rows = inv.lines.map((l) => [
    terminalSafe(l.description),
    l.quantity,
    l.unit,
    unitPriceText(l, m),
    money(l.amount, m),
  ]);
  const w = [0, 0, 0, 0, 0];
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i]!, [...c].length)));
  for (const r of rows) {
    out.push(`  ${pad(r[0]!, w[0]!)}  ${pad(r[1]!, w[1]!, true)} ${pad(r[2]!, w[2]!)} × ${pad(r[3]!, w[3]!, true)}  ${p.money(pad(r[4]!, w[4]!, true))}`);
  }
  if (rows.length === 0) out.push(p.dim('  (no charges)'));
  const totalWidth = Math.max(12, w[4]!);
  const tax = inv.taxName !== null && inv.taxRate !== null ? `${terminalSafe(inv.taxName)} ${inv.taxRate.toFixed()}%` : 'no tax';
  out.push(`  ${pad('subtotal', 20)} ${p.money(pad(money(inv.subtotal, m), totalWidth, true))}`);
  out.push(`  ${pad(tax, 20)} ${p.money(pad(money(inv.tax, m), totalWidth, true))}`);
  out.push(`  ${p.label(pad('total', 20))} ${p.money(pad(money(inv.total, m), totalWidth, true))}`);
  // SPEC §11: the rule's mention (reverse charge, exemption) under the totals, as on the invoice sent
  if (inv.taxNote !== null) out.push(`  ${terminalSafe(inv.taxNote)}`);
  const s = inv.sla;
  const sl = s.serviceLevelPercent === null ? 'n/a' : `${s.serviceLevelPercent.toFixed(2)}%`;
  const av = (x: typeof s.averageResponseSeconds.voice) => (x === null ? 'n/a' : `${x.toFixed()} s`);
  const slaText = `  SLA: service level ${sl}, average response voice ${av(s.averageResponseSeconds.voice)}, chat ${av(s.averageResponseSeconds.chat)}`;
  out.push(s.misses > 0 ? p.bad(`${slaText}; ${s.misses} missed (${s.missed.join('; ')}), credit ${s.creditPercent.toFixed()}%`) : s.hasTerms ? p.good(`${slaText}; all targets met`) : p.dim(`${slaText}; no SLA terms`));
  const d = inv.diversion;
  if (d.feesCharged > 0n || !d.opening.isZero() || d.mobile.records + d.international.records > 0) {
    out.push(
      `  Diversion: opening ${money(d.opening, m)}${d.adjustment ? ` (with an adjustment of ${money(d.adjustment, m)} from a correction)` : ''}, fees charged ${d.feesCharged}, transfers mobile ${d.mobile.records} (${d.mobile.seconds} s, ${money(d.mobile.cost, m)}), ` +
        `international ${d.international.records} (${d.international.seconds} s, ${money(d.international.cost, m)}), closing ${money(d.closing, m)}`,
    );
  }
  out.push(p.dim(`  contacts: voice ${inv.counts.voice}, chat ${inv.counts.chat}, abandoned ${inv.counts.abandoned}, diverted ${inv.counts.diverted}`));
  return out;
}

/** SPEC §5 `--format table`: a per-customer summary, the totals and the control figures. */
export function renderTable(run: InvoiceRun, p: Painter): string {
  return joined(tableChunks(run, p));
}

/** The same text in pieces of about 64 KiB. */
export function tableChunks(run: InvoiceRun, p: Painter): Generator<string> {
  return batched(tableLines(run, p));
}

function* tableLines(run: InvoiceRun, p: Painter): Generator<string> {
  for (const inv of run.invoices) {
    for (const l of invoiceBlock(inv, p)) yield l + '\n';
    yield '\n';
  }
  if (run.invoices.length === 0) yield p.dim('No invoices.') + '\n\n';
  for (const [code, t] of [...run.totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
    yield p.heading(`Totals ${code}: subtotal ${money(t.subtotal, t.minor)}, tax ${money(t.tax, t.minor)}, total ${money(t.total, t.minor)}`) + '\n';
  }
  const c = run.control;
  yield (
    p.dim(
      `Records: ${c.recordsRead} read, ${c.recordsBilled} billed, ${c.recordsRejected} rejected, ${c.recordsOutsidePeriod} outside the period` +
        (c.recordsAlreadyBilled !== undefined ? `, ${c.recordsAlreadyBilled} already billed, ${c.recordsLate ?? 0} late` : ''),
    ) + '\n'
  );
  if (c.extrasRead > 0) yield p.dim(`Extras: ${c.extrasRead} read, ${c.extrasBilled} billed, ${c.extrasRejected} rejected, ${c.extrasOutsidePeriod} outside the period${c.extrasLate !== undefined ? `, ${c.extrasLate} late` : ''}`) + '\n';
}
