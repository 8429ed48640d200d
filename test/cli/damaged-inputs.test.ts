import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../helpers/cli';

/**
 * Damaged files found by the fuzzer (issue #6): each is refused with its exit code and a
 * message at file:line(:column), instead of being billed with U+FFFD or a raw NUL in a name.
 */
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
default_plan: p
customers:
  ACME: { name: "Acme Insurance Ltd", plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.60, increment: { first: 1, next: 1 } }
`;
const USAGE = 'record_id,customer_id,channel,started_at,duration_seconds\nr1,ACME,voice,2026-10-01T10:00:00Z,60\n';

let dir: string;
const p = (name: string) => join(dir, name);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-damaged-'));
  writeFileSync(p('prices.yaml'), PRICES);
  writeFileSync(p('usage.csv'), USAGE);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const run = (...args: string[]) => runInProcess(['invoice', '--issue-date', '2026-11-01', '--format', 'csv', ...args]);

describe('a price list that is not clean UTF-8 text', () => {
  it('invalid UTF-8 is refused at its line and column (was silently read as U+FFFD and billed)', async () => {
    writeFileSync(p('bad.yaml'), Buffer.concat([Buffer.from(PRICES.slice(0, PRICES.indexOf('Insurance'))), Buffer.from([0xff]), Buffer.from(PRICES.slice(PRICES.indexOf('Insurance')))]));
    const o = await run('-p', p('bad.yaml'), p('usage.csv'));
    expect([o.code, o.stdout, o.stderr]).toEqual([78, '', `${p('bad.yaml')}:6:23: not valid UTF-8 (save the file as UTF-8)\ncallbill: 1 problem found; nothing was written\n`]);
  });

  it('a raw NUL or ESC byte is refused at its place (yaml lets them through into names)', async () => {
    writeFileSync(p('nul.yaml'), PRICES.replace('Acme Insurance', 'Acme\u0000Insurance').replace('currency: EUR', 'currency: EUR\u001b'));
    const o = await run('-p', p('nul.yaml'), p('usage.csv'));
    expect(o.code).toBe(78);
    expect(o.stderr).toBe(
      `${p('nul.yaml')}:1:14: YAML: the control character U+001B is not allowed in a YAML file (a damaged file?)\n` +
        `${p('nul.yaml')}:6:22: YAML: the control character U+0000 is not allowed in a YAML file (a damaged file?)\n` +
        'callbill: 2 problems found; nothing was written\n',
    );
  });

  it('an escaped control character in a quoted string is text, and is allowed', async () => {
    writeFileSync(p('esc.yaml'), PRICES.replace('"Acme Insurance Ltd"', '"Acme\\e[31m"'));
    const o = await run('-p', p('esc.yaml'), p('usage.csv'));
    expect(o.code).toBe(0);
    expect(o.stdout.split('\n')[1]).toBe('ACME-2026-10-01_2026-10-01,ACME,Acme\u001b[31m,2026-10-01,2026-10-01,EUR,0.60,0.00,0.60,0,0.00,');
  });

  it.each([
    ['empty', ''],
    ['a BOM only', '\ufeff'],
    ['comments only', '# nothing here\n'],
  ])('%s: "the price list is empty" (78)', async (_name, text) => {
    writeFileSync(p('e.yaml'), text);
    const o = await run('-p', p('e.yaml'), p('usage.csv'));
    expect([o.code, o.stderr.split('\n')[0]]).toEqual([78, `${p('e.yaml')}:1:1: the price list is empty`]);
  });
});

describe('a balances file that is not clean', () => {
  it('invalid UTF-8 is refused at its line and column', async () => {
    writeFileSync(p('bal.csv'), Buffer.concat([Buffer.from('customer_id,diversion_balance\nACME,1'), Buffer.from([0xff]), Buffer.from('\n')]));
    const o = await run('-p', p('prices.yaml'), '--balances-in', p('bal.csv'), p('usage.csv'));
    expect([o.code, o.stderr]).toEqual([78, `${p('bal.csv')}:2:7: not valid UTF-8 (save the file as UTF-8)\ncallbill: 1 problem found; nothing was written\n`]);
  });

  it('an id with a control character is refused like in usage rows', async () => {
    writeFileSync(p('bal.csv'), 'customer_id,diversion_balance\nAC\u001bME,1.00\n');
    const o = await run('-p', p('prices.yaml'), '--balances-in', p('bal.csv'), p('usage.csv'));
    expect([o.code, o.stderr]).toEqual([78, `${p('bal.csv')}:2:1: customer_id: contains the control character U+001B (a damaged export?)\ncallbill: 1 problem found; nothing was written\n`]);
  });

  it.each([
    ['empty', ''],
    ['a BOM only', '\ufeff'],
  ])('%s: needs its header (78)', async (_name, text) => {
    writeFileSync(p('bal.csv'), text);
    const o = await run('-p', p('prices.yaml'), '--balances-in', p('bal.csv'), p('usage.csv'));
    expect([o.code, o.stderr.split('\n')[0]]).toEqual([78, `${p('bal.csv')}:1: empty file: expected the header customer_id,diversion_balance`]);
  });
});

describe('usage files with nothing in them', () => {
  it.each([
    ['empty', ''],
    ['a BOM only', '\ufeff'],
    ['blank lines only', '\n\r\n\n'],
  ])('%s: a header row is required (65)', async (_name, text) => {
    writeFileSync(p('u.csv'), text);
    const o = await run('-p', p('prices.yaml'), p('u.csv'));
    expect([o.code, o.stdout, o.stderr]).toEqual([65, '', `callbill: ${p('u.csv')}:1: empty file: a header row is required (docs/reference.md §2)\n`]);
  });

  it('a header only, without --period: no invoices, every count 0', async () => {
    writeFileSync(p('u.csv'), 'record_id,customer_id,channel,started_at,duration_seconds\n');
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', '--format', 'json', p('u.csv')]);
    expect(o.code).toBe(0);
    const doc = JSON.parse(o.stdout) as { invoices: unknown[]; control: Record<string, unknown> };
    expect(doc.invoices).toEqual([]);
    expect([doc.control.records_read, doc.control.records_billed, doc.control.records_rejected, doc.control.records_outside_period]).toEqual([0, 0, 0, 0]);
  });
});

describe('import-check on an export that is not of the profile\'s platform (found by the fuzzer)', () => {
  it('names the file and line like invoice --import does (the message had no file name)', async () => {
    writeFileSync(p('export.csv'), 'a,b,c\n1,2,3\n');
    const o = await runInProcess(['import-check', '--import', 'twilio', p('export.csv')]);
    expect(o.code).toBe(65);
    expect(o.stderr).toMatch(new RegExp(`^callbill: ${p('export.csv').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:1: the header has no column "sid"`));
    const inv = await runInProcess(['invoice', '-p', p('prices.yaml'), '--import', 'twilio', p('export.csv')]);
    expect(inv.stderr.split(':').slice(0, 2).join(':')).toBe(o.stderr.split(':').slice(0, 2).join(':'));
  });
});
