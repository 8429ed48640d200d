import { once } from 'node:events';
import { createWriteStream, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { FuzzCase } from './fuzz-lib';
import { checkCase, COLUMNS, fixture, keepFailure, randomCase, Rng, tempBase, usageRow } from './fuzz-lib';

/**
 * Input fuzzing in CI (issue #6): hand-picked hostile inputs, then a fixed-seed batch of
 * random mutations, in-process through main(), then the heavy cases as real
 * `node bin/callbill.js` runs with a 256 MB heap (and a time limit of minutes that only
 * catches a hang: no check here depends on speed). Every outcome must be
 * 0, 64, 65, 66 or 78 with a located message, no stack trace, nothing half-written and
 * no spreadsheet formula in any CSV written. `npm run fuzz` runs the same checks for as
 * long as FUZZ_SECONDS says, with a fresh seed (test/fuzz/long.fuzz.ts).
 */

const PRICES = fixture('fixtures/spec-example/prices.yaml');
const USAGE = fixture('fixtures/spec-example/usage.csv');
const base = tempBase('cb-fuzz-');
afterAll(() => rmSync(base, { recursive: true, force: true }));

const NUMBERS = ['1e3', '0x10', 'Infinity', 'NaN', '-0', '١٢٣', '9'.repeat(400), '0.' + '9'.repeat(400), '1_000', '.5', '+5', ' 7 '];
/** A test title for a number: the 400-digit ones shortened. */
const shown = (n: string) => JSON.stringify(n.length > 20 ? `${n.slice(0, 8)}…(${n.length} chars)` : n);

function invoiceCase(name: string, files: Record<string, string | Buffer>, extra: string[] = []): FuzzCase {
  const all = { 'prices.yaml': PRICES, ...files };
  return {
    name,
    files: all,
    args: ['invoice', '-p', '@prices.yaml', '--issue-date', '2026-11-01', '--format', 'json', ...extra, ...Object.keys(all).filter((f) => f.endsWith('.csv') && !f.startsWith('bal')).map((f) => `@${f}`)],
    format: 'json',
  };
}

async function expectClean(c: FuzzCase, exits: number[], opts: Parameters<typeof checkCase>[2] = {}): Promise<{ stdout: string; stderr: string }> {
  const { outcome, problems, dir } = await checkCase(c, base, opts);
  if (problems.length > 0) keepFailure(c, outcome, problems, dir);
  expect({ case: c.name, problems }).toEqual({ case: c.name, problems: [] });
  expect({ case: c.name, exit: exits.includes(outcome.code) ? 'as expected' : outcome.code, stderr: exits.includes(outcome.code) ? '' : outcome.stderr }).toEqual({ case: c.name, exit: 'as expected', stderr: '' });
  return outcome;
}

describe('hand-picked hostile inputs', () => {
  it('__proto__, constructor and toString as customer ids are ordinary customers', async () => {
    const csv = usageRow({ record_id: 'a', customer_id: '__proto__' }) + 'b,constructor,voice,2026-10-05T11:00:00Z,60,,,,,\nc,toString,chat,2026-10-05T12:00:00Z,60,,,,,\nd,hasOwnProperty,voice,2026-10-05T13:00:00Z,60,,,,,\n';
    const o = await expectClean(invoiceCase('proto ids', { 'usage.csv': csv }), [0]);
    expect((JSON.parse(o.stdout) as { invoices: Array<{ customer_id: string }> }).invoices.map((i) => i.customer_id)).toEqual(['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
  });

  it('… as plan names, listed customers and default_plan', async () => {
    const prices = PRICES.replace(/standard/g, '__proto__').replace('ACME:', 'constructor:').replace('GLOBEX:', 'toString:');
    const csv = usageRow({ customer_id: 'constructor' }) + 'b,toString,voice,2026-10-05T11:00:00Z,60,,,,,\nc,valueOf,voice,2026-10-05T12:00:00Z,60,,,,,\n';
    const o = await expectClean(invoiceCase('proto plans', { 'prices.yaml': prices, 'usage.csv': csv }, ['--period', '2026-10']), [0]);
    const inv = (JSON.parse(o.stdout) as { invoices: Array<{ customer_id: string; customer_name: string; plan: string }> }).invoices;
    expect(inv.map((i) => [i.customer_id, i.customer_name, i.plan])).toEqual([
      ['constructor', 'Acme Insurance Ltd', '__proto__'],
      ['toString', 'Globex', '__proto__'],
      ['valueOf', 'valueOf', '__proto__'],
    ]);
  });

  it('… as column names of a usage file and as a balances id', async () => {
    const header = [...COLUMNS, '__proto__', 'constructor', 'toString'];
    const csv = usageRow({ __proto__: 'x', constructor: 'y', toString: 'z' } as Record<string, string>, header);
    await expectClean(invoiceCase('proto columns', { 'usage.csv': csv }), [0]);
    const bal = 'customer_id,diversion_balance\n__proto__,12.50\nconstructor,1.00\n';
    const o = await expectClean(invoiceCase('proto balances', { 'usage.csv': csv, 'balances.csv': bal }, ['--period', '2026-10', '--balances-in', '@balances.csv']), [0]);
    const inv = (JSON.parse(o.stdout) as { invoices: Array<{ customer_id: string; diversion: { opening_balance: string } }> }).invoices;
    expect(inv.filter((i) => i.customer_id === '__proto__' || i.customer_id === 'constructor').map((i) => [i.customer_id, i.diversion.opening_balance])).toEqual([
      ['__proto__', '12.50'],
      ['constructor', '1.00'],
    ]);
  });

  it('duplicate header names: a known column twice is refused at its column; an unknown one is ignored', async () => {
    const twice = await expectClean(invoiceCase('dup header', { 'usage.csv': 'record_id,customer_id,channel,started_at,duration_seconds, Record_ID \nr1,ACME,voice,2026-10-05T10:00:00Z,60,r2\n' }), [65]);
    expect(twice.stderr).toMatch(/usage\.csv:1:6: column record_id appears twice in the header \(columns 1 and 6\)/);
    await expectClean(invoiceCase('dup unknown header', { 'usage.csv': 'record_id,customer_id,channel,started_at,duration_seconds,notes,notes\nr1,ACME,voice,2026-10-05T10:00:00Z,60,a,b\n' }), [0]);
  });

  it.each(NUMBERS.map((n) => [shown(n), n]))('the number %s in every numeric usage column is a located bad row', async (_t, n) => {
    // handled and diverted seconds: decimal text of any length is read exactly (a long
    // fraction rounds up to whole seconds), and 400 nines is far beyond any contact's
    // length; a response time keeps at most 3 decimals (it is summed in milliseconds)
    const long = n === '9'.repeat(400);
    const longFraction = n === '0.' + '9'.repeat(400);
    for (const column of ['duration_seconds', 'response_seconds', 'diverted_seconds']) {
      const seconds = column !== 'response_seconds';
      const fine = n === ' 7 ' || (seconds && longFraction);
      const csv = usageRow({ [column]: n, diversion: 'mobile' });
      const o = await expectClean(invoiceCase(`usage ${column}=${n}`, { 'usage.csv': csv }), fine ? [0] : [65]);
      if (seconds && long) expect(o.stderr).toMatch(new RegExp(`usage\\.csv:2: ${column}: longer than 10000000 seconds`));
      else if (!fine) expect(o.stderr).toMatch(new RegExp(`usage\\.csv:2: ${column}: expected a non-negative number`));
    }
  });

  it.each(NUMBERS.map((n) => [shown(n), n]))('the number %s as a price, an increment and an opening balance', async (_t, n) => {
    const quoted = JSON.stringify(n);
    // "-0" is a zero price; a quoted " 7 " is read trimmed, like a usage cell
    const fine = n === '-0' || n === ' 7 ';
    const asPrice = await expectClean(invoiceCase(`price ${n}`, { 'usage.csv': USAGE, 'prices.yaml': PRICES.replace('per_minute: 0.85', `per_minute: ${quoted}`) }), fine ? [0] : [78]);
    if (!fine) expect(asPrice.stderr).toMatch(/prices\.yaml:19:23: plans\.standard\.versions\[0\]\.voice\.per_minute: /);
    const asIncrement = await expectClean(invoiceCase(`increment ${n}`, { 'usage.csv': USAGE, 'prices.yaml': PRICES.replace('increment: { first: 60, next: 6 }', `increment: { first: ${quoted}, next: 6 }`) }), n === ' 7 ' ? [0] : [78]);
    if (n !== ' 7 ') expect(asIncrement.stderr).toMatch(/prices\.yaml:20:31: plans\.standard\.versions\[0\]\.voice\.increment\.first: /);
    const bal = `customer_id,diversion_balance\nACME,${/[",]/.test(n) ? JSON.stringify(n) : n}\n`;
    await expectClean(invoiceCase(`balance ${n}`, { 'usage.csv': USAGE, 'balances.csv': bal }, ['--balances-in', '@balances.csv']), n === '-0' || n === ' 7 ' ? [0] : [78]);
  });

  it('NUL bytes and invalid UTF-8 in each kind of input', async () => {
    const nul = usageRow({ destination: 'x\u0000y', record_id: 'a\u0000b' });
    expect((await expectClean(invoiceCase('nul usage', { 'usage.csv': nul }), [65])).stderr).toMatch(/usage\.csv:2: record_id: contains the control character U\+0000/);
    await expectClean(invoiceCase('nul yaml', { 'usage.csv': USAGE, 'prices.yaml': PRICES.replace('VAT', 'V\u0000T') }), [78]);
    await expectClean(invoiceCase('nul balances', { 'usage.csv': USAGE, 'balances.csv': 'customer_id,diversion_balance\nACME,1\u0000\n' }, ['--balances-in', '@balances.csv']), [78]);
    const bad = (s: string) => Buffer.concat([Buffer.from(s.slice(0, 200)), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(s.slice(200))]);
    expect((await expectClean(invoiceCase('utf8 usage', { 'usage.csv': bad(USAGE) }), [65])).stderr).toMatch(/usage\.csv:\d+: not valid UTF-8/);
    expect((await expectClean(invoiceCase('utf8 yaml', { 'usage.csv': USAGE, 'prices.yaml': bad(PRICES) }), [78])).stderr).toMatch(/prices\.yaml:\d+:\d+: not valid UTF-8/);
    await expectClean(invoiceCase('utf8 balances', { 'usage.csv': USAGE, 'balances.csv': bad('customer_id,diversion_balance\n' + 'ACME,1.00\n'.repeat(30)) }, ['--balances-in', '@balances.csv']), [78]);
  });

  it('explain of a rejected record: its explanation on stdout, table or JSON, with the file and line, and exit 65', async () => {
    const csv = usageRow({ record_id: 'R1', diversion: 'international', destination: '~' });
    for (const format of ['table', 'json']) {
      const c: FuzzCase = { name: `explain rejected ${format}`, files: { 'prices.yaml': PRICES, 'usage.csv': csv }, args: ['explain', '-p', '@prices.yaml', '--record', 'R1', '--format', format, '@usage.csv'], format };
      const o = await expectClean(c, [65]);
      expect(o.stdout).toContain('usage.csv:2');
    }
  });

  it('empty, header-only and BOM-only usage files', async () => {
    await expectClean(invoiceCase('empty', { 'usage.csv': '' }), [65]);
    await expectClean(invoiceCase('bom only', { 'usage.csv': '\ufeff' }), [65]);
    await expectClean(invoiceCase('header only', { 'usage.csv': COLUMNS.join(',') + '\n' }), [0]);
    await expectClean(invoiceCase('header only, period', { 'usage.csv': COLUMNS.join(',') + '\n' }, ['--period', '2026-10']), [65]);
    await expectClean(invoiceCase('bom and header', { 'usage.csv': '\ufeff' + COLUMNS.join(',') + '\r\n' }), [0]);
  });

  it('a YAML document nested 20,000 deep, and one of 10,000 aliases', async () => {
    await expectClean(invoiceCase('deep', { 'usage.csv': USAGE, 'prices.yaml': 'currency: EUR\ntimezone: UTC\nrounding: half-up\nplans: ' + '{a: '.repeat(20_000) + '1' + '}'.repeat(20_000) + '\n' }), [78]);
    let aliases = 'currency: EUR\ntimezone: UTC\nrounding: half-up\nplans:\n  p:\n    versions:\n      - &v { effective_from: 2026-01-01, voice: { per_minute: 1, increment: { first: 1, next: 1 } } }\ncustomers:\n';
    for (let i = 0; i < 10_000; i++) aliases += `  c${i}: *v\n`;
    await expectClean(invoiceCase('10k aliases', { 'usage.csv': USAGE, 'prices.yaml': aliases }), [78]);
  });
});

describe('random mutations (fixed seed)', () => {
  const SEED = 20261006;
  const CASES = 300;
  it(`${CASES} mutated and random inputs, in-process`, async () => {
    const r = new Rng(SEED);
    const failures: string[] = [];
    const codes = new Map<number, number>();
    for (let i = 0; i < CASES; i++) {
      const c = randomCase(r);
      const { outcome, problems, dir } = await checkCase(c, base);
      codes.set(outcome.code, (codes.get(outcome.code) ?? 0) + 1);
      if (problems.length > 0) failures.push(`case ${i} (${c.name}): ${problems.join('; ')} — kept in ${keepFailure(c, outcome, problems, dir)}`);
      rmSync(dir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
    // the mix reaches every layer: bills, bad rows and bad price lists
    expect([codes.get(0) ?? 0, codes.get(65) ?? 0, codes.get(78) ?? 0].every((n) => n >= 30)).toBe(true);
  });
});

describe('real runs of the built CLI: heap 256 MB', () => {
  // (that the reader stops after a few MiB of such a line is shown in-process, by bytes pulled, in read-usage.test.ts)
  it('a 100 MB line fails with a located message within the heap (the reader caps records at 1 MiB)', async () => {
    const file = join(base, 'huge.csv');
    const out = createWriteStream(file);
    out.write(COLUMNS.join(',') + '\nr1,ACME,voice,2026-10-05T10:00:00Z,60,,,,,\nr2,');
    const block = 'A'.repeat(1 << 20);
    for (let i = 0; i < 100; i++) if (!out.write(block)) await once(out, 'drain');
    out.end(',voice,2026-10-05T10:00:00Z,60,,,,,\n');
    await once(out, 'close');
    const c: FuzzCase = { name: '100 MB line', files: { 'prices.yaml': PRICES }, args: ['invoice', '-p', '@prices.yaml', '--issue-date', '2026-11-01', file] };
    const { outcome, problems } = await checkCase(c, base, { subprocess: true, heapMb: 256, extraPaths: [file] });
    expect(problems).toEqual([]);
    expect(outcome.code).toBe(65);
    expect(outcome.stderr).toBe(`callbill: ${file}:3: not a readable CSV file: Max Record Size: record exceed the maximum number of tolerated bytes of 1048576\n`);
    rmSync(file);
  });

  it('a YAML document nested 100,000 deep', async () => {
    const c = invoiceCase('deep 100k', { 'usage.csv': USAGE, 'prices.yaml': 'currency: EUR\ntimezone: UTC\nrounding: half-up\nplans: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n' });
    const { outcome, problems } = await checkCase(c, base, { subprocess: true, heapMb: 256 });
    expect(problems).toEqual([]);
    expect(outcome.code).toBe(78);
  });

  // the same checks as the 300 in-process cases above; a real process adds the heap cap and the
  // exit code as a shell sees it, so a few cases are enough (`npm run fuzz` runs many more)
  it('a handful of random cases, as a user runs them', async () => {
    const r = new Rng(7);
    const failures: string[] = [];
    for (let i = 0; i < 3; i++) {
      const c = randomCase(r);
      const { outcome, problems, dir } = await checkCase(c, base, { subprocess: true, heapMb: 256 });
      if (problems.length > 0) failures.push(`case ${i} (${c.name}): ${problems.join('; ')} — kept in ${keepFailure(c, outcome, problems, dir)}`);
    }
    expect(failures).toEqual([]);
  });
});
