import { hasSeq, isPlaceholder } from '../invoice/invoice-number';
import { ConfigError, quoteValue, shownKey } from '../errors';
import { findCurrency } from '../money/currency';
import type { Currency } from '../money/currency';
import type { Dec } from '../money/decimal';
import { isWholeMinor } from '../money/round';
import type { RoundingMode } from '../money/round';
import { DAY_NAMES, dayOfIsoDate, isValidTimeZone, Zone } from '../time/zone';
import { idProblem } from '../usage/id-text';
import { readBilling, readDocumentsOptions, readSeller } from './parse-documents';
import { CHANNELS } from './types';
import { MAX_PREFIXES, PrefixTable } from './prefix-table';
import type {
  Band,
  ChannelPricing,
  ChannelTerms,
  Customer,
  DiversionTerms,
  Increment,
  Plan,
  PlanVersion,
  PriceList,
  FeeTerms,
  ServiceTerms,
  SlaTerms,
  TaxRule,
  TierStep,
} from './types';
import { YamlWalker } from './yaml-walker';
import type { Value } from './yaml-walker';

const TOP_KEYS = ['currency', 'timezone', 'rounding', 'tax', 'payment_terms_days', 'invoice_number', 'credit_note_number', 'default_plan', 'unlisted_customers', 'customers', 'plans', 'seller', 'documents'] as const;
const VERSION_KEYS = ['effective_from', 'voice', 'chat', 'bands', 'holidays', 'diversion', 'sla', 'minimum_monthly', 'fees', 'services'] as const;
/** Fee and service codes become part of line codes (`fee.<code>`, `service.<code>`): code-like, like band names. */
const CODE_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
/** SPEC §8: an extras quantity has at most 3 decimals; a customer's fee quantity likewise. */
const QUANTITY_DECIMALS = 3;

/** Where each fee of a plan stands, for the checks that look across customers and plans (SPEC §8). */
interface FeeSite {
  code: string;
  kind: 'fixed' | 'per_unit';
  effectiveFrom: string;
  node: Value;
}
/** Band names become part of line codes (`voice.surcharge.<band>`): keep them code-like. */
const BAND_NAME_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;
const CUSTOMER_KEYS = ['name', 'plan', 'billing', 'tax', 'quantities', 'active_from', 'active_until'] as const;
/** SPEC §11: the mention printed on the invoice; a legal reference fits easily, a contract does not. */
const MAX_TAX_NOTE_CHARS = 300;

/**
 * Reads a price list (SPEC §3) from its YAML text. Pure: the caller reads the file.
 * Every problem is collected and thrown together as one ConfigError (exit 78).
 */
export function parsePriceList(text: string, file: string): PriceList {
  const w = new YamlWalker(file, text);
  const root = w.root;
  const result = w.diagnostics.length === 0 && root ? readTop(w, root) : null;
  if (w.diagnostics.length > 0 || !result) {
    if (w.diagnostics.length === 0) w.error(root, 'the price list is empty');
    throw new ConfigError(sortDiagnostics(w.diagnostics));
  }
  return result;
}

function sortDiagnostics<T extends { line: number; column: number }>(ds: T[]): T[] {
  return [...ds].sort((a, b) => a.line - b.line || a.column - b.column);
}

