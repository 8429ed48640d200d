import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli';

/**
 * Customers billed under default_plan because the price list does not list them
 * (docs/reference.md §3.5), one fixture folder per message under fixtures/people/.
 * fixtures/people/unlisted-typo/usage.csv holds, by hand: ACME 1 record (listed), AMCE 3
 * (2 voice, 1 chat: a transposition of ACME), Globex 1 (GLOBEX in another case), NEWCO 1
 * (like nothing), GLOBEX 1 (listed).
 */
const TYPO = 'fixtures/people/unlisted-typo';
const REJECT = 'fixtures/people/unlisted-reject';
const MONTH = ['--period', '2026-10', '--issue-date', '2026-11-01'];

const NOTICE =
  'callbill: 3 customers not listed under customers were billed under default_plan standard:\n' +
  '  AMCE: 3 records (looks like ACME)\n' +
  '  Globex: 1 record (looks like GLOBEX)\n' +
  '  NEWCO: 1 record\n' +
  `callbill: if they are customers, list them under customers in ${TYPO}/prices.yaml; unlisted_customers: reject makes their rows rejected rows instead (docs/reference.md §3.5)\n`;

describe('customers not listed, billed under default_plan', () => {
  it('are named on stderr with their record counts and the listed ids they look like', async () => {
    const r = await runCliInProcess(['invoice', ...MONTH, '-p', `${TYPO}/prices.yaml`, '--format', 'csv', `${TYPO}/usage.csv`]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(NOTICE);
    // still billed: the five customers, each under its id
    expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[1])).toEqual(['ACME', 'AMCE', 'GLOBEX', 'Globex', 'NEWCO']);
  });

  it('are not named with -q', async () => {
    const r = await runCliInProcess(['invoice', ...MONTH, '-q', '-p', `${TYPO}/prices.yaml`, '--format', 'json', `${TYPO}/usage.csv`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });

  it('leave CSV and JSON as they were: the notice is on stderr and in the table only', async () => {
    const r = await runCliInProcess(['invoice', ...MONTH, '-p', `${TYPO}/prices.yaml`, '--format', 'json', `${TYPO}/usage.csv`]);
    expect(r.stdout).not.toMatch(/not listed|looks like/);
  });

  it('the table says so beside each such invoice, and not beside a listed one', async () => {
    const r = await runCliInProcess(['invoice', ...MONTH, '-p', `${TYPO}/prices.yaml`, `${TYPO}/usage.csv`]);
    const blocks = r.stdout.split('\n\n');
    const block = (id: string) => blocks.find((b) => b.startsWith(`${id}-2026-10 `))!;
    expect(block('AMCE').split('\n')[1]).toBe('  NOT LISTED under customers: billed under default_plan standard (3 records; looks like ACME)');
    expect(block('Globex').split('\n')[1]).toBe('  NOT LISTED under customers: billed under default_plan standard (1 record; looks like GLOBEX)');
    expect(block('NEWCO').split('\n')[1]).toBe('  NOT LISTED under customers: billed under default_plan standard (1 record)');
    expect(block('ACME')).not.toContain('NOT LISTED');
    expect(block('GLOBEX')).not.toContain('NOT LISTED');
  });

  it('check reports them after the usage summary', async () => {
    const r = await runCliInProcess(['check', '--period', '2026-10', '-p', `${TYPO}/prices.yaml`, `${TYPO}/usage.csv`]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toBe(
      `${TYPO}/prices.yaml: OK (EUR, Europe/Lisbon, 1 plan, 1 version, 2 customers)\n` +
        'usage: OK (7 records read, 7 would be billed, 0 outside the period)\n' +
        'customers not listed: 3 would be billed under default_plan standard:\n' +
        '  AMCE: 3 records (looks like ACME)\n' +
        '  Globex: 1 record (looks like GLOBEX)\n' +
        '  NEWCO: 1 record\n',
    );
  });
});

describe('unlisted_customers: reject', () => {
  it('makes their rows rejected rows, pointing at the listed id a row looks like', async () => {
    const r = await runCliInProcess(['invoice', ...MONTH, '-p', `${REJECT}/prices.yaml`, `${REJECT}/usage.csv`]);
    expect(r.code).toBe(65);
    expect(r.stdout).toBe('');
    const why = 'and the price list says unlisted_customers: reject';
    expect(r.stderr).toBe(
      `${REJECT}/usage.csv:3: customer_id: customer not listed under customers (looks like ACME), ${why} ("AMCE")\n` +
        `${REJECT}/usage.csv:4: customer_id: customer not listed under customers (looks like ACME), ${why} ("AMCE")\n` +
        `${REJECT}/usage.csv:5: customer_id: customer not listed under customers (looks like ACME), ${why} ("AMCE")\n` +
        `${REJECT}/usage.csv:6: customer_id: customer not listed under customers (looks like GLOBEX), ${why} ("Globex")\n` +
        `${REJECT}/usage.csv:7: customer_id: customer not listed under customers, ${why} ("NEWCO")\n` +
        'callbill: 5 bad usage rows; nothing was written (give --rejects FILE to set them aside and bill the good rows)\n',
    );
  });

  it('with --rejects, bills only the listed customers and writes the others to the rejects file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-unlisted-'));
    try {
      const r = await runCliInProcess(['invoice', ...MONTH, '-p', `${REJECT}/prices.yaml`, '--format', 'csv', '--rejects', join(dir, 'rejects.csv'), `${REJECT}/usage.csv`]);
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[1])).toEqual(['ACME', 'GLOBEX']);
      expect(readFileSync(join(dir, 'rejects.csv'), 'utf8').trim().split('\n').length).toBe(1 + 5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is an error without a default_plan when it says bill, and for a value other than bill or reject', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callbill-unlisted-'));
    try {
      const text = readFileSync(`${REJECT}/prices.yaml`, 'utf8');
      const { writeFileSync } = require('node:fs') as typeof import('node:fs');
      const noDefault = join(dir, 'no-default.yaml');
      writeFileSync(noDefault, text.replace('default_plan: standard\n', '').replace('unlisted_customers: reject', 'unlisted_customers: bill'));
      const a = await runCliInProcess(['check', '-p', noDefault]);
      expect(a.code).toBe(78);
      expect(a.stderr).toBe(`${noDefault}:9:21: unlisted_customers: bill needs a default_plan, the plan to bill them under\ncallbill: 1 problem found; nothing was written\n`);
      const other = join(dir, 'other.yaml');
      writeFileSync(other, text.replace('unlisted_customers: reject', 'unlisted_customers: warn'));
      const b = await runCliInProcess(['check', '-p', other]);
      expect(b.code).toBe(78);
      expect(b.stderr).toBe(`${other}:10:21: unlisted_customers: expected bill or reject, found "warn"\ncallbill: 1 problem found; nothing was written\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('check --customers', () => {
  it('lists the customers and plans the shipped price list knows', async () => {
    const r = await runCliInProcess(['check', '--customers']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    // from price-lists/default.yaml, sorted by id
    expect(r.stdout).toBe(
      'price-lists/default.yaml: OK (EUR, Europe/Lisbon, 2 plans, 3 versions, 4 customers)\n' +
        'Customers of price-lists/default.yaml (4):\n' +
        '  ACME      Acme Insurance Ltd      plan standard\n' +
        '  DE-KUNDE  Kunde GmbH              plan standard  active from 2026-10-10\n' +
        '  GLOBEX    Globex                  plan standard\n' +
        '  INITECH   Initech Portugal, Lda.  plan premium\n' +
        'Customers not listed: billed under default_plan standard, and named on stderr\n' +
        'Plans (2):\n' +
        '  premium: 1 version (from 2026-01-01), 1 customer listed\n' +
        '  standard: 2 versions (from 2026-01-01, 2026-10-15), 3 customers listed, the default_plan\n',
    );
  });

  it('says when customers not listed are rejected', async () => {
    const r = await runCliInProcess(['check', '--customers', '-p', `${REJECT}/prices.yaml`]);
    expect(r.stdout).toContain('Customers not listed: their rows are rejected (unlisted_customers: reject; default_plan standard is not used for them)\n');
  });
});

describe('customers not listed, in a correction', () => {
  // the fixture's price list with ledger numbering; October issued with the listed customers' records only
  const dir = mkdtempSync(join(tmpdir(), 'callbill-unlisted-correct-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const prices = join(dir, 'prices.yaml');
  const db = join(dir, 'callbill.db');
  const listedOnly = join(dir, 'listed.csv');
  const all = `${TYPO}/usage.csv`;
  const ledger = ['-p', prices, '--ledger', db];

  beforeAll(async () => {
    const text = readFileSync(`${TYPO}/prices.yaml`, 'utf8');
    expect(text).toContain('invoice_number: "{customer}-{period}"');
    writeFileSync(prices, text.replace('invoice_number: "{customer}-{period}"', 'invoice_number: "INV-{seq}"\ncredit_note_number: "CN-{seq}"'));
    const rows = readFileSync(all, 'utf8').split('\n').filter((l, i) => i === 0 || /^R\d+,(ACME|GLOBEX),/.test(l));
    writeFileSync(listedOnly, rows.join('\n') + '\n');
    expect((await runCliInProcess(['ledger', 'init', '--ledger', db])).code).toBe(0);
    const issued = await runCliInProcess(['issue', ...MONTH, ...ledger, listedOnly]);
    expect([issued.code, issued.stderr]).toEqual([0, '']);
  });

  it('are named when the correction issues them documents, and not with -q', async () => {
    const quiet = await runCliInProcess(['correct', ...MONTH, ...ledger, '-q', '--dry-run', all]);
    expect([quiet.code, quiet.stderr]).toEqual([0, '']);
    const r = await runCliInProcess(['correct', ...MONTH, ...ledger, '--dry-run', all]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(NOTICE.replace(`${TYPO}/prices.yaml`, prices));
  });

  it('are not named when the customers corrected are listed ones', async () => {
    const r = await runCliInProcess(['correct', ...MONTH, ...ledger, '--customer', 'ACME', 'GLOBEX', '--dry-run', all]);
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
});
