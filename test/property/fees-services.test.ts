import fc from 'fast-check';
import { bill, CSV_HEAD } from '../helpers/bill';
import { invoiceToJson } from '../../src/render/json';
import { D, moneyText, roundBy } from './oracle';
import type { Mode } from './oracle';

/**
 * SPEC §8 on generated price lists: fees prorated by day with a version change on a
 * generated day, customers starting and leaving on generated days, generated requests
 * for services. Expected fee amounts come from the test's own day count and decimal
 * arithmetic; the invoices must add up, and must not depend on the order of extras rows.
 */
const RUNS = Number(process.env.PROPERTY_RUNS ?? 0) || undefined;
const runs = (n: number) => ({ numRuns: RUNS ?? n });

const CURRENCIES = [
  { code: 'EUR', minor: 2 },
  { code: 'JPY', minor: 0 },
  { code: 'BHD', minor: 3 },
] as const;

const amountArb = (minor: number) => fc.integer({ min: 0, max: 5_000_000 }).map((n) => new D(n).div(new D(10).pow(minor)).toFixed(minor));
const dayArb = fc.integer({ min: 1, max: 31 });
const dd = (d: number) => `2026-10-${String(d).padStart(2, '0')}`;

const caseArb = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    rounding: fc.constantFrom<Mode>('half-up', 'half-even'),
    changeDay: fc.integer({ min: 2, max: 31 }),
    from: fc.option(dayArb, { nil: null }),
    until: fc.option(dayArb, { nil: null }),
    quantity: fc.integer({ min: 0, max: 20_000 }).map((n) => new D(n).div(1000).toFixed()),
    tax: fc.constantFrom('23', '0', '7.5'),
  })
  .chain((h) =>
    fc.record({
      h: fc.constant(h),
      a1: amountArb(h.currency.minor),
      a2: amountArb(h.currency.minor),
      unit1: amountArb(h.currency.minor),
      unit2: amountArb(h.currency.minor),
      price1: fc.constantFrom('2.50', '0.015', '45', '1'),
      price2: fc.constantFrom('3.00', '0.02', '45', '1'),
      extras: fc.array(fc.record({ day: dayArb, service: fc.constantFrom('recording', 'training'), q: fc.integer({ min: 1, max: 5000 }) }), { maxLength: 12 }),
    }),
  );

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function yamlOf(c: Case): string {
  const { h } = c;
  const from = h.from !== null && h.until !== null && h.until < h.from ? h.until : h.from;
  const until = h.from !== null && h.until !== null && h.until < h.from ? h.from : h.until;
  const active = `${from !== null ? `, active_from: ${dd(from)}` : ''}${until !== null ? `, active_until: ${dd(until)}` : ''}`;
  const version = (eff: string, a: string, u: string, p: string) => `      - effective_from: ${eff}
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
        fees:
          - { code: platform, name: Platform, amount: ${a} }
          - { code: agents, name: Agents, per_unit: ${u}, unit: agent }
        services:
          recording: { name: Recording, price: ${p} }
          training: { name: Training, price: ${p}, unit: hour }
`;
  return `currency: ${h.currency.code}
timezone: Europe/Lisbon
rounding: ${h.rounding}
tax: { name: VAT, rate: ${h.tax} }
customers:
  X: { plan: p, quantities: { agents: ${h.quantity} }${active} }
plans:
  p:
    versions:
${version('2026-01-01', c.a1, c.unit1, c.price1)}${version(dd(h.changeDay), c.a2, c.unit2, c.price2)}`;
}

/** The days 1..31 on which X is active, and which version applies: the test's own count. */
function expectedFees(c: Case): Map<string, string> {
  const { h } = c;
  const from = h.from !== null && h.until !== null ? Math.min(h.from, h.until) : (h.from ?? 1);
  const until = h.from !== null && h.until !== null ? Math.max(h.from, h.until) : (h.until ?? 31);
  const sums = new Map<string, { monthly: InstanceType<typeof D>; days: number }>();
  for (let d = 1; d <= 31; d++) {
    if (d < from || d > until) continue;
    const second = d >= h.changeDay;
    for (const [code, monthly] of [
      ['platform', new D(second ? c.a2 : c.a1)],
      ['agents', new D(second ? c.unit2 : c.unit1).times(h.quantity)],
    ] as const) {
      const key = `${code}|${monthly.toFixed()}`;
      const e = sums.get(key) ?? { monthly, days: 0 };
      e.days++;
      sums.set(key, e);
    }
  }
  const out = new Map<string, string>();
  for (const [key, { monthly, days }] of sums) out.set(`${key}|${days}`, moneyText(roundBy(monthly.times(days).div(31), h.currency.minor, h.rounding), h.currency.minor));
  return out;
}

describe('recurring fees and services (SPEC §8), generated', () => {
  it('each fee line is monthly × days / 31 rounded once, by the test\'s own day count; lines add up; the extras order changes nothing', () => {
    fc.assert(
      fc.property(caseArb, fc.boolean(), (c, reverse) => {
        const { h } = c;
        const m = h.currency.minor;
        const rows = c.extras.map((x) => `X,${dd(x.day)},${x.service},${new D(x.q).div(1000).toFixed()},r\n`);
        const head = 'customer_id,date,service,quantity,reference\n';
        const a = bill(yamlOf(c), CSV_HEAD, { period: '2026-10', extras: head + rows.join('') });
        const b = bill(yamlOf(c), CSV_HEAD, { period: '2026-10', extras: head + (reverse ? [...rows].reverse() : rows).join('') });
        const ja = a.invoices.map(invoiceToJson);
        expect(b.invoices.map(invoiceToJson)).toEqual(ja);
        for (const inv of ja as Array<{ lines: Array<{ code: string; quantity: string; unit_price: string; amount: string }>; subtotal: string; tax: string; total: string }>) {
          const sum = inv.lines.reduce((s, l) => s.plus(l.amount), new D(0));
          expect(moneyText(sum, m)).toBe(inv.subtotal);
          expect(moneyText(new D(inv.subtotal).plus(inv.tax), m)).toBe(inv.total);
          expect(inv.tax).toBe(moneyText(roundBy(new D(inv.subtotal).times(h.tax).div(100), m, h.rounding), m));
          const want = expectedFees(c);
          const got = new Map(inv.lines.filter((l) => l.code.startsWith('fee.')).map((l) => [`${l.code.slice(4)}|${new D(l.unit_price).toFixed()}|${l.quantity}`, l.amount]));
          expect(got).toEqual(want);
        }
        expect(a.extras!.counts.read).toBe(rows.length);
        expect(a.extras!.counts.billed + a.extras!.counts.rejected + a.extras!.counts.outside).toBe(rows.length);
      }),
      runs(120),
    );
  });
});
