import type { Invoice, InvoiceRun, SlaSummary } from '../invoice/types';
import { percentText, secondsText } from '../invoice/sla';
import { writtenChunks } from './invoice-writer';
import type { InvoiceWriter, RunTail, TextOut } from './invoice-writer';
import { money, unitPriceText } from './format-figures';

/** An invoice's `sla` block (SPEC §5); the service report prints the same. */
export function slaToJson(sla: SlaSummary): Record<string, unknown> {
  return {
    service_level_percent: percentText(sla.serviceLevelPercent),
    average_response_seconds: {
      voice: secondsText(sla.averageResponseSeconds.voice),
      chat: secondsText(sla.averageResponseSeconds.chat),
    },
    misses: sla.misses,
    credit_percent: sla.creditPercent.toFixed(),
    targets: {
      service_level_percent: sla.targets.serviceLevelPercent?.toFixed() ?? null,
      answer_within_seconds: sla.targets.answerWithinSeconds,
      max_average_response_seconds: {
        voice: sla.targets.maxAverageResponseSeconds.voice?.toFixed() ?? null,
        chat: sla.targets.maxAverageResponseSeconds.chat?.toFixed() ?? null,
      },
    },
  };
}

/** The JSON shape of SPEC §5, as plain data (also the base of invoices.json in --out). */
export function invoiceToJson(inv: Invoice): Record<string, unknown> {
  const m = inv.minor;
  return {
    invoice_number: inv.invoiceNumber,
    customer_id: inv.customerId,
    customer_name: inv.customerName,
    plan: inv.plan,
    currency: inv.currency,
    period: { start: inv.period.start, end: inv.period.end },
    issue_date: inv.issueDate,
    due_date: inv.dueDate,
    lines: inv.lines.map((l) => ({
      code: l.code,
      description: l.description,
      seconds: l.seconds,
      quantity: l.quantity,
      unit: l.unit,
      unit_price: unitPriceText(l, m),
      amount: money(l.amount, m),
    })),
    subtotal: money(inv.subtotal, m),
    tax: money(inv.tax, m),
    total: money(inv.total, m),
    // SPEC §11: which tax rule applied, right after the figures it explains
    tax_name: inv.taxName,
    tax_rate: inv.taxRate === null ? null : inv.taxRate.toFixed(),
    tax_note: inv.taxNote,
    diversion: {
      opening_balance: money(inv.diversion.opening, m),
      // SPEC §7: shown only on the invoice that carries a correction's adjustment
      ...(inv.diversion.adjustment ? { opening_adjustment: money(inv.diversion.adjustment, m) } : {}),
      fees_charged: inv.diversion.feesCharged,
      closing_balance: money(inv.diversion.closing, m),
      mobile: { records: inv.diversion.mobile.records, seconds: inv.diversion.mobile.seconds, cost: money(inv.diversion.mobile.cost, m) },
      international: {
        records: inv.diversion.international.records,
        seconds: inv.diversion.international.seconds,
        cost: money(inv.diversion.international.cost, m),
      },
    },
    sla: slaToJson(inv.sla),
    counts: { ...inv.counts },
  };
}

function runToJson(run: InvoiceRun): Record<string, unknown> {
  return { invoices: run.invoices.map(invoiceToJson), ...runTail(run) };
}

