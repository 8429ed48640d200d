import { runCliInProcess } from '../helpers/cli';
import { withoutUnlistedNotice } from '../helpers/unlisted';

/**
 * Golden tests of contract terms (issue #4), one fixture folder per term, in several
 * currencies and zones. Every expected line was worked out by hand in the folder's README.
 */
const LINES_HEADER = 'invoice_number,customer_id,code,description,seconds,quantity,unit,unit_price,amount';

async function detail(folder: string, extra: string[]): Promise<string> {
  const f = `fixtures/terms/${folder}`;
  const r = await runCliInProcess(['invoice', '-p', `${f}/prices.yaml`, ...extra, '--format', 'csv', '--detail', `${f}/usage.csv`]);
  // the fixtures bill customers not listed under their default_plan: that notice only
  expect(withoutUnlistedNotice(r.stderr)).toBe('');
  expect(r.code).toBe(0);
  return r.stdout;
}

describe('contract terms, end to end', () => {
  it('graduated tiers across a version change at local midnight in Asia/Kolkata', async () => {
    expect(await detail('graduated-kolkata', ['--period', '2026-10', '--issue-date', '2026-11-01'])).toBe(
      [
        LINES_HEADER,
        'C1-2026-10,C1,chat.usage,"Chat, up to 10 min (from 2026-01-01)",600,10,minute,1.00,10.00',
        'C1-2026-10,C1,chat.usage,"Chat, 11–20 min (from 2026-01-01)",300,5,minute,0.50,2.50',
        'C1-2026-10,C1,chat.usage,"Chat, 11–20 min (from 2026-10-15)",300,5,minute,0.45,2.25',
        'C1-2026-10,C1,chat.usage,"Chat, over 20 min (from 2026-10-15)",900,15,minute,0.20,3.00',
        '',
      ].join('\n'),
    );
  });

  it('volume tiers in JPY with per-contact fee, tax rounding and payment terms', async () => {
    expect(await detail('volume-jpy', ['--period', '2026-10', '--issue-date', '2026-11-01'])).toBe(
      [
        LINES_HEADER,
        'INV-2026-10-K1,K1,voice.usage,"Voice, 101–1,000 min by volume (from 2026-01-01)",3000,50,minute,8,400',
        'INV-2026-10-K1,K1,voice.usage,"Voice, 101–1,000 min by volume (from 2026-10-15)",4800,80,minute,7,560',
        'INV-2026-10-K1,K1,voice.contacts,"Voice, per contact (from 2026-01-01)",,1,contact,5,5',
        '',
      ].join('\n'),
    );
    const r = await runCliInProcess(['invoice', '-p', 'fixtures/terms/volume-jpy/prices.yaml', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', 'fixtures/terms/volume-jpy/usage.csv']);
    const inv = JSON.parse(r.stdout).invoices[0];
    expect([inv.subtotal, inv.tax, inv.total, inv.due_date]).toEqual(['965', '97', '1062', '2026-12-01']);
  });

  it('bands around the end of DST in America/New_York, billed without --period', async () => {
    expect(await detail('bands-new-york', ['--issue-date', '2026-12-01'])).toBe(
      [
        LINES_HEADER,
        'C1-2026-10-30_2026-11-26,C1,voice.usage,"Voice, per minute (from 2026-01-01)",600,10,minute,0.50,5.00',
        'C1-2026-10-30_2026-11-26,C1,voice.surcharge.holiday,"Voice, holiday surcharge (from 2026-01-01)",120,2,minute,0.50,1.00',
        'C1-2026-10-30_2026-11-26,C1,voice.surcharge.weekend,"Voice, weekend surcharge (from 2026-01-01)",120,2,minute,0.20,0.40',
        'C1-2026-10-30_2026-11-26,C1,voice.surcharge.after-hours,"Voice, after-hours surcharge (from 2026-01-01)",120,2,minute,0.10,0.20',
        '',
      ].join('\n'),
    );
  });

  it('SLA credit and monthly minimum in BHD with half-even rounding', async () => {
    const r = await runCliInProcess(['invoice', '-p', 'fixtures/terms/sla-minimum-bhd/prices.yaml', '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'json', 'fixtures/terms/sla-minimum-bhd/usage.csv']);
    expect(r.code).toBe(0);
    const inv = JSON.parse(r.stdout).invoices[0];
    expect(inv.lines.map((l: { code: string; amount: string }) => [l.code, l.amount])).toEqual([
      ['voice.usage', '0.375'],
      ['chat.usage', '0.200'],
      ['sla.credit', '-0.058'],
      ['minimum.shortfall', '9.425'],
    ]);
    expect(inv.sla).toEqual({ service_level_percent: '25.00', average_response_seconds: { voice: '17.5', chat: '75' }, misses: 2, credit_percent: '10', targets: { service_level_percent: '80', answer_within_seconds: 20, max_average_response_seconds: { voice: '30', chat: '60' } } });
    expect([inv.subtotal, inv.tax, inv.total]).toEqual(['9.942', '0.994', '10.936']);
    expect(inv.counts).toEqual({ voice: 3, chat: 2, abandoned: 1, diverted: 0 });
  });

  it('shows the SLA figures in the table output', async () => {
    const r = await runCliInProcess(['invoice', '-p', 'fixtures/terms/sla-minimum-bhd/prices.yaml', '--period', '2026-10', '--issue-date', '2026-11-01', 'fixtures/terms/sla-minimum-bhd/usage.csv']);
    expect(r.stdout).toContain(
      '  SLA: service level 25.00%, average response voice 17.5 s, chat 75 s; 2 missed (service level 25.00% below 80% within 20 s; average chat response 75 s above 60 s), credit 10%',
    );
  });
});