function readTop(w: YamlWalker, root: Value): PriceList | null {
  const f = w.fields(root, 'price list', TOP_KEYS, ['currency', 'timezone', 'rounding', 'plans']);
  if (!f) return null;

  let currency: Currency | undefined;
  const cNode = f.get('currency');
  if (cNode) {
    const code = w.string(cNode.value, 'currency');
    if (code !== undefined) {
      currency = findCurrency(code);
      if (!currency) w.error(cNode.value, `currency: unknown ISO 4217 code ${quoteValue(code)}`);
    }
  }

  let timezone: string | undefined;
  const tzNode = f.get('timezone');
  if (tzNode) {
    const tz = w.string(tzNode.value, 'timezone');
    if (tz !== undefined) {
      if (isValidTimeZone(tz)) timezone = tz;
      else w.error(tzNode.value, `timezone: unknown IANA time zone ${quoteValue(tz)}`);
    }
  }

  const rNode = f.get('rounding');
  const rounding: RoundingMode | undefined = rNode ? w.oneOf(rNode.value, 'rounding', ['half-up', 'half-even'] as const) : undefined;

  let tax: PriceList['tax'] = null;
  const taxNode = f.get('tax');
  if (taxNode && !w.isNull(taxNode.value)) {
    const t = readTax(w, 'tax', taxNode.value);
    if (t !== undefined && t !== 'none') tax = t;
  }

  let paymentTermsDays = 0;
  const ptNode = f.get('payment_terms_days');
  if (ptNode) paymentTermsDays = w.integer(ptNode.value, 'payment_terms_days', 0, 3650) ?? 0;

  let invoiceNumber = '{customer}-{period}';
  const inNode = f.get('invoice_number');
  if (inNode) {
    const t = w.string(inNode.value, 'invoice_number');
    if (t !== undefined) {
      invoiceNumber = t;
      checkNumberTemplate(w, inNode.value, 'invoice_number', t);
      // SPEC §7: with {seq} the ledger numbers every document; without it the customer tells them apart
      if (!t.includes('{customer}') && !hasSeq(t)) w.error(inNode.value, 'invoice_number: must contain {customer} or {seq}, or two customers would share a number');
    }
  }
  let creditNoteNumber = 'CN-{year}-{seq:5}';
  const cnNode = f.get('credit_note_number');
  if (cnNode) {
    const t = w.string(cnNode.value, 'credit_note_number');
    if (t !== undefined) {
      creditNoteNumber = t;
      checkNumberTemplate(w, cnNode.value, 'credit_note_number', t);
      if (!hasSeq(t)) w.error(cnNode.value, 'credit_note_number: must contain {seq} (credit notes are numbered by the ledger)');
    }
  }

  const zone = timezone ? new Zone(timezone) : null;
  const plans = new Map<string, Plan>();
  const feeSites = new Map<string, FeeSite[]>();
  const planKeys = new Set<string>();
  const plansNode = f.get('plans');
  if (plansNode) {
    const es = w.entries(plansNode.value, 'plans');
    if (es) {
      if (es.length === 0) w.error(plansNode.value, 'plans: at least one plan is needed');
      for (const e of es) {
        planKeys.add(e.key);
        const sites: FeeSite[] = [];
        feeSites.set(e.key, sites);
        const plan = readPlan(w, e.key, e.value, zone, currency, sites);
        if (plan) plans.set(e.key, plan);
      }
    }
  }

  let defaultPlan: string | null = null;
  const dpNode = f.get('default_plan');
  if (dpNode && !w.isNull(dpNode.value)) {
    const name = w.string(dpNode.value, 'default_plan');
    if (name !== undefined) {
      if (plansNode && !planKeys.has(name)) w.error(dpNode.value, `default_plan: unknown plan ${quoteValue(name)}`);
      defaultPlan = name;
      // SPEC §8: customers who are not listed have no quantities
      for (const site of feeSites.get(name) ?? []) {
        if (site.kind === 'per_unit') {
          w.error(site.node, `plans.${name} (from ${site.effectiveFrom}): fee ${site.code} is per_unit, and ${name} is the default_plan: customers who are not listed have no quantities (use a fixed amount, or a plan of its own)`);
        }
      }
    }
  }

  // what becomes of a usage row of a customer not listed (docs/reference.md §3.5): billed under default_plan, or rejected
  let unlistedCustomers: PriceList['unlistedCustomers'] = defaultPlan !== null ? 'bill' : 'reject';
  const ucNode = f.get('unlisted_customers');
  if (ucNode) {
    const v = w.string(ucNode.value, 'unlisted_customers');
    if (v !== undefined) {
      if (v !== 'bill' && v !== 'reject') w.error(ucNode.value, `unlisted_customers: expected bill or reject, found ${quoteValue(v)}`);
      else if (v === 'bill' && defaultPlan === null) w.error(ucNode.value, 'unlisted_customers: bill needs a default_plan, the plan to bill them under');
      else unlistedCustomers = v;
    }
  }

  const customers = new Map<string, Customer>();
  const cuNode = f.get('customers');
  if (cuNode && !w.isNull(cuNode.value)) {
    const es = w.entries(cuNode.value, 'customers');
    for (const e of es ?? []) {
      const where = `customers.${shownKey(e.key)}`;
      // the key is the customer_id of usage rows: the same rules as there, so that it can match one
      const keyProblem = idProblem(e.key);
      if (keyProblem !== null) w.error(e.keyNode, `customers: the key ${quoteValue(e.key)} ${keyProblem}`);
      else if (e.key.trim() !== e.key || e.key === '') w.error(e.keyNode, `customers: the key ${quoteValue(e.key)} is empty or has blanks at an end; usage customer_ids are trimmed, so no row could match it`);
      const cf = w.fields(e.value, where, CUSTOMER_KEYS, ['plan']);
      if (!cf) continue;
      const plan = cf.get('plan') ? w.string(cf.get('plan')!.value, `${where}.plan`) : undefined;
      const name = cf.get('name') ? w.string(cf.get('name')!.value, `${where}.name`) : e.key;
      if (plan !== undefined && plansNode && !planKeys.has(plan)) {
        w.error(cf.get('plan')!.value, `${where}.plan: unknown plan ${quoteValue(plan)}`);
      }
      const billing = cf.get('billing') ? readBilling(w, cf.get('billing')!.value, where) : null;
      let tax: Customer['tax'];
      const ctNode = cf.get('tax');
      if (ctNode) {
        // a customer's `tax:` left empty would be read as "none" by some and "the price list's" by others
        if (w.isNull(ctNode.value)) w.error(ctNode.keyNode, `${where}.tax: expected { name, rate, note } or none, found nothing (leave the key out for the price list's tax)`);
        else tax = readTax(w, `${where}.tax`, ctNode.value);
      }
      const sites = plan !== undefined ? (feeSites.get(plan) ?? []) : [];
      const quantities = readQuantities(w, where, cf.get('quantities'), plan, sites, e.value);
      const activeFrom = readActiveDate(w, where, cf.get('active_from'), 'active_from');
      const activeUntil = readActiveDate(w, where, cf.get('active_until'), 'active_until');
      if (activeFrom && activeUntil && activeUntil < activeFrom) {
        w.error(cf.get('active_until')!.value, `${where}.active_until: ${activeUntil} is before active_from ${activeFrom}`);
      }
      if (plan !== undefined && name !== undefined) {
        const c: Customer = { id: e.key, name, plan, billing };
        if (tax !== undefined) c.tax = tax;
        if (quantities.size > 0) c.quantities = quantities;
        if (activeFrom) c.activeFrom = activeFrom;
        if (activeUntil) c.activeUntil = activeUntil;
        customers.set(e.key, c);
      }
    }
  }

  const sNode = f.get('seller');
  const seller = sNode && !w.isNull(sNode.value) ? readSeller(w, sNode.value) : null;
  const dNode = f.get('documents');
  const documentsFont = dNode ? readDocumentsOptions(w, dNode.value).font : null;

  if (!currency || !timezone || !rounding) return null;
  return {
    seller,
    documentsFont,
    file: w.file,
    currency,
    timezone,
    rounding,
    tax,
    paymentTermsDays,
    invoiceNumber,
    creditNoteNumber,
    defaultPlan,
    unlistedCustomers,
    customers,
    plans,
  };
}

