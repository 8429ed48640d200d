import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../helpers/cli';

/**
 * Found by fuzzing the date edges (issue #6): an offset carried 9999-12-31 into year
 * 10000, and invoices came out with the period "+010000-01" and a due date "+010009-12".
 */
const PRICES = `currency: EUR
timezone: Europe/Lisbon
rounding: half-up
payment_terms_days: 3650
default_plan: p
plans:
  p:
    versions:
      - effective_from: 0001-01-01
        voice: { per_minute: 0.60, increment: { first: 1, next: 1 } }
`;
const HEAD = 'record_id,customer_id,channel,started_at,duration_seconds\n';

let dir: string;
const p = (n: string) => join(dir, n);
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-dates-'));
  writeFileSync(p('prices.yaml'), PRICES);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('dates at the edges of 0001–9999', () => {
  it('a started_at whose offset carries it past 9999-12-31 (UTC or local) is a bad row', async () => {
    writeFileSync(p('u.csv'), HEAD + 'a,C,voice,9999-12-31T23:59:59-14:00,60\nb,C,voice,0001-01-01T10:00:00+14:00,60\nc,C,voice,9999-12-31T23:30:00Z,60\n');
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', p('u.csv')]);
    expect(o.code).toBe(65);
    const why = "started_at: outside the years 0001 to 9999 (in UTC or in the price list's time zone)";
    expect(o.stderr.split('\n').slice(0, 3)).toEqual([
      `${p('u.csv')}:2: ${why} ("9999-12-31T23:59:59-14:00")`,
      `${p('u.csv')}:3: ${why} ("0001-01-01T10:00:00+14:00")`,
      // line 4, 9999-12-31T23:30:00Z, is still 9999-12-31 in Lisbon (UTC+0 in winter): not a bad row
      `callbill: 2 bad usage rows; nothing was written (give --rejects FILE to set them aside and bill the good rows)`,
    ]);
  });

  it('the last local day of 9999 is billed with real dates', async () => {
    writeFileSync(p('u.csv'), HEAD + 'a,C,voice,9999-12-31T10:00:00,60\n');
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', '--format', 'csv', p('u.csv')]);
    expect([o.code, o.stdout.split('\n')[1]]).toEqual([0, 'C-9999-12-31_9999-12-31,C,C,9999-12-31,9999-12-31,EUR,0.60,0.00,0.60,0,0.00,']);
  });

  it('an issue date whose due date would pass 9999-12-31 is a bad command line (64)', async () => {
    writeFileSync(p('u.csv'), HEAD + 'a,C,voice,2026-10-01T10:00:00,60\n');
    const o = await runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '9999-12-31', p('u.csv')]);
    expect([o.code, o.stdout, o.stderr]).toEqual([64, '', "callbill: --issue-date: 9999-12-31 plus the price list's payment_terms_days (3650) falls after 9999-12-31\n"]);
  });
});
