/**
 * The content of an invoice document (docs/reference.md §9), worked out once from the
 * invoice's JSON object (the very strings `--format json` prints) and drawn by both the
 * HTML and the PDF renderer. Nothing here calculates a figure: every amount, quantity
 * and percentage is the JSON's string, passed through `readable` for the eye.
 */
import type { Billing, Seller } from '../../pricing/types';

/** The fields of an invoice's JSON object (docs/reference.md §5) that a document shows. */
export interface InvoiceJson {
  invoice_number: string;
  kind?: string;
  credits?: string | null;
  customer_id: string;
  customer_name: string;
  currency: string;
  period: { start: string; end: string };
  issue_date: string;
  due_date: string;
  lines: Array<{ code: string; description: string; quantity: string; unit: string; unit_price: string; amount: string }>;
  subtotal: string;
  tax: string;
  total: string;
  tax_name?: string | null;
  tax_rate?: string | null;
  tax_note?: string | null;
  diversion: {
    opening_balance: string;
    fees_charged: number | bigint | string;
    closing_balance: string;
    mobile: { records: number; seconds: number; cost: string };
    international: { records: number; seconds: number; cost: string };
  };
  sla: {
    service_level_percent: string | null;
    average_response_seconds: { voice: string | null; chat: string | null };
    misses: number;
    credit_percent: string;
    targets?: {
      service_level_percent: string | null;
      answer_within_seconds: number | null;
      max_average_response_seconds: { voice: string | null; chat: string | null };
    };
  };
}

/** What a document needs besides the invoice: who sends it, where it goes. */
export interface DocumentInput {
  invoice: InvoiceJson;
  seller: Seller | null;
  billing: Billing | null;
}

export interface Row {
  label: string;
  value: string;
}

export interface DocumentModel {
  /** "Invoice" or "Credit note". */
  title: string;
  number: string;
  /** "Reverses invoice ACME-2026-10" on a credit note, else null. */
  reverses: string | null;
  seller: { name: string; lines: string[] } | null;
  customer: { name: string; lines: string[] };
  meta: Row[];
  currency: string;
  lineHeadings: [string, string, string, string, string];
  lines: Array<[string, string, string, string, string]>;
  totals: Row[];
  /** The total, last of the totals, shown large. */
  taxNote: string | null;
  payment: Row[];
  diversion: Row[];
  sla: Row[];
  footer: string | null;
}

/**
 * A decimal string of the JSON made readable: thousands separators in the whole part,
 * the fraction (the currency's minor units, as the JSON has them) untouched, the minus sign kept.
 * The one formatting function of the documents: it rearranges characters, it never
 * computes; anything that is not a plain decimal string is a bug upstream.
 */