/** SPEC §7 placeholders of a number template: {customer}, {period}, {year}, {seq}, {seq:N}. */
function checkNumberTemplate(w: YamlWalker, node: Value, key: string, t: string): void {
  for (const m of t.matchAll(/\{([^}]*)\}/g)) {
    if (!isPlaceholder(m[1] ?? '')) w.error(node, `${key}: unknown placeholder {${m[1]}} (expected {customer}, {period}, {year}, {seq} or {seq:N} with N from 1 to 99)`);
  }
}

/**
 * A tax rule (SPEC §3 `tax`, §11 a customer's `tax`): `{ name, rate, note? }` with a
 * rate from 0 to 100, or the word `none`. Undefined when it is invalid (reported).
 */
function readTax(w: YamlWalker, where: string, node: Value): TaxRule | 'none' | undefined {
  if (!w.isMapping(node)) {
    const t = w.scalarText(node, where);
    if (t === undefined) return undefined;
    if (t === 'none') return 'none';
    w.error(node, `${where}: expected { name, rate, note } or none, found ${JSON.stringify(t)}`);
    return undefined;
  }
  const tf = w.fields(node, where, ['name', 'rate', 'note'], ['name', 'rate']);
  if (!tf) return undefined;
  const name = tf.get('name') ? w.string(tf.get('name')!.value, `${where}.name`) : undefined;
  let rate = tf.get('rate') ? w.decimal(tf.get('rate')!.value, `${where}.rate`) : undefined;
  if (rate && rate.gt(100)) {
    w.error(tf.get('rate')!.value, `${where}.rate: a percentage above 100 (found ${rate.toFixed()})`);
    rate = undefined;
  }
  let note: string | null = null;
  const noteNode = tf.get('note');
  let noteOk = true;
  if (noteNode && !w.isNull(noteNode.value)) {
    const t = w.string(noteNode.value, `${where}.note`);
    if (t === undefined) noteOk = false;
    else if ([...t].length > MAX_TAX_NOTE_CHARS) {
      w.error(noteNode.value, `${where}.note: ${[...t].length} characters; at most ${MAX_TAX_NOTE_CHARS} fit on an invoice`);
      noteOk = false;
    } else note = t;
  }
  if (name === undefined || rate === undefined || !noteOk) return undefined;
  return { name, rate, note };
}

/**
 * A customer's `quantities` (SPEC §8): each code must be a per_unit fee of the customer's
 * plan, and every per_unit fee of the plan needs one.
 */
function readQuantities(w: YamlWalker, where: string, entry: { keyNode: NonNullable<Value>; value: Value } | undefined, plan: string | undefined, sites: FeeSite[], customerNode: Value): Map<string, Dec> {
  const out = new Map<string, Dec>();
  if (entry && !w.isNull(entry.value)) {
    for (const q of w.entries(entry.value, `${where}.quantities`) ?? []) {
      const v = w.decimal(q.value, `${where}.quantities.${q.key}`);
      if (v === undefined) continue;
      if (v.decimalPlaces() > QUANTITY_DECIMALS) {
        w.error(q.value, `${where}.quantities.${q.key}: at most ${QUANTITY_DECIMALS} decimals (found ${v.toFixed()})`);
        continue;
      }
      const site = sites.find((s) => s.code === q.key && s.kind === 'per_unit');
      if (!site) {
        const fixed = sites.some((s) => s.code === q.key);
        w.error(q.keyNode, `${where}.quantities: ${fixed ? `fee ${q.key} of plan ${plan} has a fixed amount, not a per_unit price` : `unknown fee code ${JSON.stringify(q.key)}: plan ${plan ?? '?'} has no per_unit fee of that code`}`);
        continue;
      }
      out.set(q.key, v);
    }
  }
  const missing = new Map<string, FeeSite>();
  for (const s of sites) if (s.kind === 'per_unit' && !out.has(s.code) && !missing.has(s.code)) missing.set(s.code, s);
  for (const s of missing.values()) {
    w.error(entry ? entry.keyNode : customerNode, `${where}: fee ${s.code} of plan ${plan} (from ${s.effectiveFrom}) is per_unit: give the customer quantities: { ${s.code}: N }`);
  }
  return out;
}

