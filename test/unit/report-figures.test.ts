/**
 * The service report's figures (docs/reference.md §10), worked out by hand on small
 * months: a customer without voice, unknown response times, abandoned contacts, the
 * 23-hour and the 25-hour day of Europe/Lisbon. Each expected value is written out with
 * its arithmetic; none is read from the code under test.
 */
import { parse } from 'csv-parse/sync';
import { buildInvoices } from '../../src/invoice/build-invoices';
import { RatingContext } from '../../src/rating/rate-record';
import { UsageFold } from '../../src/rating/usage-fold';
import { buildServiceReport } from '../../src/statistics/service-report';
import { customerToJson } from '../../src/render/report/json';
import { reportCsvChunks } from '../../src/render/report/csv';
import { joined } from '../../src/render/chunks';
import { parsePeriod } from '../../src/time/period';
import { prices as parsePrices } from '../helpers/prices';
import { CSV_HEAD } from '../helpers/bill';

const PRICES = `currency: EUR
timezone: Europe/Lisbon
rounding: half-up
customers:
  ACME: { name: "Acme <Insurance> & Co", plan: p }
  TEXTONLY: { name: "Text Only", plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1.00, increment: { first: 60, next: 6 } }
        chat: { per_minute: 0.60, increment: { first: 30, next: 30 } }
        diversion:
          fee: 10.00
          mobile: { per_minute: 0.10, increment: { first: 60, next: 60 } }
        sla:
          service_level: { answer_within_seconds: 20, target_percent: 80 }
          max_average_response_seconds: { voice: 30, chat: 60 }
          credit_percent_per_miss: 5
`;

interface F {
  offered: number;
  answered: number;
  abandoned: number;
  diverted: number;
  abandonment_percent: string | null;
  service_level_percent: string | null;
  average_response_seconds: string | null;
  average_handled_seconds: string | null;
  billed_minutes: string;
}
interface C {
  customer_id: string;
  customer_name: string;
  channels: { voice: F; chat: F };
  days: Array<F & { date: string; channel: string }>;
  hours: Array<F & { hour: number; channel: string }>;
  sla: { service_level_percent: string | null; average_response_seconds: { voice: string | null; chat: string | null }; met: { service_level: boolean | null; average_response: { voice: boolean | null; chat: boolean | null } } };
  response_histogram: { bucket_upper_seconds: Array<number | null>; voice: number[]; chat: number[] };
  weekday_hour_contacts: number[][];
}

function report(csv: string, period: string) {
  const prices = parsePrices(PRICES);
  const ctx = new RatingContext(prices);
  const p = parsePeriod(period, ctx.zone);
  const fold = new UsageFold(ctx, { period: p, inputNames: ['usage.csv'], keepRejects: Infinity, statistics: true });
  const rows = parse(CSV_HEAD + csv, { relax_column_count: true }) as string[][];
  expect(fold.header(0, rows[0]!)).toEqual([]);
  rows.slice(1).forEach((r, i) => fold.row(0, i + 2, r));
  expect(fold.rejects).toEqual([]);
  const invoices = buildInvoices(fold.state, prices, { period: p, periodGiven: true, issueDate: '2026-11-01', openingBalances: new Map() });
  const control = { recordsRead: fold.counts.read, recordsBilled: fold.counts.billed, recordsRejected: 0, recordsOutsidePeriod: fold.counts.outside, extrasRead: 0, extrasBilled: 0, extrasRejected: 0, extrasOutsidePeriod: 0, inputs: [], priceList: { path: 'p.yaml', sha256: 'x' } };
  const r = buildServiceReport(fold.state.stats, invoices, p, control);
  const customers = r.customers.map((c) => JSON.parse(JSON.stringify(customerToJson(c, r.bucketsS))) as C);
  return { r, customers, invoices };
}

const EMPTY: F = { offered: 0, answered: 0, abandoned: 0, diverted: 0, abandonment_percent: null, service_level_percent: null, average_response_seconds: null, average_handled_seconds: null, billed_minutes: '0' };