/** Everything of SPEC §5's document after the invoices: the totals and the control figures. */
function runTail(run: RunTail): Record<string, unknown> {
  const totals: Record<string, unknown> = {};
  for (const [code, t] of [...run.totals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    totals[code] = { subtotal: money(t.subtotal, t.minor), tax: money(t.tax, t.minor), total: money(t.total, t.minor) };
  }
  return { totals, control: controlToJson(run.control) };
}

/** The control figures (SPEC §5), also those of the service report. */
export function controlToJson(c: InvoiceRun['control']): Record<string, unknown> {
  return {
    records_read: c.recordsRead,
    records_billed: c.recordsBilled,
    records_rejected: c.recordsRejected,
    records_outside_period: c.recordsOutsidePeriod,
    extras_read: c.extrasRead,
    extras_billed: c.extrasBilled,
    extras_rejected: c.extrasRejected,
    extras_outside_period: c.extrasOutsidePeriod,
    ...(c.recordsAlreadyBilled !== undefined ? { records_already_billed: c.recordsAlreadyBilled, records_late: c.recordsLate ?? 0, extras_late: c.extrasLate ?? 0 } : {}),
    inputs: c.inputs.map((i) => ({ path: i.path, sha256: i.sha256, records: i.records })),
    price_list: { path: c.priceList.path, sha256: c.priceList.sha256 },
  };
}

/**
 * SPEC §5's document. `audit` (plain data, see src/pipeline/audit.ts) is added last, only to the
 * invoices.json written under --out: stdout keeps the shape scripts rely on.
 */
export function renderJson(run: InvoiceRun, audit?: object): string {
  const doc = runToJson(run);
  return stringifyExact(audit === undefined ? doc : { ...doc, audit });
}

/**
 * The text of `renderJson`, byte for byte, in pieces: one invoice at a time is turned
 * into JSON and indented to its place, so no string ever holds the whole document.
 */
export function jsonChunks(run: InvoiceRun, audit?: object): Generator<string> {
  return writtenChunks((out) => new JsonWriter(out, () => audit), run);
}

const nest = (text: string, indent: string) => text.slice(0, -1).replace(/\n/g, `\n${indent}`);

/**
 * The same text written an invoice at a time (invoice-writer.ts). `audit` is asked for
 * once the last invoice is written (the audit of --out names the other files' hashes).
 */
export class JsonWriter implements InvoiceWriter {
  private first = true;
  constructor(private readonly out: TextOut, private readonly audit: () => object | undefined = () => undefined) {}

  invoice(inv: Invoice): void {
    this.out(`${this.first ? '{\n  "invoices": [\n' : ',\n'}    ${nest(stringifyExact(invoiceToJson(inv)), '    ')}`);
    this.first = false;
  }

  end(run: RunTail): void {
    this.out(this.first ? '{\n  "invoices": []' : '\n  ]');
    const audit = this.audit();
    const tail: Record<string, unknown> = audit === undefined ? runTail(run) : { ...runTail(run), audit };
    for (const [k, v] of Object.entries(tail)) this.out(`,\n  ${JSON.stringify(k)}: ${nest(stringifyExact(v as object), '  ')}`);
    this.out('\n}\n');
  }
}

/**
 * JSON.stringify with bigints written as exact JSON integers (JSON.stringify refuses them,
 * and a Number would print 1666670000000000000000000000 as 1.66667e+27). Each bigint is
 * first written as a marked string; should a text of the document itself look like a
 * marker (a name may hold anything), the count gives it away and another salt is tried.
 */
/** One invoice's object as `--format json` prints it, standalone (what the ledger stores and `ledger show` prints). */
export function renderInvoiceJson(inv: Invoice): string {
  return stringifyExact(invoiceToJson(inv));
}

/** Any plain document with bigints, written exactly (ledger documents). */
export function renderJsonValue(doc: object): string {
  return stringifyExact(doc);
}

export function stringifyExact(doc: object): string {
  for (let salt = 0; ; salt++) {
    const marks: string[] = [];
    const text = JSON.stringify(doc, (_k, v: unknown) => (typeof v === 'bigint' ? `\u0000bigint${salt}:${marks.push(v.toString()) - 1}\u0000` : v), 2);
    const re = new RegExp(`"\\\\u0000bigint${salt}:(\\d+)\\\\u0000"`, 'g');
    if ((text.match(re) ?? []).length !== marks.length) continue;
    return text.replace(re, (_m, i: string) => marks[Number(i)]!) + '\n';
  }
}

/** JSON.parse with every integer too large for a double kept exact as a bigint (a stored document's counts). */
export function parseJsonExact(text: string): Record<string, unknown> {
  const marked = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d{16,})(?=[,\s\]}])/g, (m, str: string | undefined, big: string | undefined) => (str ? m : `"\\u0000big:${big}"`));
  return JSON.parse(marked, (_k, v: unknown) => (typeof v === 'string' && v.startsWith('\u0000big:') ? BigInt(v.slice(5)) : v)) as Record<string, unknown>;
}