function readActiveDate(w: YamlWalker, where: string, entry: { value: Value } | undefined, key: string): string | null {
  if (!entry || w.isNull(entry.value)) return null;
  const t = w.string(entry.value, `${where}.${key}`);
  if (t === undefined) return null;
  if (dayOfIsoDate(t) === undefined) {
    w.error(entry.value, `${where}.${key}: expected a date YYYY-MM-DD, found ${JSON.stringify(t)}`);
    return null;
  }
  return t;
}

function readPlan(w: YamlWalker, name: string, node: Value, zone: Zone | null, currency: Currency | undefined, sites: FeeSite[]): Plan | null {
  const where = `plans.${shownKey(name)}`;
  const f = w.fields(node, where, ['versions'], ['versions']);
  const vNode = f?.get('versions');
  if (!vNode) return null;
  const items = w.seq(vNode.value, `${where}.versions`);
  if (!items) return null;
  if (items.length === 0) {
    w.error(vNode.value, `${where}.versions: at least one version is needed`);
    return null;
  }
  const versions: PlanVersion[] = [];
  let prev: string | null = null;
  let ok = true;
  items.forEach((item, i) => {
    const v = readVersion(w, name, `${where}.versions[${i}]`, item, versions.length, zone, currency, sites);
    if (!v) {
      ok = false;
      return;
    }
    if (prev !== null && v.effectiveFrom <= prev) {
      w.error(v.effectiveFromNode, `${where}.versions[${i}].effective_from: ${v.effectiveFrom} must be later than the version before it (${prev}); list versions in date order, one per date`);
      ok = false;
    }
    prev = v.effectiveFrom;
    versions.push(v.version);
  });
  return ok ? { name, versions, slaThresholds: slaThresholds(versions) } : null;
}

/** Plan.slaThresholds of these versions. */
function slaThresholds(versions: readonly PlanVersion[]): readonly number[] {
  const s = new Set<number>();
  for (const v of versions) if (v.sla?.serviceLevel) s.add(v.sla.serviceLevel.answerWithinSeconds);
  return Object.freeze([...s].sort((a, b) => a - b));
}

function readVersion(
  w: YamlWalker,
  plan: string,
  where: string,
  node: Value,
  index: number,
  zone: Zone | null,
  currency: Currency | undefined,
  sites: FeeSite[],
): { version: PlanVersion; effectiveFrom: string; effectiveFromNode: Value } | null {
  const f = w.fields(node, where, VERSION_KEYS, ['effective_from']);
  if (!f) return null;
  let effectiveFrom: string | undefined;
  let fromMs = 0;
  const efNode = f.get('effective_from');
  if (efNode) {
    const t = w.string(efNode.value, `${where}.effective_from`);
    if (t !== undefined) {
      const day = dayOfIsoDate(t);
      if (day === undefined) w.error(efNode.value, `${where}.effective_from: expected a date YYYY-MM-DD, found ${quoteValue(t)}`);
      else {
        effectiveFrom = t;
        if (zone) fromMs = zone.fromLocal(day * 86_400_000);
      }
    }
  }
  const channel = (c: 'voice' | 'chat'): ChannelTerms | null => {
    const n = f.get(c);
    return n && !w.isNull(n.value) ? readChannel(w, `${where}.${c}`, n.value) : null;
  };
  const voice = channel('voice');
  const chat = channel('chat');

  const bands: Band[] = [];
  const bNode = f.get('bands');
  if (bNode && !w.isNull(bNode.value)) {
    const names = new Set<string>();
    (w.seq(bNode.value, `${where}.bands`) ?? []).forEach((b, i) => {
      const band = readBand(w, `${where}.bands[${i}]`, b);
      if (!band) return;
      if (names.has(band.name)) w.error(b, `${where}.bands[${i}]: band name ${quoteValue(band.name)} is used twice in this version`);
      names.add(band.name);
      bands.push(band);
    });
  }

  const holidays = new Set<number>();
  const hNode = f.get('holidays');
  if (hNode && !w.isNull(hNode.value)) {
    for (const h of w.seq(hNode.value, `${where}.holidays`) ?? []) {
      const t = w.string(h, `${where}.holidays`);
      if (t === undefined) continue;
      const d = dayOfIsoDate(t);
      if (d === undefined) w.error(h, `${where}.holidays: expected a date YYYY-MM-DD, found ${quoteValue(t)}`);
      else holidays.add(d);
    }
  }

  const dNode = f.get('diversion');
  const diversion = dNode && !w.isNull(dNode.value) ? readDiversion(w, `${where}.diversion`, dNode.value, currency) : null;
  const sNode = f.get('sla');
  const sla = sNode && !w.isNull(sNode.value) ? readSla(w, `${where}.sla`, sNode.value) : null;

  let minimumMonthly: Dec | null = null;
  const mNode = f.get('minimum_monthly');
  if (mNode && !w.isNull(mNode.value)) {
    const m = w.decimal(mNode.value, `${where}.minimum_monthly`);
    if (m) {
      if (currency && !isWholeMinor(m, currency.minor)) {
        w.error(mNode.value, `${where}.minimum_monthly: ${m.toFixed()} is not a whole number of ${currency.code} minor units (${currency.minor} decimals)`);
      } else minimumMonthly = m;
    }
  }
  const feesNode = f.get('fees');
  const fees = feesNode && !w.isNull(feesNode.value) ? readFees(w, `${where}.fees`, feesNode.value, currency) : [];
  const svNode = f.get('services');
  const services = svNode && !w.isNull(svNode.value) ? readServices(w, `${where}.services`, svNode.value) : new Map<string, ServiceTerms>();
  if (effectiveFrom === undefined) return null;
  for (const fee of fees) sites.push({ code: fee.terms.code, kind: fee.terms.kind, effectiveFrom, node: fee.node });
  return {
    version: { plan, index, effectiveFrom, fromMs, voice, chat, bands, holidays, diversion, sla, minimumMonthly, fees: fees.map((x) => x.terms), services },
    effectiveFrom,
    effectiveFromNode: efNode!.value,
  };
}

