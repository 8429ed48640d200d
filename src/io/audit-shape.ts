/**
 * The shape of a run's audit as `verify` reads it back from invoices.json. The file is an
 * input like any other: a damaged or hand-edited audit is a data problem (65) that names
 * each field missing or of the wrong type, never an internal error.
 */

import { dayOfIsoDate } from '../time/zone';

type Rule = 'string' | 'string?' | 'boolean' | 'count' | 'date' | { kind: 'object' | 'nullable' | 'list'; shape: Shape };
interface Shape {
  [field: string]: Rule;
}
const obj = (shape: Shape): Rule => ({ kind: 'object', shape });
const nullable = (shape: Shape): Rule => ({ kind: 'nullable', shape });
const list = (shape: Shape): Rule => ({ kind: 'list', shape });

const FILE: Shape = { path: 'string', sha256: 'string' };

const AUDIT: Shape = {
  callbill_version: 'string',
  options: obj({
    prices: 'string',
    period: 'string?',
    issue_date: 'date',
    balances_in: 'string?',
    set_aside_rejects: 'boolean',
    import: 'string?',
    delimiter: 'string?',
    date_format: 'string?',
  }),
  price_list: obj(FILE),
  inputs: list({ path: 'string', sha256: 'string', records: 'count' }),
  balances_in: nullable(FILE),
  import_profile: nullable(FILE),
  outputs: obj({
    rejects: nullable(FILE),
    balances_out: nullable(FILE),
  }),
};

function kind(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  const t = typeof v;
  return t === 'object' ? 'an object' : t === 'undefined' ? 'nothing' : `a ${t}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fields that an absent value may stand for null (older audits lack them). */
const OPTIONAL = new Set(['audit.options.import', 'audit.import_profile', 'audit.options.delimiter', 'audit.options.date_format']);

function check(v: unknown, rule: Rule, at: string, out: string[]): void {
  if (v === undefined && !OPTIONAL.has(at)) {
    out.push(`${at}: missing`);
    return;
  }
  if (typeof rule === 'string') {
    switch (rule) {
      case 'string':
        if (typeof v !== 'string') out.push(`${at}: expected a string, found ${kind(v)}`);
        return;
      case 'string?':
        if (v !== undefined && v !== null && typeof v !== 'string') out.push(`${at}: expected a string or null, found ${kind(v)}`);
        return;
      case 'boolean':
        if (typeof v !== 'boolean') out.push(`${at}: expected true or false, found ${kind(v)}`);
        return;
      case 'count':
        if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) out.push(`${at}: expected a whole number, found ${kind(v)}`);
        return;
      case 'date':
        if (typeof v !== 'string') out.push(`${at}: expected a string, found ${kind(v)}`);
        else if (dayOfIsoDate(v) === undefined) out.push(`${at}: expected a date YYYY-MM-DD, found ${JSON.stringify(v.slice(0, 40))}`);
        return;
    }
  }
  if (rule.kind === 'nullable') {
    if (v === null || v === undefined) return;
    if (!isObject(v)) {
      out.push(`${at}: expected an object or null, found ${kind(v)}`);
      return;
    }
    checkShape(v, rule.shape, at, out);
    return;
  }
  if (rule.kind === 'list') {
    if (!Array.isArray(v)) {
      out.push(`${at}: expected a list, found ${kind(v)}`);
      return;
    }
    v.forEach((item, i) => {
      if (!isObject(item)) out.push(`${at}[${i}]: expected an object, found ${kind(item)}`);
      else checkShape(item, rule.shape, `${at}[${i}]`, out);
    });
    return;
  }
  if (!isObject(v)) {
    out.push(`${at}: expected an object, found ${kind(v)}`);
    return;
  }
  checkShape(v, rule.shape, at, out);
}

function checkShape(v: Record<string, unknown>, shape: Shape, at: string, out: string[]): void {
  for (const [field, rule] of Object.entries(shape)) check(v[field], rule, `${at}.${field}`, out);
}

/** Every problem with the audit's fields that verify relies on; empty when it can be read. */
export function auditProblems(audit: unknown): string[] {
  const out: string[] = [];
  if (!isObject(audit)) {
    out.push(`audit: expected an object, found ${kind(audit)}`);
    return out;
  }
  checkShape(audit, AUDIT, 'audit', out);
  if (audit.runtime !== undefined && !isObject(audit.runtime)) out.push(`audit.runtime: expected an object, found ${kind(audit.runtime)}`);
  else if (isObject(audit.runtime)) {
    for (const f of ['node', 'cwd'] as const) {
      const x = audit.runtime[f];
      if (x !== undefined && typeof x !== 'string') out.push(`audit.runtime.${f}: expected a string, found ${kind(x)}`);
    }
    const tz = audit.runtime.tz_data;
    if (tz !== undefined && tz !== null && typeof tz !== 'string') out.push(`audit.runtime.tz_data: expected a string or null, found ${kind(tz)}`);
  }
  return out;
}
