import type { Billing, Seller } from './types';
import type { Value, YamlWalker } from './yaml-walker';

/** Longest text accepted in a seller or billing field: a document has room for an address, not a letter. */
const MAX_FIELD = 300;

function text(w: YamlWalker, node: Value, what: string): string | undefined {
  const t = w.string(node, what);
  if (t !== undefined && t.length > MAX_FIELD) {
    w.error(node, `${what}: at most ${MAX_FIELD} characters (found ${t.length})`);
    return undefined;
  }
  return t;
}

function lines(w: YamlWalker, node: Value, what: string): string[] {
  if (w.isNull(node)) return [];
  const items = w.seq(node, `${what} (a list of lines)`);
  const out: string[] = [];
  (items ?? []).forEach((item, i) => {
    const t = text(w, item, `${what}[${i}]`);
    if (t !== undefined) out.push(t);
  });
  if (out.length > 8) w.error(node, `${what}: at most 8 lines (found ${out.length})`);
  return out;
}

/** `seller:` of docs/reference.md §9: who issues the documents. Only `name` is required. */
export function readSeller(w: YamlWalker, node: Value): Seller | null {
  const f = w.fields(node, 'seller', ['name', 'address', 'vat_id', 'email', 'bank', 'footer'], ['name']);
  if (!f) return null;
  const opt = (k: string): string | null => (f.get(k) && !w.isNull(f.get(k)!.value) ? text(w, f.get(k)!.value, `seller.${k}`) ?? null : null);
  let bank: Seller['bank'] = null;
  const bNode = f.get('bank');
  if (bNode && !w.isNull(bNode.value)) {
    const bf = w.fields(bNode.value, 'seller.bank', ['iban', 'bic'], ['iban']);
    if (bf) {
      const ibanNode = bf.get('iban');
      const iban = ibanNode ? text(w, ibanNode.value, 'seller.bank.iban') : undefined;
      const bic = bf.get('bic') ? text(w, bf.get('bic')!.value, 'seller.bank.bic') ?? null : null;
      if (iban !== undefined && !/^[A-Z]{2}[0-9]{2}[A-Z0-9 ]{8,40}$/.test(iban)) w.error(ibanNode!.value, `seller.bank.iban: expected an IBAN such as PT50 0002 0123 1234 5678 9015 4 (found ${JSON.stringify(iban)})`);
      if (bic !== null && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) w.error(bf.get('bic')!.value, `seller.bank.bic: expected 8 or 11 letters and digits (found ${JSON.stringify(bic)})`);
      if (iban !== undefined) bank = { iban, bic };
    }
  }
  const nameNode = f.get('name');
  const name = nameNode ? text(w, nameNode.value, 'seller.name') : undefined;
  const address = f.get('address') ? lines(w, f.get('address')!.value, 'seller.address') : [];
  if (name === undefined) return null;
  return { name, address, vatId: opt('vat_id'), email: opt('email'), bank, footer: opt('footer') };
}

/** A customer's `billing:` of docs/reference.md §9: where its documents go. */
export function readBilling(w: YamlWalker, node: Value, where: string): Billing | null {
  if (w.isNull(node)) return null;
  const f = w.fields(node, `${where}.billing`, ['address', 'vat_id', 'email'], []);
  if (!f) return null;
  const opt = (k: string): string | null => (f.get(k) && !w.isNull(f.get(k)!.value) ? text(w, f.get(k)!.value, `${where}.billing.${k}`) ?? null : null);
  return {
    address: f.get('address') ? lines(w, f.get('address')!.value, `${where}.billing.address`) : [],
    vatId: opt('vat_id'),
    email: opt('email'),
  };
}

/** `documents: { font: <file> }`: the font of the PDF documents, a path relative to the price list. */
export function readDocumentsOptions(w: YamlWalker, node: Value): { font: string | null } {
  if (w.isNull(node)) return { font: null };
  const f = w.fields(node, 'documents', ['font'], []);
  const fNode = f?.get('font');
  return { font: fNode && !w.isNull(fNode.value) ? w.string(fNode.value, 'documents.font') ?? null : null };
}