/** SPEC §8 `fees`: a list of { code, name, amount } or { code, name, per_unit, unit }, codes unique. */
function readFees(w: YamlWalker, where: string, node: Value, currency: Currency | undefined): Array<{ terms: FeeTerms; node: Value }> {
  const out: Array<{ terms: FeeTerms; node: Value }> = [];
  const seen = new Set<string>();
  (w.seq(node, where) ?? []).forEach((item, i) => {
    const fw = `${where}[${i}]`;
    const f = w.fields(item, fw, ['code', 'name', 'amount', 'per_unit', 'unit'], ['code', 'name']);
    if (!f) return;
    const code = f.get('code') ? w.string(f.get('code')!.value, `${fw}.code`) : undefined;
    let ok = code !== undefined;
    if (code !== undefined && !CODE_RE.test(code)) {
      w.error(f.get('code')!.value, `${fw}.code: ${JSON.stringify(code)} cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)`);
      ok = false;
    } else if (code !== undefined && seen.has(code)) {
      w.error(f.get('code')!.value, `${fw}.code: fee code ${code} is used twice in this version`);
      ok = false;
    }
    if (code !== undefined) seen.add(code);
    const name = f.get('name') ? w.string(f.get('name')!.value, `${fw}.name`) : undefined;
    if (name === undefined) ok = false;
    const whole = (key: 'amount' | 'per_unit'): Dec | undefined => {
      const n = f.get(key)!;
      const d = w.decimal(n.value, `${fw}.${key}`);
      if (d && currency && !isWholeMinor(d, currency.minor)) {
        w.error(n.value, `${fw}.${key}: ${d.toFixed()} is not a whole number of ${currency.code} minor units (${currency.minor} decimals)`);
        return undefined;
      }
      return d;
    };
    const has = (k: string) => f.has(k);
    let terms: FeeTerms | undefined;
    if (has('amount') && has('per_unit')) {
      w.error(f.get('per_unit')!.keyNode, `${fw}: has both amount and per_unit; a fee has one or the other`);
    } else if (has('amount')) {
      if (has('unit')) w.error(f.get('unit')!.keyNode, `${fw}.unit: goes with per_unit, not with a fixed amount`);
      const a = whole('amount');
      if (a && ok && !has('unit')) terms = { code: code!, name: name!, kind: 'fixed', amount: a };
    } else if (has('per_unit')) {
      const pu = whole('per_unit');
      const unit = has('unit') ? w.string(f.get('unit')!.value, `${fw}.unit`) : undefined;
      if (!has('unit')) w.error(item, `${fw}: a per_unit fee needs a unit (agent, seat, …)`);
      if (pu && unit !== undefined && ok) terms = { code: code!, name: name!, kind: 'per_unit', perUnit: pu, unit };
    } else {
      w.error(item, `${fw}: needs amount or per_unit`);
    }
    if (terms) out.push({ terms, node: item });
  });
  return out;
}

