import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';

/** `verify` on an invoices.json whose audit is damaged: 65 naming what is wrong, never an internal error (70). */
describe('verify: a damaged audit', () => {
  let dir: string;
  let json: Record<string, unknown>;
  beforeAll(async () => {
    dir = folder({ 'P.yaml': P_YAML, 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '-o', join(dir, 'out'), join(dir, 'U.csv')]);
    expect(r.code).toBe(0);
    json = JSON.parse(readFileSync(join(dir, 'out', 'invoices.json'), 'utf8')) as Record<string, unknown>;
  });

  type Audit = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const cases: Array<[string, (a: Audit) => void, string]> = [
    ['options missing', (a) => delete a.options, 'audit.options: missing'],
    ['price_list missing', (a) => delete a.price_list, 'audit.price_list: missing'],
    ['price_list.sha256 a number', (a) => (a.price_list.sha256 = 5), 'audit.price_list.sha256: expected a string, found a number'],
    ['an input without its hash', (a) => delete a.inputs[0].sha256, 'audit.inputs[0].sha256: missing'],
    ['an input that is a string', (a) => (a.inputs[0] = 'U.csv'), 'audit.inputs[0]: expected an object, found a string'],
    ['records not a whole number', (a) => (a.inputs[0].records = '1'), 'audit.inputs[0].records: expected a whole number, found a string'],
    ['outputs missing', (a) => delete a.outputs, 'audit.outputs: missing'],
    ['options.issue_date wrong', (a) => (a.options.issue_date = 20261101), 'audit.options.issue_date: expected a string, found a number'],
    ['options.issue_date not a day', (a) => (a.options.issue_date = '2026-02-30'), 'audit.options.issue_date: expected a date YYYY-MM-DD, found "2026-02-30"'],
    ['options.set_aside_rejects wrong', (a) => delete a.options.set_aside_rejects, 'audit.options.set_aside_rejects: missing'],
    ['balances_in half there', (a) => (a.balances_in = { path: 'x.csv' }), 'audit.balances_in.sha256: missing'],
    ['runtime not an object', (a) => (a.runtime = 'node'), 'audit.runtime: expected an object, found a string'],
    ['outputs.rejects wrong', (a) => (a.outputs.rejects = 1), 'audit.outputs.rejects: expected an object or null, found a number'],
  ];
  it.each(cases)('%s', async (_what, damage, expected) => {
    const doc = structuredClone(json) as { audit: Audit };
    damage(doc.audit);
    const out = join(dir, `out-${Math.random().toString(36).slice(2)}`);
    require('node:fs').mkdirSync(out);
    writeFileSync(join(out, 'invoices.json'), JSON.stringify(doc));
    const r = await runInProcess(['verify', out]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code).toBe(65);
    expect(r.stderr).toContain(expected);
  });
});
