/**
 * SPEC §8: recurring fees prorated by day and services on request. Every expected
 * figure is worked by hand beside it: monthly × days / days in the period, rounded
 * once; price × the sum of the quantities, rounded once.
 */
import { bill, CSV_HEAD, lines } from '../helpers/bill';
import { HEAD, priceErrors, prices } from '../helpers/prices';
import { recurringFeeCharges } from '../../src/invoice/charge-models/recurring-fee';
import { serviceCharge } from '../../src/invoice/charge-models/service';
import { Dec } from '../../src/money/decimal';
import { Zone } from '../../src/time/zone';
import type { Invoice } from '../../src/invoice/types';

const VOICE = 'voice: { per_minute: 1, increment: { first: 1, next: 1 } }';
const PLAN = `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        ${VOICE}
        fees:
          - { code: platform, name: Platform, amount: 1500.00 }
          - { code: support, name: Support, amount: 310.00 }
        services:
          recording: { name: Recording, price: 2.50 }
          training: { name: Training, price: 45.00, unit: hour }
      - effective_from: 2026-10-15
        ${VOICE}
        fees:
          - { code: platform, name: Platform, amount: 1650.00 }
          - { code: support, name: Support, amount: 310.00 }
        services:
          recording: { name: Recording, price: 3.00 }
          training: { name: Training, price: 45.00, unit: hour }
  q:
    versions:
      - effective_from: 2026-01-01
        ${VOICE}
        fees:
          - { code: agents, name: Dedicated agents, per_unit: 2800.00, unit: agent }
`;
const YAML = `${HEAD}customers:
  A: { plan: p }
  B: { plan: p, active_from: 2026-10-10 }
  C: { plan: p, active_until: 2026-10-20 }
  Q: { plan: q, quantities: { agents: 2.5 } }
  GONE: { plan: p, active_until: 2026-09-30 }
${PLAN}`;

function inv(invoices: Invoice[], id: string): Invoice {
  const i = invoices.find((x) => x.customerId === id);
  if (!i) throw new Error(`no invoice for ${id}`);
  return i;
}
const fees = (i: Invoice) => i.lines.filter((l) => l.code.startsWith('fee.')).map((l) => [l.code, l.quantity, l.unitPrice.toFixed(2), l.amount.toFixed(2)]);