describe('an October of two customers', () => {
  // ACME, voice on Monday 5 October (local = UTC+1, WEST):
  //   a1 response 10 s, 61 s handled → billed 66 (60 + 1 block of 6)      within 20 s
  //   a2 response 20 s, 120 s        → billed 120                          within (≤ 20 is within)
  //   a3 response 25 s, 30 s         → billed 60 (the first block)         not within
  //   a4 response unknown, 95.2 s → 96 s → billed 96                       not within (unknown)
  //   a5 abandoned, response 5 s, diverted to a mobile                     offered, not answered
  // offered 5, answered 4, abandoned 1, diverted 1
  // service level 2/5 = 40.00 %; abandonment 1/5 = 20.00 %
  // average response (10 + 20 + 25) / 3 = 18.333… → 18.33 (a4 unknown, a5 abandoned: not counted)
  // average handled (61 + 120 + 30 + 96) / 4 = 76.75; billed 66 + 120 + 60 + 96 = 342 s = 5.7 min
  // ACME chat on Tuesday 6 October at 23:30 local (22:30Z): response 70 s, 45 s handled → billed 60 s = 1 min
  // TEXTONLY: chats only — responses 30 and 50 (avg 40), one abandoned → abandonment 1/3 = 33.33 %
  const csv = [
    'a1,ACME,voice,2026-10-05T09:10:00+01:00,61,10,,,,',
    'a2,ACME,voice,2026-10-05T09:50:00+01:00,120,20,answered,,,',
    'a3,ACME,voice,2026-10-05T10:05:00+01:00,30,25,,,,',
    'a4,ACME,voice,2026-10-05T10:20:00+01:00,95.2,,,,,',
    'a5,ACME,voice,2026-10-05T10:40:00+01:00,0,5,abandoned,mobile,,40',
    'a6,ACME,chat,2026-10-06T22:30:00Z,45,70,,,,',
    't1,TEXTONLY,chat,2026-10-07T12:00:00,100,30,,,,',
    't2,TEXTONLY,chat,2026-10-07T12:30:00,200,50,,,,',
    't3,TEXTONLY,chat,2026-10-07T13:00:00,0,,abandoned,,,',
  ].join('\n') + '\n';
  const { customers, invoices } = report(csv, '2026-10');
  const acme = customers.find((c) => c.customer_id === 'ACME')!;
  const text = customers.find((c) => c.customer_id === 'TEXTONLY')!;

  test('per channel: counts, shares, averages and billed minutes', () => {
    expect(acme.channels.voice).toEqual({ offered: 5, answered: 4, abandoned: 1, diverted: 1, abandonment_percent: '20.00', service_level_percent: '40.00', average_response_seconds: '18.33', average_handled_seconds: '76.75', billed_minutes: '5.7' });
    // chat has no service level; 70 s is above the 60 s maximum
    expect(acme.channels.chat).toEqual({ offered: 1, answered: 1, abandoned: 0, diverted: 0, abandonment_percent: '0.00', service_level_percent: null, average_response_seconds: '70', average_handled_seconds: '45', billed_minutes: '1' });
    expect(acme.sla.met).toEqual({ service_level: false, average_response: { voice: true, chat: false } });
  });

  test('a customer with no voice contact: voice figures are null, counts 0', () => {
    expect(text.channels.voice).toEqual(EMPTY);
    // (100 + 200) / 2 = 150 s handled; billed 120 + 210 = 330 s = 5.5 min; 30 s increments: 100 → 120, 200 → 210
    expect(text.channels.chat).toEqual({ offered: 3, answered: 2, abandoned: 1, diverted: 0, abandonment_percent: '33.33', service_level_percent: null, average_response_seconds: '40', average_handled_seconds: '150', billed_minutes: '5.5' });
    expect(text.sla.service_level_percent).toBeNull();
    expect(text.sla.met).toEqual({ service_level: null, average_response: { voice: null, chat: true } });
  });

  test("the customer's service level and average response are its invoice's", () => {
    const inv = invoices.find((i) => i.customerId === 'ACME')!;
    expect(inv.sla.serviceLevelPercent!.toFixed(2)).toBe('40.00');
    expect(inv.sla.averageResponseSeconds.voice!.toFixed()).toBe('18.33');
    expect(acme.sla.service_level_percent).toBe('40.00');
    expect(acme.sla.average_response_seconds).toEqual({ voice: '18.33', chat: '70' });
  });

  test('per day: every date of October, voice then chat, zeros where nothing happened', () => {
    expect(acme.days).toHaveLength(62);
    expect(acme.days.slice(8, 12).map((d) => [d.date, d.channel])).toEqual([
      ['2026-10-05', 'voice'],
      ['2026-10-05', 'chat'],
      ['2026-10-06', 'voice'],
      ['2026-10-06', 'chat'],
    ]);
    expect(acme.days[8]).toEqual({ date: '2026-10-05', channel: 'voice', ...acme.channels.voice });
    // 22:30Z on 6 October is 23:30 local (WEST, UTC+1): still the 6th
    expect(acme.days[11]).toEqual({ date: '2026-10-06', channel: 'chat', ...acme.channels.chat });
    expect(acme.days[0]).toEqual({ date: '2026-10-01', channel: 'voice', ...EMPTY });
  });

  test('per hour of the day: local hours', () => {
    const at = (h: number, ch: string) => acme.hours.find((x) => x.hour === h && x.channel === ch)!;
    expect(acme.hours).toHaveLength(48);
    // 09:10 and 09:50: both within → 100.00 %; average (10 + 20) / 2 = 15; handled (61 + 120) / 2 = 90.5; billed 186 s = 3.1 min
    expect(at(9, 'voice')).toEqual({ hour: 9, channel: 'voice', offered: 2, answered: 2, abandoned: 0, diverted: 0, abandonment_percent: '0.00', service_level_percent: '100.00', average_response_seconds: '15', average_handled_seconds: '90.5', billed_minutes: '3.1' });
    // 10:05 (25 s), 10:20 (unknown), 10:40 (abandoned): 0 within of 3 → 0.00 %; average 25; handled (30 + 96) / 2 = 63; billed 156 s = 2.6 min
    expect(at(10, 'voice')).toEqual({ hour: 10, channel: 'voice', offered: 3, answered: 2, abandoned: 1, diverted: 1, abandonment_percent: '33.33', service_level_percent: '0.00', average_response_seconds: '25', average_handled_seconds: '63', billed_minutes: '2.6' });
    expect(at(23, 'chat').offered).toBe(1);
    expect(at(22, 'chat').offered).toBe(0);
  });

  test('response histogram and weekday × hour contacts', () => {
    // voice responses 10 (≤10), 20 (≤20), 25 (≤25); the abandoned contact's 5 s is not an answer
    expect(acme.response_histogram.bucket_upper_seconds).toEqual([5, 10, 15, 20, 25, 30, 40, 50, 60, 90, 120, 180, 300, null]);
    expect(acme.response_histogram.voice).toEqual([0, 1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(acme.response_histogram.chat).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0]);
    // Monday (row 0): 2 at 09, 3 at 10; Tuesday (row 1): 1 at 23
    expect(acme.weekday_hour_contacts[0]![9]).toBe(2);
    expect(acme.weekday_hour_contacts[0]![10]).toBe(3);
    expect(acme.weekday_hour_contacts[1]![23]).toBe(1);
    expect(acme.weekday_hour_contacts.flat().reduce((a, b) => a + b, 0)).toBe(6);
  });
});

