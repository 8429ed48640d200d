import type { Invoice, InvoiceRun } from '../invoice/types';
import { joined } from './chunks';
import { writtenChunks } from './invoice-writer';
import type { InvoiceNotes, InvoiceWriter, RunTail, TextOut } from './invoice-writer';
import type { UnlistedCustomer } from '../pricing/unlisted';
import { grouped, money, unitPriceText } from './format-figures';
import { counted, unitFor } from './plural';
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

/** What the table says beside the invoices that are not in the invoices themselves. */
export interface TableNotes {
  /** Customers billed under default_plan because they are not listed (docs/reference.md §3.5). */
  unlisted?: { customers: readonly UnlistedCustomer[] };
}

const HEADINGS = ['Description', 'Quantity', 'Unit', 'Unit price', 'Amount'] as const;

function invoiceBlock(inv: Invoice, p: Painter, unlisted: UnlistedCustomer | undefined): string[] {
  const m = inv.minor;
  const g = (d: Parameters<typeof money>[0]) => grouped(money(d, m));
  const out: string[] = [];
  out.push(p.heading(`${terminalSafe(inv.invoiceNumber)}  ${terminalSafe(inv.customerName)} (${terminalSafe(inv.customerId)}), plan ${terminalSafe(inv.plan)}`));
  // beside the invoice it concerns: a customer nobody listed is billed only with a word about it
  // (under default_plan, which is therefore its invoice's plan)
  if (unlisted) {
    const like = unlisted.lookalikes.length > 0 ? `; looks like ${unlisted.lookalikes.map((k) => terminalSafe(k)).join(' or ')}` : '';
    out.push(p.bad(`  NOT LISTED under customers: billed under default_plan ${terminalSafe(inv.plan)} (${counted(unlisted.records, 'record')}${like})`));
  }
  out.push(p.dim(`  period ${inv.period.start} to ${inv.period.end}, issued ${inv.issueDate}, due ${inv.dueDate}, ${inv.currency}`));
  const rows = inv.lines.map((l) => [terminalSafe(l.description), grouped(l.quantity), unitFor(l.quantity, l.unit), grouped(unitPriceText(l, m)), g(l.amount)]);
  const w = HEADINGS.map((h) => [...h].length);
  for (const r of rows) r.forEach((c, i) => (w[i] = Math.max(w[i]!, [...c].length)));
  // the totals stand under the Amount column: it is as wide as they are
  const figures = [g(inv.subtotal), g(inv.tax), g(inv.total)];
  w[4] = Math.max(w[4]!, ...figures.map((f) => f.length));
  const row = (r: readonly string[], times: string, amount: (s: string) => string) =>
    `  ${pad(r[0]!, w[0]!)}  ${pad(r[1]!, w[1]!, true)} ${pad(r[2]!, w[2]!)} ${times} ${pad(r[3]!, w[3]!, true)}  ${amount(pad(r[4]!, w[4]!, true))}`;
  if (rows.length === 0) out.push(p.dim('  (no charges)'));
  else {
    out.push(p.label(row(HEADINGS, ' ', (s) => s)));
    for (const r of rows) out.push(row(r, '×', p.money));
  }
  const tax = inv.taxName !== null && inv.taxRate !== null ? `${terminalSafe(inv.taxName)} ${inv.taxRate.toFixed()}%` : 'no tax';
  const amountWidth = w[4]!;
  const labelWidth = rows.length > 0 ? w[0]! + 2 + w[1]! + 1 + w[2]! + 3 + w[3]! + 1 : 20;
  const total = (label: string, f: string, paint: (s: string) => string) => `  ${paint(pad(label, Math.max(labelWidth, [...label].length)))} ${p.money(pad(f, amountWidth, true))}`;
  out.push(total('subtotal', figures[0]!, (x) => x));
  out.push(total(tax, figures[1]!, (x) => x));
  out.push(total('total', figures[2]!, p.label));
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
      `  Diversion: opening ${g(d.opening)}${d.adjustment ? ` (with an adjustment of ${g(d.adjustment)} from a correction)` : ''}, ${counted(d.feesCharged, 'fee')} charged, transfers mobile ${d.mobile.records} (${grouped(String(d.mobile.seconds))} s, ${g(d.mobile.cost)}), ` +
        `international ${d.international.records} (${grouped(String(d.international.seconds))} s, ${g(d.international.cost)}), closing ${g(d.closing)}`,
    );
  }
  out.push(p.dim(`  contacts: voice ${inv.counts.voice}, chat ${inv.counts.chat}, abandoned ${inv.counts.abandoned}, diverted ${inv.counts.diverted}`));
  return out;
}

/** SPEC §5 `--format table`: a per-customer summary, the totals and the control figures. */
export function renderTable(run: InvoiceRun, p: Painter, notes: TableNotes = {}): string {
  return joined(tableChunks(run, p, notes));
}

/** The same text in pieces of about 64 KiB. */
function tableChunks(run: InvoiceRun, p: Painter, notes: TableNotes = {}): Generator<string> {
  const unlisted = new Map((notes.unlisted?.customers ?? []).map((u) => [u.id, u]));
  return writtenChunks((out) => new TableWriter(out, p), run, (inv) => ({ unlisted: unlisted.get(inv.customerId) }));
}

/** The same text, written an invoice at a time (invoice-writer.ts). */
export class TableWriter implements InvoiceWriter {
  private none = true;
  constructor(private readonly out: TextOut, private readonly p: Painter) {}

  invoice(inv: Invoice, notes?: InvoiceNotes): void {
    this.none = false;
    for (const l of invoiceBlock(inv, this.p, notes?.unlisted)) this.out(l + '\n');
    this.out('\n');
  }

  end(run: RunTail): void {
    const p = this.p;
    if (this.none) this.out(p.dim('No invoices.') + '\n\n');
    for (const [code, t] of [...run.totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
      this.out(p.heading(`Totals ${code}: subtotal ${grouped(money(t.subtotal, t.minor))}, tax ${grouped(money(t.tax, t.minor))}, total ${grouped(money(t.total, t.minor))}`) + '\n');
    }
    const c = run.control;
    this.out(
      p.dim(
        `Records: ${c.recordsRead} read, ${c.recordsBilled} billed, ${c.recordsRejected} rejected, ${c.recordsOutsidePeriod} outside the period` +
          (c.recordsAlreadyBilled !== undefined ? `, ${c.recordsAlreadyBilled} already billed, ${c.recordsLate ?? 0} late` : ''),
      ) + '\n',
    );
    if (c.extrasRead > 0) this.out(p.dim(`Extras: ${c.extrasRead} read, ${c.extrasBilled} billed, ${c.extrasRejected} rejected, ${c.extrasOutsidePeriod} outside the period${c.extrasLate !== undefined ? `, ${c.extrasLate} late` : ''}`) + '\n');
  }
}