export function readable(decimal: string): string {
  const m = /^(-?)(\d+)(\.\d+)?$/.exec(decimal);
  if (!m) throw new Error(`not a decimal string: ${JSON.stringify(decimal)}`);
  const whole = m[2]!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${m[1] ?? ''}${whole}${m[3] ?? ''}`;
}

/** A count of seconds shown in minutes and seconds, for reading (the amounts come from the JSON). */
function duration(seconds: number): string {
  const rest = seconds % 60;
  return `${readable(String(Math.floor(seconds / 60)))} min${rest === 0 ? '' : ` ${rest} s`}`;
}

/**
 * Text from the price list or the usage shown on a document: control, format (bidi
 * overrides and isolates, zero-width characters) and separator characters appear as a
 * visible \u escape instead of acting on the text around them (docs/reference.md §9).
 */
export function shown(s: string): string {
  return s.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

const UNIT_NAMES: Record<string, string> = { minute: 'min', contact: 'contacts', fee: 'fees', item: 'item' };

export function documentModel(input: DocumentInput): DocumentModel {
  const inv = input.invoice;
  const cur = inv.currency;
  const money = (s: string): string => `${cur} ${readable(s)}`;
  const creditNote = inv.kind === 'credit_note';
  const s = input.seller;
  const b = input.billing;
  const sellerLines = s ? [...s.address, ...(s.vatId ? [`VAT ID ${s.vatId}`] : []), ...(s.email ? [s.email] : [])].map(shown) : [];
  const customerLines = [
    ...(b?.address ?? []),
    ...(b?.vatId ? [`VAT ID ${b.vatId}`] : []),
    ...(b?.email ? [b.email] : []),
    `Customer ${inv.customer_id}`,
  ].map(shown);

  const meta: Row[] = [
    { label: creditNote ? 'Credit note number' : 'Invoice number', value: shown(inv.invoice_number) },
    { label: 'Issue date', value: inv.issue_date },
    { label: 'Due', value: inv.due_date === inv.issue_date ? 'due on receipt' : inv.due_date },
    { label: 'Period', value: `${inv.period.start} to ${inv.period.end}` },
    { label: 'Currency', value: cur },
  ];

  const taxRate = inv.tax_rate ?? null;
  const taxLabel = inv.tax_name ? `${shown(inv.tax_name)}${taxRate !== null ? ` ${readable(taxRate)} %` : ''}` : 'Tax';
  const totals: Row[] = [
    { label: 'Subtotal', value: money(inv.subtotal) },
    { label: taxLabel, value: money(inv.tax) },
    { label: creditNote ? 'Total credited' : 'Total due', value: money(inv.total) },
  ];

  const payment: Row[] = [];
  if (s?.bank) {
    payment.push({ label: 'IBAN', value: shown(s.bank.iban) });
    if (s.bank.bic) payment.push({ label: 'BIC', value: shown(s.bank.bic) });
  }
  payment.push({ label: 'Reference', value: shown(inv.invoice_number) });

  const d = inv.diversion;
  const transfers = (t: { records: number; seconds: number; cost: string }): string =>
    `${readable(String(t.records))} transfer${t.records === 1 ? '' : 's'}, ${duration(t.seconds)}, ${money(t.cost)}`;
  const diversion: Row[] = [
    { label: 'Opening balance', value: money(d.opening_balance) },
    { label: 'Diversion fees charged', value: readable(String(d.fees_charged)) },
    { label: 'Mobile transfers', value: transfers(d.mobile) },
    { label: 'International transfers', value: transfers(d.international) },
    { label: 'Closing balance', value: money(d.closing_balance) },
  ];

  const sl = inv.sla;
  const t = sl.targets;
  const against = (figure: string | null, unit: string, word: string, target: string | null | undefined): string => {
    if (figure === null) return 'not evaluated (no contact with a response time)';
    const base = `${readable(figure)}${unit}`;
    return target === null || target === undefined ? `${base} (no target)` : `${base} (${word} ${readable(target)}${unit})`;
  };
  const slaRows: Row[] = [
    {
      label: `Service level, voice${t?.answer_within_seconds != null ? ` (answered within ${t.answer_within_seconds} s)` : ''}`,
      value: sl.service_level_percent === null ? 'not evaluated (no voice contact offered)' : against(sl.service_level_percent, ' %', 'target', t?.service_level_percent),
    },
    { label: 'Average response, voice', value: against(sl.average_response_seconds.voice, ' s', 'maximum', t?.max_average_response_seconds.voice) },
    { label: 'Average response, chat', value: against(sl.average_response_seconds.chat, ' s', 'maximum', t?.max_average_response_seconds.chat) },
    { label: 'Targets missed', value: readable(String(sl.misses)) },
  ];
  const creditLines = inv.lines.filter((l) => l.code === 'sla.credit');
  slaRows.push({
    label: 'SLA credit',
    value: creditLines.length === 0 ? `${readable(sl.credit_percent)} % (none)` : `${readable(sl.credit_percent)} % of usage: ${creditLines.map((l) => money(l.amount)).join(', ')}`,
  });

  return {
    title: creditNote ? 'Credit note' : 'Invoice',
    number: shown(inv.invoice_number),
    reverses: creditNote && inv.credits ? `Reverses invoice ${shown(inv.credits)}` : null,
    seller: s ? { name: shown(s.name), lines: sellerLines } : null,
    customer: { name: shown(inv.customer_name), lines: customerLines },
    meta,
    currency: cur,
    lineHeadings: ['Description', 'Quantity', 'Unit', 'Unit price', 'Amount'],
    lines: inv.lines.map((l) => [shown(l.description), readable(l.quantity), UNIT_NAMES[l.unit] ?? shown(l.unit), readable(l.unit_price), readable(l.amount)]),
    totals,
    taxNote: inv.tax_note ? shown(inv.tax_note) : null,
    payment,
    diversion,
    sla: slaRows,
    footer: s?.footer ? shown(s.footer) : null,
  };
}

/** A file name for a document number: characters a file system may refuse or read specially become `_`. */
export function documentFileName(number: string): string {
  // eslint-disable-next-line no-control-regex
  let n = number.replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\p{Cf}\p{Zl}\p{Zp}]/gu, '_');
  if (n === '' || n === '.' || n === '..' || n.startsWith('.')) n = `_${n}`;
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(n)) n = `_${n}`;
  // the longest name most file systems take is 255 bytes, and ".html" follows
  while (Buffer.byteLength(n, 'utf8') > 200) n = [...n].slice(0, -1).join('');
  return n;
}