describe('days of 25 and 23 hours in Europe/Lisbon', () => {
  test('25 October 2026 (clocks go back at 02:00 WEST to 01:00 WET): 01:xx happens twice, both in hour 1', () => {
    const csv = [
      'd1,ACME,voice,2026-10-24T23:30:00Z,60,5,,,,', // 00:30 WEST on the 25th
      'd2,ACME,voice,2026-10-25T00:30:00Z,60,5,,,,', // 01:30 WEST, the first 01:30
      'd3,ACME,voice,2026-10-25T01:30:00Z,60,30,,,,', // 01:30 WET, the second 01:30
      'd4,ACME,voice,2026-10-25T23:30:00Z,60,5,,,,', // 23:30 WET, still the 25th
      'd5,ACME,voice,2026-10-26T00:00:00Z,60,5,,,,', // 00:00 WET on the 26th
    ].join('\n') + '\n';
    const acme = report(csv, '2026-10').customers[0]!;
    const day = (date: string) => acme.days.find((d) => d.date === date && d.channel === 'voice')!;
    const hour = (h: number) => acme.hours.find((x) => x.hour === h && x.channel === 'voice')!;
    expect(day('2026-10-24').offered).toBe(0);
    // 4 contacts on the 25th, 3 within 20 s → 75.00 %
    expect([day('2026-10-25').offered, day('2026-10-25').service_level_percent]).toEqual([4, '75.00']);
    expect(day('2026-10-26').offered).toBe(1);
    expect([hour(0).offered, hour(1).offered, hour(2).offered, hour(23).offered]).toEqual([2, 2, 0, 1]);
    // hour 1: 5 s and 30 s → 1 of 2 within, average 17.5
    expect([hour(1).service_level_percent, hour(1).average_response_seconds]).toEqual(['50.00', '17.5']);
  });

  test('29 March 2026 (clocks go forward at 01:00 WET to 02:00 WEST): no hour 1', () => {
    const csv = [
      'm1,ACME,chat,2026-03-29T00:59:00Z,60,5,,,,', // 00:59 WET
      'm2,ACME,chat,2026-03-29T01:00:00Z,60,5,,,,', // 02:00 WEST: the hour 01 does not exist
      'm3,ACME,chat,2026-03-29T22:59:00Z,60,5,,,,', // 23:59 WEST on the 29th
      'm4,ACME,chat,2026-03-29T23:00:00Z,60,5,,,,', // 00:00 WEST on the 30th
      'm5,ACME,chat,2026-03-29 01:30:00,60,5,,,,', // local 01:30 does not exist: moved forward by the gap to 02:30
    ].join('\n') + '\n';
    const acme = report(csv, '2026-03').customers[0]!;
    const day = (date: string) => acme.days.find((d) => d.date === date && d.channel === 'chat')!;
    const hour = (h: number) => acme.hours.find((x) => x.hour === h && x.channel === 'chat')!;
    expect(acme.days).toHaveLength(62);
    expect([day('2026-03-29').offered, day('2026-03-30').offered]).toEqual([4, 1]);
    expect([hour(0).offered, hour(1).offered, hour(2).offered, hour(23).offered]).toEqual([2, 0, 2, 1]);
  });
});

