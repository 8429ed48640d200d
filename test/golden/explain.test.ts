/**
 * explain and compare (issue #7) on the built CLI, checked figure by figure in
 * their JSON output against values worked by hand (each fixture folder's
 * README.md, and fixtures/example-2026-10/expected.md). The byte-for-byte goldens
 * are in explain-golden.test.ts.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';
import type { CliOutcome } from '../helpers/cli';

const L = 'fixtures/explain/ledger';
const V = 'fixtures/explain/version-boundary';
const C = 'fixtures/explain/compare';

async function explainJson(folder: string, record: string, extra: string[] = []): Promise<any> {
  const r = await runCliInProcess(['explain', '-p', `${folder}/prices.yaml`, '--period', '2026-10', ...extra, '--record', record, '--format', 'json', `${folder}/usage.csv`]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout);
}
const ledgerJson = (record: string): Promise<any> => explainJson(L, record, ['--balances-in', `${L}/balances.csv`]);

describe('explain: the diversion ledger, record by record (fixtures/explain/ledger, fee 20.00, opening 5.00)', () => {
  // order: L-03 (10-05), L-01 and L-02 (both 10-12 09:00Z: by record_id), L-05, L-04, L-06, L-07
  it.each([
    // record, cost, balance before, blocks before, blocks, balance after, blocks after
    ['L-03', '1.20', '5.00', 0, 0, '3.80', 0],
    ['L-01', '10.00', '3.80', 0, 1, '13.80', 1],
    ['L-02', '0.15', '13.80', 1, 0, '13.65', 1],
    ['L-05', '1.34', '13.65', 1, 0, '12.31', 1],
    ['L-04', '45.00', '12.31', 1, 2, '7.31', 3],
    ['L-06', '7.32', '7.31', 3, 1, '19.99', 4],
    ['L-07', '0.24', '19.99', 4, 0, '19.75', 4],
  ] as const)('%s costs %s: balance %s before, %i blocks so far; %i block(s) → %s, %i in all', async (id, cost, before, blocksBefore, blocks, after, blocksAfter) => {
    const e = await ledgerJson(id);
    expect(e.diversion.cost).toBe(cost);
    expect(e.diversion.ledger).toMatchObject({ opening_balance: '5.00', balance_before: before, blocks_before: blocksBefore, blocks, balance_after: after, blocks_after: blocksAfter });
  });
  it('a tie on started_at goes by record_id: L-01 comes before L-02', async () => {
    expect((await ledgerJson('L-01')).diversion.ledger.diverted_before).toBe(1);
    expect((await ledgerJson('L-02')).diversion.ledger.diverted_before).toBe(2);
  });
  it('L-01: 95.2 s counts as 96; +1 (242) … matches 1242 (longest) rather than 1', async () => {
    const e = await ledgerJson('L-01');
    expect(e.billable).toMatchObject({ duration_given: '95.2', handled_seconds: 96, billable_seconds: 96, arithmetic: '96 s → 60 s first block + 6 × 6 s = 96 s' });
    expect(e.diversion).toMatchObject({ destination_digits: '12425550100', prefix: '1242', shorter_prefixes: ['1'], per_minute: '0.40', transfer_seconds: 1500, cost: '10.00' });
    expect(e.invoice.lines).toEqual(['voice.usage', 'voice.contacts', 'diversion.fee']);
  });
  it('L-05: 00 1 212 … matches only 1; empty diverted_seconds → duration 4000 s → 4020 s at 60/60', async () => {
    const e = await ledgerJson('L-05');
    expect(e.diversion).toMatchObject({ destination_digits: '12125550199', prefix: '1', shorter_prefixes: [], transfer_seconds: 4020, cost_exact: '1.34', cost: '1.34' });
  });
  it('L-04: no prefix of 61… is listed: default_per_minute 0.90', async () => {
    expect((await ledgerJson('L-04')).diversion).toMatchObject({ prefix: null, rate_from: 'international.default_per_minute', per_minute: '0.90', cost: '45.00' });
  });
  it('L-06: the after-hours band (Wed 21:15 local, a local timestamp) and the record\'s exact share', async () => {
    const e = await ledgerJson('L-06');
    expect(e.start).toMatchObject({ given_as: 'local', instant: '2026-10-28T21:15:00Z', local: '2026-10-28 21:15:00', utc_offset: '+00:00' });
    expect(e.band.matched).toBe('after-hours');
    expect(e.surcharge).toMatchObject({ code: 'voice.surcharge.after-hours', seconds: 3660, exact: '12.20' });
    // 0.85 × 3660 / 60 = 51.85, + 0.10 per contact, + 12.20
    expect(e.contribution.exact).toBe('64.15');
  });
  it('L-07: abandoned bills 0 s, and its transfer is still drawn from the balance', async () => {
    const e = await ledgerJson('L-07');
    expect(e.billable).toMatchObject({ status: 'abandoned', billable_seconds: 0 });
    expect(e.usage).toBeNull();
    expect(e.contacts).toBeNull();
    expect(e.invoice.lines).toEqual([]);
  });
});

describe('explain: ACME\'s ledger in the example month, across the fee change 50.00 → 60.00 (fixtures/example-2026-10/expected.md §3)', () => {
  const run = async (id: string): Promise<any> => {
    const r = await runCliInProcess(['explain', '--period', '2026-10', '--record', id, '--format', 'json', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect(r.code).toBe(0);
    return JSON.parse(r.stdout).diversion;
  };
  it.each([
    // the table of expected.md §3, worked by hand by another author: record, fee, cost, before, blocks, after
    ['A-V05', '50.00', '30.00', '0.00', 1, '20.00'],
    ['A-V08', '50.00', '0.84', '20.00', 0, '19.16'],
    ['A-V09', '50.00', '40.50', '19.16', 1, '28.66'],
    ['A-V12', '60.00', '0.95', '28.66', 0, '27.71'],
    ['A-V14', '60.00', '1.60', '27.71', 0, '26.11'],
    ['A-V15', '60.00', '0.12', '26.11', 0, '25.99'],
    ['A-V18', '60.00', '45.00', '25.99', 1, '40.99'],
    ['A-V20', '60.00', '2.40', '40.99', 0, '38.59'],
    ['A-V27', '60.00', '162.00', '38.59', 3, '56.59'],
  ] as const)('%s: fee %s, cost %s, %s before, %i block(s), %s after', async (id, fee, cost, before, blocks, after) => {
    const d = await run(id);
    expect([d.ledger.fee, d.cost, d.ledger.balance_before, d.ledger.blocks, d.ledger.balance_after]).toEqual([fee, cost, before, blocks, after]);
  });
});

describe('explain: a version change on 2026-10-15 (fixtures/explain/version-boundary)', () => {
  it('B-2 starts exactly at local midnight of 2026-10-15: the new version', async () => {
    const e = await explainJson(V, 'B-2');
    expect(e.start).toMatchObject({ given: '2026-10-15 00:00:00', instant: '2026-10-14T23:00:00Z', utc_offset: '+01:00' });
    expect(e.version).toMatchObject({ effective_from: '2026-10-15', on_boundary: true, starts: '2026-10-14T23:00:00Z', previous: { effective_from: '2026-01-01' }, next: null });
    expect(e.billable.arithmetic).toBe('95 s → 30 s first block + 3 × 30 s = 120 s');
    expect(e.usage.pieces).toEqual([{ label: 'per minute', seconds: 120, per_minute: '0.90', exact: '1.80', arithmetic: '0.90 × 120 s / 60 = 1.80' }]);
    expect(e.contacts).toMatchObject({ per_contact: '0.05', exact: '0.05' });
    expect(e.surcharge).toMatchObject({ code: 'voice.surcharge.after-hours', per_minute: '0.25', exact: '0.50' });
    expect(e.contribution.exact).toBe('2.35');
  });
  it('B-3, one second before that midnight: the old version, whose next one starts after it', async () => {
    const e = await explainJson(V, 'B-3');
    expect(e.version).toMatchObject({ effective_from: '2026-01-01', on_boundary: false, next: { effective_from: '2026-10-15', starts: '2026-10-14T23:00:00Z' } });
    expect(e.billable.arithmetic).toBe('30 s → 30 s first block = 30 s');
    expect(e.contacts).toBeNull();
    expect(e.contribution.exact).toBe('0.50');
  });
  it('B-4 sits at seconds 550–850 of the month\'s chat count: 50 s in the first step, 250 s in the second', async () => {
    const e = await explainJson(V, 'B-4');
    expect(e.usage.tiers).toMatchObject({ seconds_before: 550, earlier_versions_seconds: 400, from: 550, to: 850 });
    expect(e.usage.pieces.map((p: any) => [p.seconds, p.per_minute, p.exact])).toEqual([
      [50, '0.45', '0.375'],
      [250, '0.35', '1.458(3)'],
    ]);
    expect(e.usage.exact).toBe('1.8(3)');
  });
  it('B-8 at 01:30 on the night the clocks go back: the earlier instant, said so', async () => {
    const e = await explainJson(V, 'B-8');
    expect(e.start.instant).toBe('2026-10-25T00:30:00Z');
    expect(e.start.note).toMatch(/occurs twice/);
    expect(e.usage.tiers).toMatchObject({ from: 850, to: 910 });
  });
  it('B-6 abandoned → 0 s; B-7 answered with 0 s → 0 s and still a contact', async () => {
    expect((await explainJson(V, 'B-6')).billable).toMatchObject({ billable_seconds: 0, arithmetic: 'abandoned → 0 s (docs/reference.md §4.2: no seconds, no per-contact fee)' });
    const b7 = await explainJson(V, 'B-7');
    expect(b7.billable).toMatchObject({ billable_seconds: 0, arithmetic: '0 s → 0 s' });
    expect(b7.contacts.exact).toBe('0.05');
  });
});

describe('explain: records that are not billed (fixtures/explain/not-billed)', () => {
  const N = 'fixtures/explain/not-billed';
  const run = (id: string) => runCliInProcess(['explain', '-p', `${N}/prices.yaml`, '--period', '2026-10', '-q', '--record', id, '--format', 'json', `${N}/usage.csv`]);
  it('outside --period: status outside_period, exit 0, the local time that puts it in September', async () => {
    const r = await run('N-2');
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.status).toBe('outside_period');
    expect(e.start.local).toBe('2026-09-30 23:59:59');
  });
  it('rejected: the reason, exit 65; -q silences the note about the other bad rows', async () => {
    const r = await run('N-3');
    expect(r.code).toBe(65);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout).rejection).toEqual({ column: 'started_at', message: 'no such date 2026-10-32', value: '2026-10-32T10:00:00Z' });
  });
  it('a duplicate id: every copy is rejected; the first is explained and the other named', async () => {
    const r = await run('N-1');
    expect(r.code).toBe(65);
    const e = JSON.parse(r.stdout);
    expect(e.source).toBe(`${N}/usage.csv:2`);
    expect(e.status).toBe('rejected');
    expect(e.rejection.message).toBe(`duplicate record id, also at ${N}/usage.csv:5; every copy is rejected`);
    expect(e.same_id_elsewhere).toEqual([`${N}/usage.csv:5: rejected: record_id: duplicate record id, also at ${N}/usage.csv:2; every copy is rejected`]);
  });
  it('reads standard input (twice, from memory) like a file', () => {
    const csv = readFileSync(join(ROOT, L, 'usage.csv'), 'utf8');
    const r = runCli(['explain', '-p', `${L}/prices.yaml`, '--period', '2026-10', '--balances-in', `${L}/balances.csv`, '--record', 'L-06', '--format', 'json', '-'], { input: csv });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).diversion.ledger.balance_before).toBe('7.31');
  });
});

describe('compare (fixtures/explain/compare: B raises voice 0.80 → 0.90 and lowers chat 0.60 → 0.50, VAT 23 %)', () => {
  let r: CliOutcome;
  let doc: any;
  beforeAll(async () => {
    r = await runCliInProcess(['compare', '-p', `${C}/a.yaml`, '--against', `${C}/b.yaml`, '--period', '2026-10', '--format', 'json', `${C}/usage.csv`]);
    doc = JSON.parse(r.stdout);
  });
  it('sorted by the largest absolute difference, ties (DIVERT, MIX at 0.00) by customer_id', () => {
    expect(doc.customers.map((c: any) => [c.customer_id, c.total_a, c.total_b, c.difference, c.difference_percent])).toEqual([
      ['CHATCO', '51.66', '43.05', '-8.61', '-16.67'],
      ['VOX', '34.44', '38.75', '4.31', '12.51'],
      ['DIVERT', '12.30', '12.30', '0.00', '0.00'],
      ['MIX', '17.22', '17.22', '0.00', '0.00'],
    ]);
  });
  it('MIX: voice +1.00 and chat −1.00 cancel out', () => {
    const mix = doc.customers.find((c: any) => c.customer_id === 'MIX');
    expect(mix.lines.map((l: any) => [l.code, l.difference])).toEqual([
      ['voice.usage', '1.00'],
      ['chat.usage', '-1.00'],
      ['tax', '0.00'],
    ]);
  });
  it('the totals row, per line code', () => {
    expect(doc.totals).toMatchObject({ total_a: '115.62', total_b: '111.32', difference: '-4.30', difference_percent: '-3.72' });
    expect(doc.totals.lines.map((l: any) => [l.code, l.a, l.b, l.difference])).toEqual([
      ['voice.usage', '36.00', '40.50', '4.50'],
      ['chat.usage', '48.00', '40.00', '-8.00'],
      ['diversion.fee', '10.00', '10.00', '0.00'],
      ['tax', '21.62', '20.82', '-0.80'],
    ]);
  });
});

describe('help', () => {
  it.each([
    ['explain', '--record <id>'],
    ['compare', '--against <b.yaml>'],
    ['invoice', '--rated <file>'],
  ])('callbill help %s shows its options and examples', async (cmd, option) => {
    const r = await runCliInProcess(['help', cmd]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(option);
    expect(r.stdout).toContain('Examples:');
  });
});