describe('recurring fees, prorated by day (SPEC §8)', () => {
  const { invoices } = bill(YAML, CSV_HEAD, { period: '2026-10' });

  it('a version change on the 15th of a 31-day month splits a changed fee 14/31 and 17/31; an unchanged fee is one line', () => {
    // platform: 1500.00 × 14 / 31 = 677.419… → 677.42; 1650.00 × 17 / 31 = 904.838… → 904.84; support 310.00 × 31 / 31 = 310.00
    expect(fees(inv(invoices, 'A'))).toEqual([
      ['fee.platform', '14', '1500.00', '677.42'],
      ['fee.platform', '17', '1650.00', '904.84'],
      ['fee.support', '31', '310.00', '310.00'],
    ]);
    const l = inv(invoices, 'A').lines[0]!;
    expect([l.unit, l.seconds, l.versionFrom]).toEqual(['day', null, '2026-01-01']);
    expect(inv(invoices, 'A').subtotal.toFixed(2)).toBe('1892.26'); // 677.42 + 904.84 + 310.00
  });

  it('a customer starting on the 10th pays 22/31: 5 days of the first version, 17 of the second', () => {
    // 1500.00 × 5 / 31 = 241.935… → 241.94; 1650.00 × 17 / 31 → 904.84; 310.00 × 22 / 31 = 220.00 exactly
    expect(fees(inv(invoices, 'B'))).toEqual([
      ['fee.platform', '5', '1500.00', '241.94'],
      ['fee.platform', '17', '1650.00', '904.84'],
      ['fee.support', '22', '310.00', '220.00'],
    ]);
  });

  it('a customer leaving on the 20th pays 20/31: 14 days of the first version, 6 of the second', () => {
    // 1500.00 × 14 / 31 → 677.42; 1650.00 × 6 / 31 = 319.354… → 319.35; 310.00 × 20 / 31 = 200.00
    expect(fees(inv(invoices, 'C'))).toEqual([
      ['fee.platform', '14', '1500.00', '677.42'],
      ['fee.platform', '6', '1650.00', '319.35'],
      ['fee.support', '20', '310.00', '200.00'],
    ]);
  });

  it('per_unit × quantity: 2800.00 × 2.5 agents = 7000.00 a month, the whole month', () => {
    expect(fees(inv(invoices, 'Q'))).toEqual([['fee.agents', '31', '7000.00', '7000.00']]);
    expect(inv(invoices, 'Q').lines[0]!.description).toBe('Dedicated agents, 2.5 agent × 2800.00, 31 of 31 days (from 2026-01-01)');
  });

  it('a listed customer active in the period gets an invoice in an idle month; one who left before it does not (SPEC §4.7)', () => {
    expect(invoices.map((i) => i.customerId)).toEqual(['A', 'B', 'C', 'Q']);
  });

  it('without --period no fee is billed (the shell says so)', () => {
    const r = bill(YAML, CSV_HEAD + 'r1,A,voice,2026-10-05T10:00:00Z,60,,,,,\n');
    expect(lines(inv(r.invoices, 'A'))).toEqual([['voice.usage', 60, '1.00']]);
  });

  it('rounds once per line: JPY and BHD ties in a 30-day month, half-up and half-even', () => {
    // November has 30 days; active from the 16th = 15 days. JPY 1001 × 15 / 30 = 500.5; BHD 100.001 × 15 / 30 = 50.0005
    const cases: Array<[string, string, string, string]> = [
      ['JPY', '1001', 'half-up', '501'],
      ['JPY', '1001', 'half-even', '500'],
      ['BHD', '100.001', 'half-up', '50.001'],
      ['BHD', '100.001', 'half-even', '50.000'],
    ];
    for (const [cur, amount, mode, want] of cases) {
      const y = `currency: ${cur}\ntimezone: Asia/Tokyo\nrounding: ${mode}\ncustomers:\n  X: { plan: p, active_from: 2026-11-16 }\nplans:\n  p:\n    versions:\n      - effective_from: 2026-01-01\n        ${VOICE}\n        fees:\n          - { code: base, name: Base, amount: ${amount} }\n`;
      const i = inv(bill(y, CSV_HEAD, { period: '2026-11' }).invoices, 'X');
      expect([cur, mode, i.lines[0]!.quantity, i.lines[0]!.amount.toFixed(cur === 'JPY' ? 0 : 3)]).toEqual([cur, mode, '15', want]);
    }
  });

  it('the charge model explains its arithmetic', () => {
    const p = prices(YAML);
    const zone = new Zone('Europe/Lisbon');
    const pieces = recurringFeeCharges({ plan: p.plans.get('p')!, customer: p.customers.get('B'), start: '2026-10-01', end: '2026-10-31', midnight: (d) => zone.fromLocal(d * 86_400_000), minor: 2, rounding: 'half-up' });
    expect(pieces.map((x) => x.explanation)).toEqual([
      '1500.00 a month × 5 / 31 days = 241.(935483870967741) → 241.94',
      '1650.00 a month × 17 / 31 days = 904.(838709677419354) → 904.84',
      '310.00 a month × 22 / 31 days = 220.00 → 220.00',
    ]);
  });
});