/** SPEC §8 `services`: by code, { name, price, unit? }. */
function readServices(w: YamlWalker, where: string, node: Value): Map<string, ServiceTerms> {
  const out = new Map<string, ServiceTerms>();
  for (const e of w.entries(node, where) ?? []) {
    const sw = `${where}.${e.key}`;
    if (!CODE_RE.test(e.key)) {
      w.error(e.keyNode, `${where}: service code ${JSON.stringify(e.key)} cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)`);
      continue;
    }
    const f = w.fields(e.value, sw, ['name', 'price', 'unit'], ['name', 'price']);
    if (!f) continue;
    const name = f.get('name') ? w.string(f.get('name')!.value, `${sw}.name`) : undefined;
    const price = f.get('price') ? w.decimal(f.get('price')!.value, `${sw}.price`) : undefined;
    const unit = f.get('unit') ? w.string(f.get('unit')!.value, `${sw}.unit`) : 'request';
    if (name !== undefined && price && unit !== undefined) out.set(e.key, { code: e.key, name, price, unit });
  }
  return out;
}

function readIncrement(w: YamlWalker, where: string, node: Value): Increment | undefined {
  const f = w.fields(node, where, ['first', 'next'], ['first', 'next']);
  if (!f) return undefined;
  const first = f.get('first') ? w.integer(f.get('first')!.value, `${where}.first`, 1, 86_400) : undefined;
  const next = f.get('next') ? w.integer(f.get('next')!.value, `${where}.next`, 1, 86_400) : undefined;
  return first !== undefined && next !== undefined ? { first, next } : undefined;
}

function readChannel(w: YamlWalker, where: string, node: Value): ChannelTerms | null {
  const f = w.fields(node, where, ['per_minute', 'tiers', 'increment', 'per_contact'], ['increment']);
  if (!f) return null;
  const inc = f.get('increment') ? readIncrement(w, `${where}.increment`, f.get('increment')!.value) : undefined;
  const pm = f.get('per_minute');
  const ti = f.get('tiers');
  let pricing: ChannelPricing | undefined;
  if (pm && ti) {
    w.error(ti.keyNode, `${where}: has both per_minute and tiers; a channel has one or the other`);
  } else if (pm) {
    const v = w.decimal(pm.value, `${where}.per_minute`);
    if (v) pricing = { kind: 'flat', perMinute: v };
  } else if (ti) {
    pricing = readTiers(w, `${where}.tiers`, ti.value);
  } else {
    w.error(node, `${where}: needs per_minute or tiers`);
  }
  let perContact: Dec | null = null;
  const pc = f.get('per_contact');
  if (pc && !w.isNull(pc.value)) perContact = w.decimal(pc.value, `${where}.per_contact`) ?? null;
  if (!pricing || !inc) return null;
  return { pricing, increment: inc, perContact };
}

function readTiers(w: YamlWalker, where: string, node: Value): ChannelPricing | undefined {
  const f = w.fields(node, where, ['mode', 'steps'], ['mode', 'steps']);
  if (!f) return undefined;
  const mode = f.get('mode') ? w.oneOf(f.get('mode')!.value, `${where}.mode`, ['graduated', 'volume'] as const) : undefined;
  const stepsNode = f.get('steps');
  const items = stepsNode ? w.seq(stepsNode.value, `${where}.steps`) : null;
  if (!items) return undefined;
  if (items.length === 0) {
    w.error(stepsNode!.value, `${where}.steps: at least one step is needed`);
    return undefined;
  }
  const steps: TierStep[] = [];
  let ok = true;
  let prevBound: Dec | null = null;
  items.forEach((s, i) => {
    const sw = `${where}.steps[${i}]`;
    const sf = w.fields(s, sw, ['up_to_minutes', 'per_minute'], ['per_minute']);
    if (!sf) {
      ok = false;
      return;
    }
    const price = sf.get('per_minute') ? w.decimal(sf.get('per_minute')!.value, `${sw}.per_minute`) : undefined;
    const last = i === items.length - 1;
    const ub = sf.get('up_to_minutes');
    let bound: Dec | null = null;
    if (ub && !w.isNull(ub.value)) {
      const b = w.decimal(ub.value, `${sw}.up_to_minutes`, { positive: true });
      if (!b) ok = false;
      else if (last) {
        w.error(ub.keyNode, `${sw}: the last step must have no up_to_minutes (it takes everything above the step before it)`);
        ok = false;
      } else if (!b.times(60).isInteger()) {
        w.error(ub.value, `${sw}.up_to_minutes: ${b.toFixed()} minutes is not a whole number of seconds`);
        ok = false;
      } else if (prevBound && b.lte(prevBound)) {
        w.error(ub.value, `${sw}.up_to_minutes: ${b.toFixed()} must be greater than the step before it (${prevBound.toFixed()})`);
        ok = false;
      } else bound = b;
    } else if (!last) {
      w.error(s, `${sw}: only the last step may have no up_to_minutes`);
      ok = false;
    }
    if (bound) prevBound = bound;
    if (!price) ok = false;
    else steps.push({ upToMinutes: bound, upToSeconds: bound ? bound.times(60).toNumber() : null, perMinute: price });
  });
  if (!ok || !mode) return undefined;
  return { kind: 'tiers', mode, steps };
}

function parseHHMM(t: string): number | undefined {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(t);
  return m ? Number(m[1]) * 60 + Number(m[2]) : undefined;
}

