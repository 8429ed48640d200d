import type { InputReading } from '../rating/rate-record';
import { inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import { computeInvoices, runOf } from './compute-invoices';
import type { InvoiceOutcome } from './compute-invoices';
import { checkInputs, loadImportProfile, loadPrices } from './load-inputs';
import { fontPath, renderDocuments, stageDocuments, storedDocumentInputs } from './documents';
import type { DocumentFile } from './documents';
import { OutputPlan } from '../io/output-plan';
import { join } from 'node:path';
import { correctionFilesJson, documentsInvoicesCsv, documentsLinesCsv } from '../render/ledger';
import type { LoadedPrices } from './load-inputs';
import { ledgerFiles, openLedger } from '../ledger/ledger';
import { parseIssueDate, parsePeriod } from '../time/period';
import { Zone } from '../time/zone';
import { DataError } from '../errors';
import type { ImportProfile } from '../import';
import type { Invoice } from '../invoice/types';
import type { DocumentRow, Ledger, PostAdjustment, PostDocument } from '../ledger/ledger';
import { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import type { RatedRecord } from '../rating/rate-record';
import type { Period } from '../time/period';
import { parseJsonExact, renderInvoiceJson, renderJsonValue } from '../render/json';
import { terminalSafe } from '../render/terminal-safe';
import { assignNumbers, correctFilter, invoiceDocument, requireSeq } from './ledger-rules';
import { fingerprintBlob } from './billed-ids';
import { resetCounts } from './record-filter';
import type { UnlistedOfRun } from './unlisted';

/** `correct` as the command line gave it. */
export interface CorrectRequest extends ReadingOptions {
  files: readonly string[];
  prices: string;
  period: string;
  customer?: string[];
  dryRun?: boolean;
  rejects?: string;
  issueDate?: string;
  import?: string;
  /** SPEC §8 services on request, as for `invoice`. */
  extras?: string[];
  /** invoices.json, invoices.csv and invoice-lines.csv of the documents issued. */
  out?: string;
  /** <number>.html and <number>.pdf of every credit note and replacement (docs/reference.md §9). */
  documents?: string;
  font?: string;
  argv: readonly string[];
  version: string;
  now: () => number;
}

/**
 * Reads the inputs, opens the ledger and corrects the month (the ledger is closed again,
 * whatever happens); then, after the commit as for `issue`, writes the --rejects, --out
 * and --documents files through one output plan, all or none.
 */
export async function runCorrect(ledgerPath: string, r: CorrectRequest, stdoutFd?: number): Promise<CorrectResult> {
  if (r.extras && r.extras.length > 0) checkInputs([...r.files, ...r.extras]);
  const reading = inputReading(r);
  const loaded = loadPrices(r.prices);
  const zone = new Zone(loaded.prices.timezone);
  const period = parsePeriod(r.period, zone);
  const issueDate = parseIssueDate(r.issueDate, zone, r.now());
  const profile = loadImportProfile(r.import);
  const ledger = openLedger(ledgerPath);
  let plan: OutputPlan | null = null;
  try {
    // every output is checked against the inputs, the ledger's files among them, before anything is read
    plan = OutputPlan.prepare({
      folders: [...(r.out !== undefined ? [{ option: '--out', path: r.out }] : []), ...(r.documents !== undefined ? [{ option: '--documents', path: r.documents }] : [])],
      files: [
        ...(r.out !== undefined ? OUT_FILES.map((n) => ({ option: '--out', path: join(r.out!, n) })) : []),
        ...(r.rejects !== undefined ? [{ option: '--rejects', path: r.rejects }] : []),
      ],
      inputs: [
        ...[...r.files, ...(r.extras ?? [])].map((path) => ({ what: 'the usage file', path })),
        { what: 'the price list', path: r.prices },
        ...ledgerFiles(ledgerPath).map((path) => ({ what: 'the ledger', path })),
      ],
      stdoutFd,
    });
    let rendered: DocumentFile[] = [];
    const result = await correctMonth(ledger, {
      // rendered before the post: a document that cannot be drawn (a glyph the font lacks, 78) stores nothing
      beforePost: async (docs) => {
        if (r.documents !== undefined && docs.length > 0) rendered = await renderDocuments(storedDocumentInputs(docs.map((d) => d.json), loaded.prices), r.documents, fontPath(r.font, loaded.prices));
      },
      files: r.files, loaded, period, issueDate, customers: r.customer ?? [], dryRun: Boolean(r.dryRun), setAside: r.rejects !== undefined, profile, reading, extras: r.extras,
      argv: r.argv, version: r.version, now: r.now,
    });
    // SPEC §7: the ledger has committed; the files follow
    const stage = (path: string, text: string) => plan!.stage(path).write(text);
    if (r.rejects !== undefined) stage(r.rejects, [...result.computed.rejectsCsv()].join(''));
    if (r.out !== undefined) {
      stage(join(r.out, 'invoices.json'), correctionFilesJson(result, documentTotals(result.documents, loaded.prices.currency.minor)));
      stage(join(r.out, 'invoices.csv'), documentsInvoicesCsv(result.documents));
      stage(join(r.out, 'invoice-lines.csv'), documentsLinesCsv(result.documents));
    }
    if (rendered.length > 0) stageDocuments(plan, rendered);
    plan.commit();
    return result;
  } finally {
    plan?.abort();
    ledger.close();
  }
}

const OUT_FILES = ['invoices.json', 'invoices.csv', 'invoice-lines.csv'] as const;

/** The sum of the documents' figures per currency: what the correction changes (credit notes count negative). */
function documentTotals(docs: readonly PostDocument[], minor: number): Record<string, { subtotal: string; tax: string; total: string }> {
  const sums = new Map<string, { subtotal: Dec; tax: Dec; total: Dec }>();
  for (const d of docs) {
    const t = sums.get(d.currency) ?? { subtotal: new Dec(0), tax: new Dec(0), total: new Dec(0) };
    sums.set(d.currency, { subtotal: t.subtotal.plus(d.subtotal), tax: t.tax.plus(d.tax), total: t.total.plus(d.total) });
  }
  const out: Record<string, { subtotal: string; tax: string; total: string }> = {};
  for (const [c, t] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out[c] = { subtotal: formatMoney(t.subtotal, minor), tax: formatMoney(t.tax, minor), total: formatMoney(t.total, minor) };
  }
  return out;
}

export interface CorrectJob {
  files: readonly string[];
  loaded: LoadedPrices;
  period: Period;
  issueDate: string;
  /** --customer: only these; empty = every customer of the month. */
  customers: readonly string[];
  dryRun: boolean;
  setAside: boolean;
  profile?: ImportProfile;
  reading?: InputReading;
  extras?: readonly string[];
  /** Called with the documents once numbered, before they are stored (and also on a dry run). */
  beforePost?: (docs: readonly PostDocument[]) => Promise<void>;
  argv: readonly string[];
  version: string;
  now: () => number;
}

/** What happened to one customer of the month. */
export type CorrectionOutcome =
  | { kind: 'unchanged'; customerId: string; original: string }
  | { kind: 'corrected'; customerId: string; original: DocumentRow; creditNote: PostDocument; replacement: PostDocument; adjustment: string | null }
  | { kind: 'first'; customerId: string; invoice: PostDocument; adjustment: string | null };

export interface CorrectResult {
  outcomes: CorrectionOutcome[];
  /** Documents in the order issued (credit note, then its replacement). */
  documents: PostDocument[];
  computed: InvoiceOutcome;
  alreadyBilled: number;
  stored: boolean;
  /** Customers of the documents issued (first invoices and replacements) billed under default_plan because they are not listed (docs/reference.md §3.5). */
  unlisted: UnlistedOfRun;
}

/** A money string negated exactly: "12.50" → "-12.50", "-3.00" → "3.00", zero stays as it is. */
function negated(amount: string): string {
  if (amount.startsWith('-')) return amount.slice(1);
  if (/^0+(\.0+)?$/.test(amount)) return amount;
  return '-' + amount;
}

/** The figures that decide "changed": the document without its number, dates and the carried adjustment. */
function comparable(json: string): string {
  const o = JSON.parse(json) as Record<string, unknown> & { diversion?: Record<string, unknown> };
  delete o.invoice_number;
  delete o.issue_date;
  delete o.due_date;
  if (o.diversion) delete o.diversion.opening_adjustment;
  return JSON.stringify(o);
}

/**
 * `callbill correct` (SPEC §7): re-rates month P from its complete usage with the
 * opening balances the month had; for each customer whose invoice changes, a credit
 * note reversing the original in full and a replacement with a new number, in one
 * transaction, with the difference of closing balances left as an adjustment when a
 * later month was already issued from the original's closing.
 */
async function correctMonth(ledger: Ledger, job: CorrectJob): Promise<CorrectResult> {
  const { loaded, period } = job;
  const P = period.label;
  requireSeq(loaded.prices, 'invoice_number');
  requireSeq(loaded.prices, 'credit_note_number');
  const mark = ledger.beginRead();
  const chosen = job.customers.length > 0 ? new Set(job.customers) : null;
  const originals = new Map<string, DocumentRow>();
  for (const d of ledger.documents()) {
    if (d.kind === 'invoice' && d.status === 'issued' && d.period === P && (!chosen || chosen.has(d.customer_id))) originals.set(d.customer_id, d);
  }
  // SPEC §7: a replacement opens with what the original opened with; a first invoice with
  // the closing balance of the month before (adjustments are carried only by `issue`)
  const opening = new Map<string, Dec>();
  for (const [c, d] of originals) opening.set(c, new Dec(d.opening_balance));
  for (const [c, parts] of ledger.openingParts(P)) {
    if (!opening.has(c) && parts.previous && !new Dec(parts.previous.closing).isZero()) opening.set(c, new Dec(parts.previous.closing));
  }

  const filter = correctFilter(ledger, period);
  const billed = new Map<string, string[]>();
  const computed = await computeInvoices({
    files: job.files,
    names: job.files,
    loaded,
    period,
    issueDate: job.issueDate,
    opening,
    setAside: job.setAside,
    profile: job.profile,
    reading: job.reading,
    extras: job.extras,
    pool: null,
    ledger: filter,
    onRestart: () => {
      billed.clear();
      resetCounts(filter.counts);
    },
    onRated: (rr: RatedRecord) => {
      const id = rr.record.customerId;
      let l = billed.get(id);
      if (!l) billed.set(id, (l = []));
      l.push(rr.record.recordId);
    },
  });
  const fresh = new Map<string, Invoice>((await runOf(computed)).invoices.map((inv) => [inv.customerId, inv]));

  // a partial file would credit everything: every record billed on an original must be there again
  const billedBefore = ledger.billedIdsOf([...originals.values()].map((d) => d.number));
  for (const [c, d] of originals) {
    const now = new Set(billed.get(c) ?? []);
    const gone = (billedBefore.get(d.number) ?? []).filter((id) => !now.has(id));
    if (gone.length > 0) {
      throw new DataError(
        `${gone.length} record${gone.length === 1 ? '' : 's'} billed on ${terminalSafe(d.number)} (${terminalSafe(c)}, ${P}) ${gone.length === 1 ? 'is' : 'are'} not billed by the usage given ` +
          `(first: ${terminalSafe(gone.slice(0, 5).join(', '))}); correct needs the complete usage of ${P}; nothing was stored`,
      );
    }
  }

  const targets = new Set<string>([...originals.keys()]);
  for (const c of billed.keys()) if (!chosen || chosen.has(c)) targets.add(c);
  const order = [...targets].filter((c) => fresh.has(c) || originals.has(c)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

  interface Plan {
    customerId: string;
    original: DocumentRow | null;
    inv: Invoice;
  }
  const plans: Plan[] = [];
  const outcomes: CorrectionOutcome[] = [];
  for (const c of order) {
    const inv = fresh.get(c);
    const orig = originals.get(c) ?? null;
    if (!inv) {
      // the customer's records now belong elsewhere or are rejected: caught above unless it billed nothing
      if (orig) outcomes.push({ kind: 'unchanged', customerId: c, original: orig.number });
      continue;
    }
    if (orig) {
      const same = { ...inv, invoiceNumber: orig.number, issueDate: orig.issue_date, dueDate: orig.due_date };
      const sameIds = [...(billed.get(c) ?? [])].sort().join('\u0000') === [...(billedBefore.get(orig.number) ?? [])].sort().join('\u0000');
      if (sameIds && comparable(renderInvoiceJson(same)) === comparable(ledger.documentJson(orig.number) ?? '')) {
        outcomes.push({ kind: 'unchanged', customerId: c, original: orig.number });
        continue;
      }
    }
    plans.push({ customerId: c, original: orig, inv });
  }

  // numbers in order: each customer's credit note, then its replacement (SPEC §7)
  const requests: Array<{ customerId: string; period: string; issueDate: string; template: string }> = [];
  for (const p of plans) {
    if (p.original) requests.push({ customerId: p.customerId, period: P, issueDate: job.issueDate, template: loaded.prices.creditNoteNumber });
    requests.push({ customerId: p.customerId, period: P, issueDate: p.inv.issueDate, template: loaded.prices.invoiceNumber });
  }
  const numbers = assignNumbers(ledger, loaded.prices.invoiceNumber, requests);
  const documents: PostDocument[] = [];
  const adjustments: PostAdjustment[] = [];
  let k = 0;
  const minor = loaded.prices.currency.minor;
  for (const p of plans) {
    const later = ledger.issuedAfter(p.customerId, P);
    let creditNote: PostDocument | null = null;
    if (p.original) {
      creditNote = creditNoteOf(ledger, p.original, numbers[k++]!, job.issueDate, p.inv.dueDate);
      documents.push(creditNote);
    }
    const n = numbers[k++]!;
    p.inv.invoiceNumber = n.number;
    const replacement = invoiceDocument(p.inv, n, P, billed.get(p.customerId) ?? [], false);
    documents.push(replacement);
    // SPEC §7: the difference of closing balances reaches the next issued invoice; when no
    // later month is issued yet, the replacement's closing balance is itself what it opens with
    let adjustment: string | null = null;
    if (later) {
      const before = p.original ? new Dec(p.original.closing_balance) : p.inv.diversion.opening;
      const diff = p.inv.diversion.closing.minus(before);
      if (!diff.isZero()) {
        adjustment = formatMoney(diff, minor);
        adjustments.push({ customerId: p.customerId, amount: adjustment, replacement: n.number });
      }
    }
    if (p.original && creditNote) outcomes.push({ kind: 'corrected', customerId: p.customerId, original: p.original, creditNote, replacement, adjustment });
    else outcomes.push({ kind: 'first', customerId: p.customerId, invoice: replacement, adjustment });
  }
  outcomes.sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  // the customers this correction issues documents to, told as invoice runs tell theirs: a
  // late file with a mistyped id would otherwise open a new customer without a word
  const { unlisted } = await computed.write(plans.map((p) => p.inv), []);

  await job.beforePost?.(documents);
  let stored = false;
  if (!job.dryRun && documents.length > 0) {
    const c = computed.control;
    ledger.post(
      mark,
      {
        command: 'correct',
        createdAt: new Date(job.now()).toISOString(),
        version: job.version,
        argv: job.argv,
        period: P,
        issueDate: job.issueDate,
        priceList: { path: loaded.path, sha256: loaded.sha256, text: loaded.text },
        counts: { read: c.recordsRead, billed: c.recordsBilled, rejected: c.recordsRejected, outside: c.recordsOutsidePeriod, alreadyBilled: filter.counts.alreadyBilled, late: 0 },
        inputs: c.inputs,
        extras: computed.extrasInputs,
        extrasCounts: { read: c.extrasRead, billed: c.extrasBilled, rejected: c.extrasRejected, outside: c.extrasOutsidePeriod, late: 0 },
        billedFingerprints: fingerprintBlob(plans.map((p) => billed.get(p.customerId) ?? [])),
      },
      documents,
      adjustments,
    );
    stored = true;
  } else {
    ledger.endRead();
  }
  return { outcomes, documents, computed, alreadyBilled: filter.counts.alreadyBilled, stored, unlisted };
}

/**
 * SPEC §7: a credit note is the stored original with every figure negated (lines,
 * subtotal, tax, total; the diversion and sla blocks are the original's, for
 * reference), with its own number, plus "kind" and "credits".
 */
function creditNoteOf(ledger: Ledger, original: DocumentRow, n: { number: string; series: string; seq: bigint }, issueDate: string, dueDate: string): PostDocument {
  // bigints (fees_charged) stay exact: the stored text is parsed with them kept as text
  const text = ledger.documentJson(original.number) ?? '{}';
  const o = parseJsonExact(text);
  const lines: Array<Record<string, unknown>> = (o.lines as Array<Record<string, unknown>>).map((l) => ({ ...l, amount: negated(String(l.amount)) }));
  const doc: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(o)) {
    if (key === 'invoice_number') doc[key] = n.number;
    else if (key === 'issue_date') doc[key] = issueDate;
    else if (key === 'due_date') doc[key] = dueDate;
    else if (key === 'lines') doc[key] = lines;
    else if (key === 'subtotal' || key === 'tax' || key === 'total') doc[key] = negated(String(v));
    else doc[key] = v;
  }
  doc.kind = 'credit_note';
  doc.credits = original.number;
  return {
    number: n.number,
    series: n.series,
    seq: n.seq,
    kind: 'credit_note',
    customerId: original.customer_id,
    customerName: original.customer_name,
    period: original.period,
    periodStart: original.period_start,
    periodEnd: original.period_end,
    issueDate,
    dueDate,
    currency: original.currency,
    subtotal: negated(original.subtotal),
    tax: negated(original.tax),
    total: negated(original.total),
    openingBalance: original.opening_balance,
    closingBalance: original.closing_balance,
    json: renderJsonValue(doc),
    lines: lines.map((l) => ({
      code: String(l.code),
      description: String(l.description),
      seconds: l.seconds === null ? null : Number(l.seconds),
      quantity: String(l.quantity),
      unit: String(l.unit),
      unitPrice: String(l.unit_price),
      amount: String(l.amount),
    })),
    billedIds: [],
    credits: original.number,
  };
}
