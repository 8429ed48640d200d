/**
 * Golden tests of the built CLI for recurring fees and services on request (SPEC §8):
 * one fixture folder per new error message (fixtures/errors/*), --extras with --rejects,
 * standard input, the notice without --period, explain --extras. The figures are worked
 * by hand in fixtures/example-2026-10/expected.md §9 and beside each assertion.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import { EXAMPLE_UNLISTED_NOTICE } from '../helpers/unlisted';

const HINT = 'nothing was written (give --rejects FILE to set them aside and bill the good rows)';

const PRICE_ERRORS: Array<[string, string]> = [
  ['fee-unknown-quantity', 'prices.yaml:5:55: customers.ACME.quantities: unknown fee code "seats": plan standard has no per_unit fee of that code'],
  ['fee-per-unit-no-quantity', 'prices.yaml:5:9: customers.ACME: fee agents of plan standard (from 2026-01-01) is per_unit: give the customer quantities: { agents: N }'],
  [
    'fee-per-unit-default-plan',
    'prices.yaml:11:13: plans.standard (from 2026-01-01): fee agents is per_unit, and standard is the default_plan: customers who are not listed have no quantities (use a fixed amount, or a plan of its own)',
  ],
  ['fee-finer-than-minor-unit', 'prices.yaml:12:57: plans.standard.versions[0].fees[0].amount: 1500.005 is not a whole number of EUR minor units (2 decimals)'],
  ['fee-duplicate-code', 'prices.yaml:13:21: plans.standard.versions[0].fees[1].code: fee code platform is used twice in this version'],
  ['active-until-before-from', 'prices.yaml:5:80: customers.ACME.active_until: 2026-10-01 is before active_from 2026-10-10'],
];

const ROW_ERRORS: Array<[string, string[]]> = [
  ['extras-unknown-service', ['extras.csv:3: service: plan standard (from 2026-01-01) has no service "photocopy" (it has: recording) ("photocopy")', `callbill: 1 bad row (0 usage, 1 extras); ${HINT}`]],
  [
    'extras-bad-quantity',
    [
      'extras.csv:2: quantity: must be greater than 0 ("0")',
      'extras.csv:3: quantity: expected a number greater than 0 with at most 3 decimals, or nothing (= 1) ("1.2345")',
      `callbill: 2 bad rows (0 usage, 2 extras); ${HINT}`,
    ],
  ],
  ['extras-inactive-day', ['extras.csv:2: date: customer ACME is not active on 2026-10-09 (active from 2026-10-10) ("2026-10-09")', `callbill: 1 bad row (0 usage, 1 extras); ${HINT}`]],
  ['usage-inactive-day', ['usage.csv:2: started_at: customer ACME is not active on 2026-10-09 (active from 2026-10-10) ("2026-10-09T12:00:00Z")', `callbill: 1 bad usage row; ${HINT}`]],
  ['extras-missing-column', ['extras.csv:1: missing required column date of an extras file (the header has: customer_id, day, service)', 'callbill: {dir}/extras.csv: the header cannot be used']],
];

const at = (dir: string, l: string) => (l.startsWith('callbill: ') ? l.replace('{dir}', dir) : `${dir}/${l}`);

describe('every new price-list error: exit 78, file:line:column', () => {
  it.each(PRICE_ERRORS)('%s', async (name, line) => {
    const dir = `fixtures/errors/${name}`;
    const r = await runCliInProcess(['check', '-p', `${dir}/prices.yaml`]);
    expect([r.code, r.stdout]).toEqual([78, '']);
    expect(r.stderr).toBe(`${dir}/${line}\ncallbill: 1 problem found; nothing was written\n`);
  });
});

describe('every new bad-row message: exit 65, located, stdout empty', () => {
  it.each(ROW_ERRORS)('%s', async (name, lines) => {
    const dir = `fixtures/errors/${name}`;
    const extras = name === 'usage-inactive-day' ? [] : ['--extras', `${dir}/extras.csv`];
    const r = await runCliInProcess(['invoice', '-p', `${dir}/prices.yaml`, '--period', '2026-10', ...extras, `${dir}/usage.csv`]);
    expect([r.code, r.stdout]).toEqual([65, '']);
    expect(r.stderr).toBe(lines.map((l) => at(dir, l)).join('\n') + '\n');
  });
});

describe('--extras with --rejects, standard input, and without --period', () => {
  it('sets bad extras rows aside with source and error and bills the good ones; control counts every row', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'callbill-extras-'));
    try {
      const dir = 'fixtures/errors/extras-unknown-service';
      const r = await runCliInProcess(['invoice', '-p', `${dir}/prices.yaml`, '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', '--rejects', join(tmp, 'bad.csv'), '--extras', `${dir}/extras.csv`, `${dir}/usage.csv`]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe(`callbill: 1 bad extras row written to ${join(tmp, 'bad.csv')}\n`);
      const doc = JSON.parse(r.stdout);
      expect(doc.control).toMatchObject({ records_read: 1, records_billed: 1, extras_read: 2, extras_billed: 1, extras_rejected: 1, extras_outside_period: 0 });
      // active from the 10th: 22 days; 1500.00 × 22 / 31 = 1064.516… → 1064.52; 60 s at 0.85 = 0.85; one recording 2.50
      const acme = doc.invoices[0];
      expect(acme.lines.map((l: { code: string; amount: string }) => [l.code, l.amount])).toEqual([['voice.usage', '0.85'], ['fee.platform', '1064.52'], ['service.recording', '2.50']]);
      const rej = readFileSync(join(tmp, 'bad.csv'), 'utf8').split('\n');
      // one rejects file for usage and extras: the union of their headers (customer_id shared), each row under its own columns
      expect(rej[0]).toBe('record_id,customer_id,channel,started_at,duration_seconds,date,service,quantity,reference,source,error');
      expect(rej[1]).toBe(`,ACME,,,,2026-10-13,photocopy,1,no such service,${dir}/extras.csv:3,"service: plan standard (from 2026-01-01) has no service ""photocopy"" (it has: recording) (""photocopy"")"`);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('reads extras from standard input (-) when the usage does not come from it; refuses stdin twice (64)', async () => {
    const extras = readFileSync(join(ROOT, 'fixtures/example-2026-10/extras.csv'));
    const a = runCli(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'csv', '--extras', '-', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'], { input: extras });
    const b = await runCliInProcess(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'csv', '--extras', 'fixtures/example-2026-10/extras.csv', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const c = runCli(['invoice', '--period', '2026-10', '--extras', '-', '-'], { input: extras });
    expect([c.code, c.stdout, c.stderr]).toEqual([64, '', 'callbill: standard input (-) is named twice\n']);
  });

  it('without --period, the fees are left out and a notice says so', async () => {
    const r = await runCliInProcess(['invoice', '--format', 'csv', '--detail', '--issue-date', '2026-11-01', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain(',fee.');
    expect(r.stderr).toBe(EXAMPLE_UNLISTED_NOTICE + 'callbill: recurring fees were left out: they are billed for a month, with --period YYYY-MM\n');
  });
});

describe('explain --extras FILE --row N', () => {
  it('explains a billed row with the line it adds to (3.00 × 2 = 6.00, from 2026-10-15)', async () => {
    const r = await runCliInProcess(['explain', '--period', '2026-10', '--format', 'json', '--extras', 'fixtures/example-2026-10/extras.csv', '--row', '3']);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.status).toBe('billed');
    expect(e.version.effective_from).toBe('2026-10-15');
    expect(e.service).toMatchObject({ code: 'recording', price: '3.00', quantity: '2', exact: '6.00' });
    expect(e.line).toEqual({ code: 'service.recording', invoice_number: 'ACME-2026-10', quantity: '2', amount: '6.00', arithmetic: '3.00 × 2 request = 6.00' });
  });
  it('a row outside the period, a rejected row (65), a line with no row (65), --row without --extras (64)', async () => {
    expect(JSON.parse((await runCliInProcess(['explain', '--period', '2026-10', '--format', 'json', '--extras', 'fixtures/example-2026-10/extras.csv', '--row', '6'])).stdout).status).toBe('outside_period');
    const bad = await runCliInProcess(['explain', '-p', 'fixtures/errors/extras-unknown-service/prices.yaml', '--period', '2026-10', '--extras', 'fixtures/errors/extras-unknown-service/extras.csv', '--row', '3']);
    expect(bad.code).toBe(65);
    expect(bad.stdout).toContain('Rejected     fixtures/errors/extras-unknown-service/extras.csv:3: service: plan standard (from 2026-01-01) has no service "photocopy"');
    const none = await runCliInProcess(['explain', '--period', '2026-10', '--extras', 'fixtures/example-2026-10/extras.csv', '--row', '60']);
    expect([none.code, none.stderr]).toEqual([65, 'callbill: fixtures/example-2026-10/extras.csv: no row starts on line 60 (5 rows read; rows are named by the line they start on, header = line 1)\n']);
    const usage = await runCliInProcess(['explain', '--row', '3', 'x.csv']);
    expect([usage.code, usage.stderr]).toEqual([64, 'callbill: --extras and --row go together (explain a row of an extras file)\n']);
  });
});
