import { UsageError } from '../errors';
import { OutputPlan } from '../io/output-plan';
import { ledgerFiles, openLedger } from '../ledger/ledger';
import { parsePriceList } from '../pricing/parse-price-list';
import { terminalSafe } from '../render/terminal-safe';
import { fontPath, renderDocuments, stageDocuments, storedDocumentInputs } from './documents';

/**
 * `ledger show <number> --documents DIR` (docs/reference.md §9): the document's HTML and PDF
 * written again from what the ledger stores — its JSON as issued and the price list of the
 * run that issued it (seller, billing block, documents.font) — so they are the same bytes
 * `issue` or `correct` wrote with the same font. Written like every output: atomically,
 * never over the ledger's own files.
 */
export async function writeStoredDocument(ledgerPath: string, number: string, dir: string, font: string | undefined, stdoutFd?: number): Promise<void> {
  const ledger = openLedger(ledgerPath);
  let json: string | null;
  let source: { path: string; text: string } | null;
  try {
    json = ledger.documentJson(number);
    source = ledger.priceListOf(number);
  } finally {
    ledger.close();
  }
  if (json === null || source === null) throw new UsageError(`no document ${terminalSafe(number)} in the ledger (callbill ledger invoices lists them)`);
  const prices = parsePriceList(source.text, source.path);
  const plan = OutputPlan.prepare({ folders: [{ option: '--documents', path: dir }], files: [], inputs: ledgerFiles(ledgerPath).map((path) => ({ what: 'the ledger', path })), stdoutFd });
  try {
    stageDocuments(plan, await renderDocuments(storedDocumentInputs([json], prices), dir, fontPath(font, prices)));
    plan.commit();
  } finally {
    plan.abort();
  }
}