describe('services on request (SPEC §8)', () => {
  const X = 'customer_id,date,service,quantity,reference\n';

  it('one line per (service, version), at the price of the version in effect on the date; 1.5 hours of training', () => {
    const extras = X + 'A,2026-10-06,recording,,t1\nA,2026-10-20T11:30:00+01:00,recording,2,t2\nA,2026-10-14,training,1.5,induction\nA,2026-10-15,recording,1,t3\n';
    const i = inv(bill(YAML, CSV_HEAD, { period: '2026-10', extras }).invoices, 'A');
    const svc = i.lines.filter((l) => l.code.startsWith('service.')).map((l) => [l.code, l.quantity, l.unit, l.unitPrice.toFixed(2), l.amount.toFixed(2), l.versionFrom]);
    // recording v1: 2.50 × 1; recording v2: 3.00 × (2 + 1) = 9.00; training v1: 45.00 × 1.5 = 67.50 (YAML order: recording before training)
    expect(svc).toEqual([
      ['service.recording', '1', 'request', '2.50', '2.50', '2026-01-01'],
      ['service.recording', '3', 'request', '3.00', '9.00', '2026-10-15'],
      ['service.training', '1.5', 'hour', '45.00', '67.50', '2026-01-01'],
    ]);
    // SPEC §8 line order: fee.* before service.*
    expect(i.lines.map((l) => l.code)).toEqual(['fee.platform', 'fee.platform', 'fee.support', 'service.recording', 'service.recording', 'service.training']);
  });

  it('the quantities are summed before the line is rounded: 3 × 0.001 at 2.50 = 0.0075 → 0.01 (row by row it would be 0.00)', () => {
    const extras = X + 'A,2026-10-02,recording,0.001,\nA,2026-10-03,recording,0.001,\nA,2026-10-04,recording,0.001,\n';
    const i = inv(bill(YAML, CSV_HEAD, { period: '2026-10', extras }).invoices, 'A');
    expect(i.lines.find((l) => l.code === 'service.recording')!.amount.toFixed(2)).toBe('0.01');
    expect(serviceCharge({ code: 'r', name: 'R', price: new Dec('2.50'), unit: 'request' }, 3n, 2, 'half-up').explanation).toBe('2.50 × 0.003 request = 0.0075 → 0.01');
  });

  it('bad rows: unknown service, unknown customer without default_plan, before the first version, quantity 0 or finer than 3 decimals, inactive day', () => {
    const extras =
      X +
      'A,2026-10-06,photocopy,,\n' +
      'NOBODY,2026-10-06,recording,,\n' +
      'A,2025-12-31,recording,,\n' +
      'A,2026-10-06,recording,0,\n' +
      'A,2026-10-06,recording,1.2345,\n' +
      'B,2026-10-09,recording,,\n' +
      'A,2026-11-01,recording,,\n';
    const r = bill(YAML, CSV_HEAD, { period: '2026-10', extras });
    const x = r.extras!;
    expect(x.counts).toEqual({ read: 7, billed: 0, rejected: 5, outside: 2, late: 0 });
    expect(x.rejects.map((j) => `${j.line}: ${j.column}: ${j.message}`)).toEqual([
      '2: service: plan p (from 2026-01-01) has no service "photocopy" (it has: recording, training)',
      '3: customer_id: unknown customer, and the price list has no default_plan',
      '5: quantity: must be greater than 0',
      '6: quantity: expected a number greater than 0 with at most 3 decimals, or nothing (= 1)',
      '7: date: customer B is not active on 2026-10-09 (active from 2026-10-10)',
    ]);
  });

  it('a row before the first version is a bad row when it is inside the period', () => {
    const y = YAML.replace(/effective_from: 2026-01-01\n {8}voice: \{ per_minute: 1, increment: \{ first: 1, next: 1 \} \}\n {8}fees:\n {10}- \{ code: platform/, 'effective_from: 2026-10-05\n        voice: { per_minute: 1, increment: { first: 1, next: 1 } }\n        fees:\n          - { code: platform');
    const r = bill(y, CSV_HEAD, { period: '2026-10', extras: X + 'A,2026-10-04,recording,,\n' });
    expect(r.extras!.rejects.map((j) => `${j.column}: ${j.message}`)).toEqual(['date: earlier than the first version of plan p (effective from 2026-10-05)']);
  });
});

describe('usage on a day the customer is not active (SPEC §8)', () => {
  it('is a bad row that says so', () => {
    const r = bill(YAML, CSV_HEAD + 'r1,B,voice,2026-10-09T22:59:59Z,60,,,,,\nr2,B,voice,2026-10-09T23:00:00Z,60,,,,,\n', { period: '2026-10' });
    // Lisbon is UTC+1 in October: 2026-10-09T23:00:00Z is the 10th at 00:00 local, the first active instant
    expect(r.fold.rejects.map((j) => `${j.line}: ${j.column}: ${j.message}`)).toEqual(['2: started_at: customer B is not active on 2026-10-09 (active from 2026-10-10)']);
    expect(r.fold.counts.billed).toBe(1);
  });
});

describe('SLA credit_base: usage_and_fees (SPEC §8)', () => {
  it('credits a percentage of usage + fee lines, never services or diversion fees; the minimum still compares usage only', () => {
    const y = `${HEAD}customers:\n  A: { plan: p }\nplans:\n  p:\n    versions:\n      - effective_from: 2026-01-01\n        ${VOICE}\n        fees:\n          - { code: platform, name: Platform, amount: 1000.00 }\n        services:\n          recording: { name: Recording, price: 2.50 }\n        sla:\n          max_average_response_seconds: { voice: 10 }\n          credit_percent_per_miss: 5\n          credit_base: usage_and_fees\n        minimum_monthly: 100.00\n`;
    // usage: 600 s at 1.00 = 10.00 (response 20 s > 10: one miss, 5 %); fee 1000.00; recording 2.50
    // credit = (10.00 + 1000.00) × 5 / 100 = 50.50; minimum: 100.00 − 10.00 = 90.00
    const i = inv(bill(y, CSV_HEAD + 'r1,A,voice,2026-10-05T10:00:00Z,600,20,,,,\n', { period: '2026-10', extras: 'customer_id,date,service\nA,2026-10-06,recording\n' }).invoices, 'A');
    expect(lines(i)).toEqual([
      ['voice.usage', 600, '10.00'],
      ['fee.platform', null, '1000.00'],
      ['service.recording', null, '2.50'],
      ['sla.credit', null, '-50.50'],
      ['minimum.shortfall', null, '90.00'],
    ]);
    expect(i.subtotal.toFixed(2)).toBe('1052.00'); // 10.00 + 1000.00 + 2.50 − 50.50 + 90.00
  });
});

describe('price-list validation of fees, services, quantities and active dates (file:line:column)', () => {
  const plan = (fees: string, extra = '') => `plans:\n  p:\n    versions:\n      - effective_from: 2026-01-01\n        ${VOICE}\n        fees:\n${fees}${extra}`;
  it('an unknown fee code in quantities', () => {
    expect(priceErrors(`${HEAD}customers:\n  A: { plan: p, quantities: { seats: 2 } }\n` + plan('          - { code: platform, name: P, amount: 10 }\n'))).toEqual([
      '5:31: customers.A.quantities: unknown fee code "seats": plan p has no per_unit fee of that code',
    ]);
  });
  it('a per_unit fee with no quantity for a listed customer on that plan', () => {
    expect(priceErrors(`${HEAD}customers:\n  A: { plan: p }\n` + plan('          - { code: agents, name: Agents, per_unit: 10, unit: agent }\n'))).toEqual([
      '5:6: customers.A: fee agents of plan p (from 2026-01-01) is per_unit: give the customer quantities: { agents: N }',
    ]);
  });
  it('a per_unit fee in the default_plan', () => {
    expect(priceErrors(`${HEAD}default_plan: p\n` + plan('          - { code: agents, name: Agents, per_unit: 10, unit: agent }\n'))).toEqual([
      '11:13: plans.p (from 2026-01-01): fee agents is per_unit, and p is the default_plan: customers who are not listed have no quantities (use a fixed amount, or a plan of its own)',
    ]);
  });
  it('a fee amount finer than the minor unit (EUR 2 decimals)', () => {
    expect(priceErrors(HEAD + plan('          - { code: platform, name: P, amount: 10.005 }\n'))).toEqual([
      '10:48: plans.p.versions[0].fees[0].amount: 10.005 is not a whole number of EUR minor units (2 decimals)',
    ]);
  });
  it('active_until before active_from', () => {
    expect(priceErrors(`${HEAD}customers:\n  A: { plan: p, active_from: 2026-10-10, active_until: 2026-10-09 }\n` + plan('          - { code: platform, name: P, amount: 10 }\n'))).toEqual([
      '5:56: customers.A.active_until: 2026-10-09 is before active_from 2026-10-10',
    ]);
  });
  it('duplicate fee codes in one version', () => {
    expect(priceErrors(HEAD + plan('          - { code: platform, name: P, amount: 10 }\n          - { code: platform, name: Q, amount: 20 }\n'))).toEqual([
      '11:21: plans.p.versions[0].fees[1].code: fee code platform is used twice in this version',
    ]);
  });
  it('both amount and per_unit, neither, a per_unit without unit, a bad code, a bad credit_base', () => {
    expect(
      priceErrors(
        HEAD +
          plan(
            '          - { code: a, name: A, amount: 1, per_unit: 2, unit: x }\n          - { code: b, name: B }\n          - { code: c, name: C, per_unit: 2 }\n          - { code: D!, name: D, amount: 1 }\n',
            '        services:\n          "Photo Copy": { name: X, price: 1 }\n        sla: { credit_percent_per_miss: 1, credit_base: everything }\n',
          ),
      ),
    ).toEqual([
      '10:44: plans.p.versions[0].fees[0]: has both amount and per_unit; a fee has one or the other',
      '11:13: plans.p.versions[0].fees[1]: needs amount or per_unit',
      '12:13: plans.p.versions[0].fees[2]: a per_unit fee needs a unit (agent, seat, …)',
      '13:21: plans.p.versions[0].fees[3].code: "D!" cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)',
      '15:11: plans.p.versions[0].services: service code "Photo Copy" cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)',
      '16:57: plans.p.versions[0].sla.credit_base: expected one of usage, usage_and_fees, found "everything"',
    ]);
  });
});
