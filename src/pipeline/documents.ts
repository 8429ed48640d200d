import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ConfigError, InputError, OutputError, fsErrorText } from '../errors';
import type { Invoice } from '../invoice/types';
import type { PriceList } from '../pricing/types';
import { renderDocumentHtml } from '../render/documents/html';
import { loadFonts, renderDocumentPdf } from '../render/documents/pdf';
import { documentFileName, documentModel } from '../render/documents/model';
import type { DocumentInput, InvoiceJson } from '../render/documents/model';
import { invoiceToJson, parseJsonExact } from '../render/json';
import type { OutputPlan } from '../io/output-plan';

export interface DocumentFile {
  path: string;
  content: string | Uint8Array;
}

/**
 * What a document shows of the tax: the JSON's `tax_name`, `tax_rate` and `tax_note` when
 * the invoice JSON carries them (docs/reference.md §11), else the rule the invoice was
 * computed with. The one place that knows the JSON may not have them yet.
 */
function withTaxRule(json: InvoiceJson, inv: Invoice): InvoiceJson {
  if ('tax_name' in json) return json;
  return { ...json, tax_name: inv.taxName, tax_rate: inv.taxRate?.toFixed() ?? null, tax_note: null };
}

/** The inputs of an invoice's document: its JSON object, the seller, the customer's billing block. */
export function documentInput(inv: Invoice, prices: PriceList): DocumentInput {
  return {
    invoice: withTaxRule(invoiceToJson(inv) as unknown as InvoiceJson, inv),
    seller: prices.seller,
    billing: prices.customers.get(inv.customerId)?.billing ?? null,
  };
}

/** `--font` (relative to the working folder) wins over the price list's `documents.font` (relative to the price list). */
export function fontPath(cliFont: string | undefined, prices: PriceList): string | null {
  if (cliFont !== undefined) return cliFont;
  if (prices.documentsFont !== null) return resolve(dirname(prices.file), prices.documentsFont);
  return null;
}

/**
 * `<number>.html` and `<number>.pdf` in `dir` for every document (docs/reference.md §9),
 * rendered in memory; the caller writes them with the run's other files, all or none.
 */
export async function renderDocuments(inputs: readonly DocumentInput[], dir: string, font: string | null): Promise<DocumentFile[]> {
  return new DocumentRenderer(dir, font).renderAll(inputs);
}

/** The same one document at a time (a run renders each as its invoice is built); the fonts are read when it is made. */
export class DocumentRenderer {
  private readonly fonts: ReturnType<typeof loadFonts>;
  private readonly seen = new Map<string, string>();
  private rendered = 0;

  constructor(private readonly dir: string, private readonly font: string | null) {
    try {
      this.fonts = loadFonts(font);
    } catch (e) {
      throw new InputError(`${font ?? 'the shipped font'}: cannot be read: ${fsErrorText(e)}`);
    }
  }

  async renderAll(inputs: readonly DocumentInput[]): Promise<DocumentFile[]> {
    const files: DocumentFile[] = [];
    for (const input of inputs) files.push(...(await this.render(input)));
    return files;
  }

  /** One document's two files. */
  async render(input: DocumentInput): Promise<DocumentFile[]> {
    const { dir, font } = this;
    const number = input.invoice.invoice_number;
    const name = documentFileName(number);
    const key = name.toLowerCase();
    const other = this.seen.get(key);
    if (other !== undefined) {
      throw new OutputError(`${join(dir, `${name}.html`)}: documents ${JSON.stringify(other)} and ${JSON.stringify(number)} would share this file name; make invoice_number tell them apart`);
    }
    this.seen.set(key, number);
    const model = documentModel(input);
    let pdf: Buffer;
    try {
      pdf = await renderDocumentPdf(model, this.fonts, input.invoice.issue_date);
    } catch (e) {
      if (e instanceof ConfigError) throw e;
      if (font !== null && this.rendered === 0) throw new ConfigError([{ file: font, line: 0, column: 0, message: `not a font callbill can use (${(e as Error).message})` }]);
      throw e;
    }
    this.rendered++;
    return [
      { path: join(dir, `${name}.html`), content: renderDocumentHtml(model) },
      { path: join(dir, `${name}.pdf`), content: pdf },
    ];
  }
}

/**
 * The inputs of documents the ledger stores (credit notes among them): each one's JSON
 * text as issued, the seller of the price list it was issued with and its customer's
 * billing block. `ledger show --documents` draws from these, and so do `issue` and
 * `correct`, so that a document written again is the same bytes.
 */
export function storedDocumentInputs(jsons: readonly string[], prices: PriceList): DocumentInput[] {
  return jsons.map((text) => {
    const invoice = parseJsonExact(text) as unknown as InvoiceJson;
    return { invoice, seller: prices.seller, billing: prices.customers.get(invoice.customer_id)?.billing ?? null };
  });
}

/** Stages the rendered documents' files in the run's output plan (written with its other files, all or none). */
export function stageDocuments(plan: OutputPlan, files: readonly DocumentFile[]): void {
  // one file per document: named after its number, so planned once the numbers are known
  for (const doc of files) {
    plan.add({ option: '--documents', path: doc.path });
    const f = plan.stage(doc.path);
    if (typeof doc.content === 'string') f.write(doc.content);
    else f.writeBytes(doc.content);
    // a document is whole once written: its file is closed now, so a month of many
    // documents holds no file open (two per invoice would pass the open-file limit)
    f.finish();
  }
}
