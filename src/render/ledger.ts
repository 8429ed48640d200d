import type { DocumentRow, LineRow, RunRow } from '../ledger/ledger';
import type { CorrectResult } from '../pipeline/correct';
import { parseJsonExact, renderJsonValue } from './json';
import { csvLine, numberCell, roundTripCell, textCell } from './csv-cell';
import { INVOICE_HEADER, LINE_HEADER } from './csv';
import { terminalSafe } from './terminal-safe';

/**
 * What the `ledger` commands print (SPEC §7), from the rows the ledger returns. Pure:
 * the same rows always give the same bytes (`ledger export` is deterministic).
 */

export interface BalanceRow {
  customerId: string;
  balance: string;
  /** The issued invoice the balance closes (null: only adjustments). */
  lastInvoice: string | null;
  period: string | null;
  pendingAdjustments: string[];
}

function pad(cells: string[][]): string {
  const widths: number[] = [];
  for (const r of cells) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, [...c].length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - [...c].length))).join('  ').trimEnd()).join('\n') + '\n';
}

/** SPEC §7 `ledger invoices --format json`. */
export function documentsJson(docs: readonly DocumentRow[]): string {
  return (
    JSON.stringify(
      {
        documents: docs.map((d) => ({
          number: d.number,
          kind: d.kind,
          customer_id: d.customer_id,
          period: { start: d.period_start, end: d.period_end },
          issue_date: d.issue_date,
          due_date: d.due_date,
          currency: d.currency,
          subtotal: d.subtotal,
          tax: d.tax,
          total: d.total,
          status: d.status,
          credits: d.credits,
          credited_by: d.credited_by,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

const DOCUMENT_HEADER = ['number', 'kind', 'customer_id', 'period_start', 'period_end', 'issue_date', 'due_date', 'currency', 'subtotal', 'tax', 'total', 'status', 'credits', 'credited_by'];

export function documentsCsv(docs: readonly DocumentRow[]): string {
  let out = csvLine(DOCUMENT_HEADER);
  for (const d of docs) {
    out += csvLine([
      textCell(d.number), textCell(d.kind), textCell(d.customer_id), textCell(d.period_start), textCell(d.period_end), textCell(d.issue_date), textCell(d.due_date),
      textCell(d.currency), numberCell(d.subtotal), numberCell(d.tax), numberCell(d.total), textCell(d.status), textCell(d.credits ?? ''), textCell(d.credited_by ?? ''),
    ]);
  }
  return out;
}

export function documentsTable(docs: readonly DocumentRow[]): string {
  if (docs.length === 0) return 'No documents.\n';
  const rows = [['number', 'kind', 'customer', 'period', 'issued', 'total', 'status']];
  for (const d of docs) {
    const status = d.status === 'credited' ? `credited by ${d.credited_by}` : d.credits ? `credits ${d.credits}` : 'issued';
    rows.push([d.number, d.kind === 'invoice' ? 'invoice' : 'credit note', d.customer_id, d.period, d.issue_date, `${d.total} ${d.currency}`, status].map(terminalSafe));
  }
  return pad(rows);
}

/** `ledger show --format table`: the stored document for people (its figures as stored). */
export function documentTable(json: string): string {
  const d = JSON.parse(json) as {
    invoice_number: string; kind?: string; credits?: string; customer_id: string; customer_name: string; currency: string;
    period: { start: string; end: string }; issue_date: string; due_date: string;
    lines: Array<{ code: string; description: string; quantity: string; unit: string; unit_price: string; amount: string }>;
    subtotal: string; tax: string; total: string;
    diversion: { opening_balance: string; opening_adjustment?: string; fees_charged: number; closing_balance: string };
  };
  const title = d.kind === 'credit_note' ? `Credit note ${d.invoice_number} (reverses ${d.credits})` : `Invoice ${d.invoice_number}`;
  const out = [
    terminalSafe(title),
    terminalSafe(`${d.customer_id} — ${d.customer_name}`),
    `Period ${d.period.start} to ${d.period.end}; issued ${d.issue_date}, due ${d.due_date}`,
    '',
  ];
  const rows = [['code', 'description', 'quantity', 'unit', 'unit price', 'amount']];
  for (const l of d.lines) rows.push([l.code, l.description, l.quantity, l.unit, l.unit_price, l.amount].map(terminalSafe));
  out.push(pad(rows).trimEnd(), '');
  out.push(`Subtotal ${d.subtotal} ${d.currency}, tax ${d.tax}, total ${d.total}`);
  const dv = d.diversion;
  out.push(
    `Diversion: opening ${dv.opening_balance}${dv.opening_adjustment ? ` (with an adjustment of ${dv.opening_adjustment} from a correction)` : ''}, fees charged ${dv.fees_charged}, closing ${dv.closing_balance}`,
  );
  return out.join('\n') + '\n';
}

export function balancesCsv(rows: readonly BalanceRow[]): string {
  // the header of --balances-in: the file seeds a new ledger or feeds `invoice`
  let out = csvLine(['customer_id', 'diversion_balance']);
  for (const r of rows) out += csvLine([roundTripCell(r.customerId), numberCell(r.balance)]);
  return out;
}

export function balancesJson(rows: readonly BalanceRow[]): string {
  return (
    JSON.stringify(
      { balances: rows.map((r) => ({ customer_id: r.customerId, diversion_balance: r.balance, last_invoice: r.lastInvoice, period: r.period, pending_adjustments: r.pendingAdjustments })) },
      null,
      2,
    ) + '\n'
  );
}

export function balancesTable(rows: readonly BalanceRow[]): string {
  if (rows.length === 0) return 'No balances.\n';
  const t = [['customer', 'balance', 'closing of', 'pending adjustments']];
  for (const r of rows) t.push([r.customerId, r.balance, r.lastInvoice ? `${r.lastInvoice} (${r.period})` : '', r.pendingAdjustments.join(', ')].map(terminalSafe));
  return pad(t);
}

export function runsJson(runs: readonly RunRow[]): string {
  return (
    JSON.stringify(
      {
        runs: runs.map((r) => ({
          run: r.id,
          command: r.command,
          created_at: r.created_at,
          callbill_version: r.version,
          argv: JSON.parse(r.argv) as string[],
          period: r.period,
          issue_date: r.issue_date,
          price_list: { path: r.price_list_path, sha256: r.price_list_sha256 },
          inputs: r.inputs,
          extras: r.extras,
          control: {
            records_read: r.records_read,
            records_billed: r.records_billed,
            records_rejected: r.records_rejected,
            records_outside_period: r.records_outside_period,
            records_already_billed: r.records_already_billed,
            records_late: r.records_late,
            extras_read: r.extras_read,
            extras_billed: r.extras_billed,
            extras_rejected: r.extras_rejected,
            extras_outside_period: r.extras_outside_period,
            extras_late: r.extras_late,
          },
          documents: r.documents,
        })),
      },
      null,
      2,
    ) + '\n'
  );
}

export function runsTable(runs: readonly RunRow[]): string {
  if (runs.length === 0) return 'No runs.\n';
  const t = [['run', 'time', 'command', 'period', 'issued', 'read', 'billed', 'rejected', 'outside', 'already billed', 'late', 'documents', 'inputs']];
  for (const r of runs) {
    t.push(
      [String(r.id), r.created_at, r.command, r.period, r.issue_date, String(r.records_read), String(r.records_billed), String(r.records_rejected), String(r.records_outside_period),
        String(r.records_already_billed), String(r.records_late), String(r.documents), r.inputs.map((i) => i.path).join(' ')].map(terminalSafe),
    );
  }
  return pad(t);
}

/** `ledger export`: invoices.csv (§5's columns, then the ledger's), the lines of every document, credit notes, balances. */
export function exportFiles(docs: readonly DocumentRow[], lines: readonly LineRow[], balances: readonly BalanceRow[], feesOf: (number: string) => string, taxNoteOf: (number: string) => string): Record<string, string> {
  let invoices = csvLine([...INVOICE_HEADER, 'issue_date', 'due_date', 'status', 'credited_by']);
  let credits = csvLine(['credit_note_number', 'customer_id', 'customer_name', 'period_start', 'period_end', 'currency', 'subtotal', 'tax', 'total', 'credits', 'issue_date', 'due_date']);
  for (const d of docs) {
    if (d.kind === 'invoice') {
      invoices += csvLine([
        textCell(d.number), textCell(d.customer_id), textCell(d.customer_name), textCell(d.period_start), textCell(d.period_end), textCell(d.currency),
        numberCell(d.subtotal), numberCell(d.tax), numberCell(d.total), numberCell(feesOf(d.number)), numberCell(d.closing_balance), textCell(taxNoteOf(d.number)),
        textCell(d.issue_date), textCell(d.due_date), textCell(d.status), textCell(d.credited_by ?? ''),
      ]);
    } else {
      credits += csvLine([
        textCell(d.number), textCell(d.customer_id), textCell(d.customer_name), textCell(d.period_start), textCell(d.period_end), textCell(d.currency),
        numberCell(d.subtotal), numberCell(d.tax), numberCell(d.total), textCell(d.credits ?? ''), textCell(d.issue_date), textCell(d.due_date),
      ]);
    }
  }
  let lineCsv = csvLine(LINE_HEADER);
  for (const l of lines) {
    lineCsv += csvLine([
      textCell(l.number), textCell(l.customer_id), textCell(l.code), textCell(l.description), l.seconds === null ? '' : numberCell(String(l.seconds)),
      numberCell(l.quantity), textCell(l.unit), numberCell(l.unit_price), numberCell(l.amount),
    ]);
  }
  return { 'invoices.csv': invoices, 'invoice-lines.csv': lineCsv, 'credit-notes.csv': credits, 'balances.csv': balancesCsv(balances) };
}

/** The control figures of a correction (SPEC §7's identity: read = billed + rejected + outside + already billed; extras likewise). */
function correctionControl(r: CorrectResult): Record<string, unknown> {
  const c = r.computed.control;
  return {
    records_read: c.recordsRead,
    records_billed: c.recordsBilled,
    records_rejected: c.recordsRejected,
    records_outside_period: c.recordsOutsidePeriod,
    records_already_billed: c.recordsAlreadyBilled ?? 0,
    records_late: 0,
    extras_read: c.extrasRead,
    extras_billed: c.extrasBilled,
    extras_rejected: c.extrasRejected,
    extras_outside_period: c.extrasOutsidePeriod,
    extras_late: 0,
  };
}

/**
 * `correct --out DIR`'s invoices.json: SPEC §5's shape with the documents issued in the
 * order issued (each credit note, with "kind" and "credits", before its replacement), each
 * exactly as stored; `totals` per currency are their sum (the net change the correction
 * makes); `control` as `correct --format json` has it, with the inputs read.
 */
export function correctionFilesJson(r: CorrectResult, totals: Record<string, { subtotal: string; tax: string; total: string }>): string {
  const nest = (text: string, indent: string) => text.slice(0, -1).replace(/\n/g, `\n${indent}`);
  const c = r.computed.control;
  let out = r.documents.length === 0 ? '{\n  "invoices": []' : '{\n  "invoices": [\n' + r.documents.map((d) => `    ${nest(d.json, '    ')}`).join(',\n') + '\n  ]';
  const tail = {
    totals,
    control: { ...correctionControl(r), inputs: c.inputs.map((i) => ({ path: i.path, sha256: i.sha256, records: i.records })), price_list: { path: c.priceList.path, sha256: c.priceList.sha256 } },
  };
  for (const [k, v] of Object.entries(tail)) out += `,\n  ${JSON.stringify(k)}: ${nest(renderJsonValue(v), '  ')}`;
  return out + '\n}\n';
}

type DocJson = {
  invoice_number: string;
  customer_id: string;
  customer_name: string;
  currency: string;
  period: { start: string; end: string };
  lines: Array<{ code: string; description: string; seconds: number | null; quantity: string; unit: string; unit_price: string; amount: string }>;
  subtotal: string;
  tax: string;
  total: string;
  tax_note?: string | null;
  diversion: { fees_charged: number | bigint; closing_balance: string };
};

/** The documents of a correction in `--format csv`'s columns (SPEC §5): one row per document, a credit note's amounts negative. */
export function documentsInvoicesCsv(docs: ReadonlyArray<{ json: string }>): string {
  let out = csvLine(INVOICE_HEADER);
  for (const { json } of docs) {
    const d = parseJsonExact(json) as unknown as DocJson;
    out += csvLine([
      textCell(d.invoice_number), textCell(d.customer_id), textCell(d.customer_name), textCell(d.period.start), textCell(d.period.end), textCell(d.currency),
      numberCell(d.subtotal), numberCell(d.tax), numberCell(d.total), numberCell(String(d.diversion.fees_charged)), numberCell(d.diversion.closing_balance), textCell(d.tax_note ?? ''),
    ]);
  }
  return out;
}

/** The lines of a correction's documents in `--format csv --detail`'s columns (SPEC §5). */
export function documentsLinesCsv(docs: ReadonlyArray<{ json: string }>): string {
  let out = csvLine(LINE_HEADER);
  for (const { json } of docs) {
    const d = parseJsonExact(json) as unknown as DocJson;
    for (const l of d.lines) {
      out += csvLine([
        textCell(d.invoice_number), textCell(d.customer_id), textCell(l.code), textCell(l.description), numberCell(l.seconds === null ? '' : String(l.seconds)),
        numberCell(l.quantity), textCell(l.unit), numberCell(l.unit_price), numberCell(l.amount),
      ]);
    }
  }
  return out;
}

/** `correct --format json`: the documents issued (as stored), what happened to each customer, the control figures. */
export function correctionJson(r: CorrectResult, dryRun: boolean): string {
  return renderJsonValue({
    dry_run: dryRun,
    documents: r.documents.map((d) => JSON.parse(d.json) as unknown),
    outcomes: r.outcomes.map((x) =>
      x.kind === 'unchanged'
        ? { customer_id: x.customerId, outcome: 'unchanged', invoice: x.original }
        : x.kind === 'corrected'
          ? { customer_id: x.customerId, outcome: 'corrected', credited: x.original.number, credit_note: x.creditNote.number, replacement: x.replacement.number, adjustment: x.adjustment }
          : { customer_id: x.customerId, outcome: 'first invoice', invoice: x.invoice.number, adjustment: x.adjustment },
    ),
    control: correctionControl(r),
  });
}

/** `correct --format table`: one line per customer, then the control figures. */
export function correctionTable(r: CorrectResult, period: string, dryRun: boolean): string {
  const c = r.computed.control;
  const out: string[] = [];
  const adj = (a: string | null) => (a ? `; adjustment ${a} carried into the next invoice` : '');
  for (const x of r.outcomes) {
    const id = terminalSafe(x.customerId);
    if (x.kind === 'unchanged') out.push(`${id}: unchanged (${terminalSafe(x.original)})`);
    else if (x.kind === 'corrected') {
      out.push(
        `${id}: credit note ${terminalSafe(x.creditNote.number)} reverses ${terminalSafe(x.original.number)} (total ${x.creditNote.total}); ` +
          `replacement ${terminalSafe(x.replacement.number)} (total ${x.replacement.total}); closing balance ${x.original.closing_balance} → ${x.replacement.closingBalance}` +
          adj(x.adjustment),
      );
    } else out.push(`${id}: first invoice ${terminalSafe(x.invoice.number)} (total ${x.invoice.total})` + adj(x.adjustment));
  }
  if (r.outcomes.length === 0) out.push(`No customer of ${period} to correct.`);
  out.push(`Records: ${c.recordsRead} read, ${c.recordsBilled} billed, ${c.recordsRejected} rejected, ${c.recordsOutsidePeriod} outside the period, ${c.recordsAlreadyBilled ?? 0} already billed`);
  if (c.extrasRead > 0) out.push(`Extras: ${c.extrasRead} read, ${c.extrasBilled} billed, ${c.extrasRejected} rejected, ${c.extrasOutsidePeriod} outside the period`);
  if (dryRun) out.push('Dry run: nothing was stored.');
  else if (!r.stored) out.push('Nothing to store.');
  return out.join('\n') + '\n';
}