function readBand(w: YamlWalker, where: string, node: Value): Band | null {
  const f = w.fields(node, where, ['name', 'days', 'from', 'to', 'holidays', 'channels', 'surcharge_per_minute'], ['name', 'surcharge_per_minute']);
  if (!f) return null;
  let ok = true;
  const name = f.get('name') ? w.string(f.get('name')!.value, `${where}.name`) : undefined;
  if (name !== undefined && !BAND_NAME_RE.test(name)) {
    w.error(f.get('name')!.value, `${where}.name: ${quoteValue(name)} cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)`);
    ok = false;
  }
  let days: boolean[] | null = null;
  const dNode = f.get('days');
  if (dNode) {
    const items = w.seq(dNode.value, `${where}.days`);
    if (!items) ok = false;
    else {
      days = [false, false, false, false, false, false, false];
      for (const it of items) {
        const d = w.oneOf(it, `${where}.days`, DAY_NAMES);
        if (d === undefined) ok = false;
        else days[DAY_NAMES.indexOf(d)] = true;
      }
      // like channels: an empty list would make a band that never matches
      if (items.length === 0) {
        w.error(dNode.value, `${where}.days: an empty list matches nothing; leave days out for every day`);
        ok = false;
      }
    }
  }
  const time = (k: 'from' | 'to'): number | null | undefined => {
    const n = f.get(k);
    if (!n) return null;
    const t = w.scalarText(n.value, `${where}.${k}`);
    if (t === undefined) return undefined;
    const v = parseHHMM(t);
    if (v === undefined) w.error(n.value, `${where}.${k}: expected a local time HH:MM (00:00 to 23:59), found ${quoteValue(t)}`);
    return v;
  };
  const from = time('from');
  const to = time('to');
  if (from === undefined || to === undefined) ok = false;
  if ((f.has('from') && !f.has('to')) || (!f.has('from') && f.has('to'))) {
    w.error(node, `${where}: from and to come together`);
    ok = false;
  }
  if (from !== undefined && to !== undefined && from !== null && from === to) {
    w.error(f.get('to')!.value, `${where}: from and to are equal; leave both out for the whole day`);
    ok = false;
  }
  let holidays = false;
  const hNode = f.get('holidays');
  if (hNode) {
    const h = w.boolean(hNode.value, `${where}.holidays`);
    if (h === undefined) ok = false;
    else holidays = h;
  }
  let voice = true, chat = true;
  const cNode = f.get('channels');
  if (cNode) {
    const items = w.seq(cNode.value, `${where}.channels`);
    if (!items) ok = false;
    else {
      voice = false;
      chat = false;
      for (const it of items) {
        const c = w.oneOf(it, `${where}.channels`, CHANNELS);
        if (c === 'voice') voice = true;
        else if (c === 'chat') chat = true;
        else ok = false;
      }
      if (items.length === 0) {
        w.error(cNode.value, `${where}.channels: an empty list matches nothing`);
        ok = false;
      }
    }
  }
  const surcharge = f.get('surcharge_per_minute') ? w.decimal(f.get('surcharge_per_minute')!.value, `${where}.surcharge_per_minute`) : undefined;
  if (!ok || name === undefined || !surcharge || from === undefined || to === undefined) return null;
  return { name, days, fromMinute: from, toMinute: to, holidays, voice, chat, surchargePerMinute: surcharge };
}

function readDiversion(w: YamlWalker, where: string, node: Value, currency: Currency | undefined): DiversionTerms | null {
  const f = w.fields(node, where, ['fee', 'mobile', 'international'], ['fee']);
  if (!f) return null;
  let ok = true;
  const feeNode = f.get('fee');
  const fee = feeNode ? w.decimal(feeNode.value, `${where}.fee`, { positive: true }) : undefined;
  if (fee && currency && !isWholeMinor(fee, currency.minor)) {
    w.error(feeNode!.value, `${where}.fee: ${fee.toFixed()} is not a whole number of ${currency.code} minor units (${currency.minor} decimals)`);
    ok = false;
  }
  let mobile: DiversionTerms['mobile'] = null;
  const mNode = f.get('mobile');
  if (mNode && !w.isNull(mNode.value)) {
    const mf = w.fields(mNode.value, `${where}.mobile`, ['per_minute', 'increment'], ['per_minute', 'increment']);
    const pm = mf?.get('per_minute') ? w.decimal(mf.get('per_minute')!.value, `${where}.mobile.per_minute`) : undefined;
    const inc = mf?.get('increment') ? readIncrement(w, `${where}.mobile.increment`, mf.get('increment')!.value) : undefined;
    if (pm && inc) mobile = { perMinute: pm, increment: inc };
    else ok = false;
  }
  let international: DiversionTerms['international'] = null;
  const iNode = f.get('international');
  if (iNode && !w.isNull(iNode.value)) {
    const iw = `${where}.international`;
    const inf = w.fields(iNode.value, iw, ['increment', 'destinations', 'default_per_minute'], ['increment']);
    if (inf && !inf.has('destinations') && !inf.has('default_per_minute')) {
      w.error(iNode.value, `${iw}: needs destinations, default_per_minute or both`);
      ok = false;
    }
    const inc = inf?.get('increment') ? readIncrement(w, `${iw}.increment`, inf.get('increment')!.value) : undefined;
    const table = new PrefixTable();
    const dNode = inf?.get('destinations');
    if (dNode && !w.isNull(dNode.value)) {
      const es = w.entries(dNode.value, `${iw}.destinations`) ?? [];
      if (es.length > MAX_PREFIXES) {
        // a limit with a plain message rather than gigabytes of memory and an abort
        w.error(dNode.value, `${iw}.destinations: ${es.length} prefixes, more than the ${MAX_PREFIXES} a price list may hold`);
        ok = false;
      } else {
        const added: typeof es = [];
        for (const e of es) {
          if (!/^[0-9]{1,15}$/.test(e.key)) {
            w.error(e.keyNode, `${iw}.destinations: prefix ${quoteValue(e.key)} must be 1 to 15 digits (quote it to keep leading zeros)`);
            ok = false;
            continue;
          }
          const r = w.decimal(e.value, `${iw}.destinations.${shownKey(e.key)}`);
          if (!r) {
            ok = false;
            continue;
          }
          table.set(e.key, r);
          added.push(e);
        }
        for (const i of table.finish()) {
          w.error(added[i]!.keyNode, `${iw}.destinations: prefix ${shownKey(added[i]!.key)} is listed twice`);
          ok = false;
        }
      }
    }
    let def: Dec | null = null;
    const dfNode = inf?.get('default_per_minute');
    if (dfNode && !w.isNull(dfNode.value)) def = w.decimal(dfNode.value, `${iw}.default_per_minute`) ?? null;
    if (inc && inf) international = { increment: inc, destinations: table, defaultPerMinute: def };
    else ok = false;
  }
  if (!ok || !fee) return null;
  return { fee, mobile, international };
}