test('CSV by day: one tidy row per customer, channel and day; names are formula-safe cells', () => {
  const { r } = report('x1,ACME,voice,2026-10-05T09:10:00+01:00,61,10,,,,\n', '2026-10');
  const text = joined(reportCsvChunks(r, 'day'));
  const lines = text.trimEnd().split('\n');
  expect(lines[0]).toBe('customer_id,customer_name,date,weekday,channel,offered,answered,abandoned,diverted,abandonment_percent,service_level_percent,average_response_seconds,average_handled_seconds,billed_minutes');
  expect(lines).toHaveLength(1 + 62);
  expect(lines).toContain('ACME,Acme <Insurance> & Co,2026-10-05,mon,voice,1,1,0,0,0.00,100.00,10,61,1.1');
  expect(lines).toContain('ACME,Acme <Insurance> & Co,2026-10-05,mon,chat,0,0,0,0,,,,,0');
  const hours = joined(reportCsvChunks(r, 'hour')).trimEnd().split('\n');
  expect(hours[0]).toBe('customer_id,customer_name,hour,channel,offered,answered,abandoned,diverted,abandonment_percent,service_level_percent,average_response_seconds,average_handled_seconds,billed_minutes');
  expect(hours).toHaveLength(1 + 48);
  expect(hours).toContain('ACME,Acme <Insurance> & Co,9,voice,1,1,0,0,0.00,100.00,10,61,1.1');
});