function readSla(w: YamlWalker, where: string, node: Value): SlaTerms | null {
  const f = w.fields(node, where, ['service_level', 'max_average_response_seconds', 'credit_percent_per_miss', 'credit_cap_percent', 'credit_base'], ['credit_percent_per_miss']);
  if (!f) return null;
  let ok = true;
  const cbNode = f.get('credit_base');
  let creditBase: SlaTerms['creditBase'] = 'usage';
  if (cbNode) {
    const cb = w.oneOf(cbNode.value, `${where}.credit_base`, ['usage', 'usage_and_fees'] as const);
    if (cb === undefined) ok = false;
    else creditBase = cb;
  }
  let serviceLevel: SlaTerms['serviceLevel'] = null;
  const slNode = f.get('service_level');
  if (slNode && !w.isNull(slNode.value)) {
    const sf = w.fields(slNode.value, `${where}.service_level`, ['answer_within_seconds', 'target_percent'], ['answer_within_seconds', 'target_percent']);
    const within = sf?.get('answer_within_seconds') ? w.integer(sf.get('answer_within_seconds')!.value, `${where}.service_level.answer_within_seconds`, 0, 86_400) : undefined;
    const target = sf?.get('target_percent') ? w.decimal(sf.get('target_percent')!.value, `${where}.service_level.target_percent`) : undefined;
    if (target && target.gt(100)) {
      w.error(sf!.get('target_percent')!.value, `${where}.service_level.target_percent: a percentage above 100 (found ${target.toFixed()})`);
      ok = false;
    }
    if (within !== undefined && target) serviceLevel = { answerWithinSeconds: within, targetPercent: target };
    else ok = false;
  }
  const maxAverageResponse: SlaTerms['maxAverageResponse'] = { voice: null, chat: null };
  const mNode = f.get('max_average_response_seconds');
  if (mNode && !w.isNull(mNode.value)) {
    const mf = w.fields(mNode.value, `${where}.max_average_response_seconds`, CHANNELS);
    for (const c of CHANNELS) {
      const n = mf?.get(c);
      if (!n) continue;
      const v = w.decimal(n.value, `${where}.max_average_response_seconds.${c}`);
      if (v) maxAverageResponse[c] = v;
      else ok = false;
    }
  }
  const perNode = f.get('credit_percent_per_miss');
  const per = perNode ? w.decimal(perNode.value, `${where}.credit_percent_per_miss`) : undefined;
  // a credit is a share of its base: more than all of it per miss is a typing error
  if (per && per.gt(100)) {
    w.error(perNode!.value, `${where}.credit_percent_per_miss: a percentage above 100 (found ${per.toFixed()})`);
    ok = false;
  }
  let cap: Dec | null = null;
  const capNode = f.get('credit_cap_percent');
  if (capNode && !w.isNull(capNode.value)) {
    const c = w.decimal(capNode.value, `${where}.credit_cap_percent`);
    if (!c) ok = false;
    else if (c.gt(100)) {
      w.error(capNode.value, `${where}.credit_cap_percent: a percentage above 100 (found ${c.toFixed()})`);
      ok = false;
    } else cap = c;
  }
  if (!ok || !per) return null;
  return { creditBase, serviceLevel, maxAverageResponse, creditPercentPerMiss: per, creditCapPercent: cap };
}
