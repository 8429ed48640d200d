import fc from 'fast-check';
import type { RatedRecord } from '../../src/rating/rate-record';
import type { GenPrices, GenRow, GenVersion } from './arbitraries';
import { pricesArb, reversedCsv, usageArb, usageCsv } from './arbitraries';
import type { JsonInvoice, JsonRun, Mode } from './oracle';
import { billRun, D, isTie, moneyText, roundBy } from './oracle';

/**
 * Issue #6, item 1: the invariants of a bill, on generated price lists (EUR, JPY and
 * BHD; both rounding modes; flat, graduated and volume channels; bands, diversion, SLA,
 * minimum, tax; one version or a mid-month change) and generated usage (answered,
 * abandoned, diverted, outside the month, bad rows). Expected values come from the
 * generated model and the test's own decimal arithmetic (oracle.ts), never from src/.
 */

const RUNS = Number(process.env.PROPERTY_RUNS ?? 0) || undefined;
const runs = (n: number) => ({ numRuns: RUNS ?? n });

const zero = () => new D(0);
const sum = (xs: readonly string[]) => xs.reduce((s, x) => s.plus(x), zero());
const USAGE_CODES = /^(voice|chat)\.(usage|contacts|surcharge\..+)$/;

/** The version in effect at the start of a local date (SPEC §4.1): dates compare as text. */
function versionOn(p: GenPrices, isoDate: string): GenVersion | null {
  let v: GenVersion | null = null;
  for (const x of p.versions) if (x.effectiveFrom <= isoDate) v = x;
  return v;
}

function checkInvoice(inv: JsonInvoice, p: GenPrices): void {
  const m = p.currency.minor;
  const mode: Mode = p.rounding;
  const money = new RegExp(m === 0 ? '^-?[0-9]+$' : `^-?[0-9]+\\.[0-9]{${m}}$`);
  for (const a of [inv.subtotal, inv.tax, inv.total, ...inv.lines.map((l) => l.amount)]) expect(a).toMatch(money);

  // every figure is the sum of the rounded figures under it (SPEC §4.5)
  expect(moneyText(sum(inv.lines.map((l) => l.amount)), m)).toBe(inv.subtotal);
  expect(moneyText(new D(inv.subtotal).plus(inv.tax), m)).toBe(inv.total);
  // SPEC §11: the customer's own rule, else the price list's; the invoice names the one applied
  const own = p.customerTax[inv.customer_id];
  const rule = own === 'none' ? null : own !== undefined ? { name: 'OWN', rate: own.rate, note: own.note } : p.tax === null ? null : { name: 'VAT', rate: p.tax, note: null };
  expect([inv.tax_name, inv.tax_rate, inv.tax_note]).toEqual(rule === null ? [null, null, null] : [rule.name, new D(rule.rate).toFixed(), rule.note]);
  const rate = rule === null ? zero() : new D(rule.rate);
  expect(inv.tax).toBe(moneyText(roundBy(new D(inv.subtotal).times(rate).div(100), m, mode), m));

  const usage = inv.lines.filter((l) => USAGE_CODES.test(l.code));
  const U = sum(usage.map((l) => l.amount));
  for (const l of inv.lines) {
    switch (l.unit) {
      case 'minute': {
        // a line is rounded once, from its exact price × seconds / 60 (SPEC §4.3)
        expect(l.seconds).not.toBeNull();
        expect(l.amount).toBe(moneyText(roundBy(new D(l.unit_price).times(l.seconds!).div(60), m, mode), m));
        expect(new D(l.quantity).eq(roundBy(new D(l.seconds!).div(60), 4, 'half-up'))).toBe(true);
        break;
      }
      case 'contact':
        expect(l.seconds).toBeNull();
        expect(l.amount).toBe(moneyText(roundBy(new D(l.unit_price).times(l.quantity), m, mode), m));
        break;
      case 'fee':
        expect(l.code).toBe('diversion.fee');
        expect(p.versions.some((v) => v.diversion !== null && new D(v.diversion.fee).eq(l.unit_price))).toBe(true);
        expect(l.amount).toBe(moneyText(new D(l.unit_price).times(l.quantity), m));
        break;
      case 'item':
        expect(l.quantity).toBe('1');
        expect(l.unit_price).toBe(l.amount);
        if (l.code === 'sla.credit') {
          expect(new D(l.amount).isNegative()).toBe(true);
          expect(l.amount).toBe(moneyText(roundBy(U.times(inv.sla.credit_percent).div(100).neg(), m, mode), m));
        } else {
          expect(l.code).toBe('minimum.shortfall');
          const min = versionOn(p, inv.period.end)!.minimum!;
          expect(U.lt(min)).toBe(true);
          expect(l.amount).toBe(moneyText(new D(min).minus(U), m));
        }
        break;
      default:
        throw new Error(`unexpected unit ${l.unit}`);
    }
  }
  // a minimum not reached always shows its shortfall
  const min = versionOn(p, inv.period.end)?.minimum ?? null;
  expect(inv.lines.some((l) => l.code === 'minimum.shortfall')).toBe(min !== null && U.lt(min));

  // the prepaid ledger (SPEC §4.4): closing = opening + fees charged − transfer costs drawn, never negative
  const d = inv.diversion;
  const fees = sum(inv.lines.filter((l) => l.code === 'diversion.fee').map((l) => l.amount));
  const costs = new D(d.mobile.cost).plus(d.international.cost);
  expect(moneyText(new D(d.opening_balance).plus(fees).minus(costs), m)).toBe(d.closing_balance);
  expect(new D(d.closing_balance).isNegative()).toBe(false);
  const feeVersions = p.versions.filter((v) => v.diversion !== null);
  if (feeVersions.length === 1 && d.fees_charged > 0) {
    // one fee price: no block more than needed (blocks = ceil((costs − opening) / fee))
    expect(new D(d.closing_balance).lt(feeVersions[0]!.diversion!.fee)).toBe(true);
  }
}

describe('every invoice adds up (SPEC §4.5, §4.6)', () => {
  it('lines sum to the subtotal, subtotal + tax = total, each line rounded once from its exact value; totals per currency', () => {
    fc.assert(
      fc.property(pricesArb, usageArb(), fc.boolean(), (p, rows, withPeriod) => {
        const { json } = billRun(p.yaml, [usageCsv(rows)], { period: withPeriod ? '2026-10' : undefined });
        for (const inv of json.invoices) checkInvoice(inv, p);
        const t = json.totals[p.currency.code];
        if (json.invoices.length === 0) expect(t).toBeUndefined();
        else {
          const m = p.currency.minor;
          expect(t).toEqual({
            subtotal: moneyText(sum(json.invoices.map((i) => i.subtotal)), m),
            tax: moneyText(sum(json.invoices.map((i) => i.tax)), m),
            total: moneyText(sum(json.invoices.map((i) => i.total)), m),
          });
        }
      }),
      runs(80),
    );
  });
});

describe('every row is accounted for (SPEC §6)', () => {
  it('records_read = billed + rejected + outside, with the rows generated outside the month counted as outside', () => {
    fc.assert(
      fc.property(pricesArb, usageArb(), (p, rows) => {
        const c = billRun(p.yaml, [usageCsv(rows)], { period: '2026-10' }).json.control;
        expect(c.records_read).toBe(rows.length);
        expect(c.records_billed + c.records_rejected + c.records_outside_period).toBe(c.records_read);
        expect(c.records_outside_period).toBe(rows.filter((r) => r.kind === 'outside').length);
        expect(c.records_rejected).toBeGreaterThanOrEqual(rows.filter((r) => r.kind === 'bad').length);
      }),
      runs(80),
    );
  });
});

describe('the bill does not depend on how the usage is cut or ordered', () => {
  it('shuffling rows, splitting one file into two, or folding in merged chunks (as worker threads do) gives the same JSON', () => {
    fc.assert(
      fc.property(
        pricesArb,
        usageArb(50).chain((rows) => fc.tuple(fc.constant(rows), fc.shuffledSubarray(rows, { minLength: rows.length, maxLength: rows.length }), fc.integer({ min: 0, max: rows.length }), fc.integer({ min: 2, max: 5 }))),
        fc.boolean(),
        (p, [rows, shuffled, cut, chunks], withPeriod) => {
          const period = withPeriod ? '2026-10' : undefined;
          const one = billRun(p.yaml, [usageCsv(rows)], { period }).text;
          expect(billRun(p.yaml, [usageCsv(shuffled)], { period }).text).toBe(one);
          expect(billRun(p.yaml, [usageCsv(shuffled.slice(0, cut)), usageCsv(shuffled.slice(cut))], { period }).text).toBe(one);
          // a file may carry its columns in another order: the second file's are reversed
          expect(billRun(p.yaml, [usageCsv(shuffled.slice(0, cut)), reversedCsv(shuffled.slice(cut))], { period }).text).toBe(one);
          expect(billRun(p.yaml, [usageCsv(shuffled)], { period, chunks }).text).toBe(one);
        },
      ),
      runs(50),
    );
  });
});

describe('half-even and half-up (SPEC §3 rounding)', () => {
  const TIE_RUNS = RUNS ?? 80;
  let ties = 0;
  let lines = 0;
  afterAll(() => {
    // the property is only worth something if ties were met: the generators aim for them.
    // Measured: about 3.3 comparable lines and 0.4 ties per run, and ties come in clusters
    // (one generated price list gives many or none), so a run of 80 has met as few as 18.
    // The bounds scale with the number of runs and sit far below those rates: 1 line and
    // 0.1 tie per run.
    expect(lines).toBeGreaterThan(TIE_RUNS);
    expect(ties).toBeGreaterThan(TIE_RUNS / 10);
  });

  it('differ only on lines whose exact amount sits on half a minor unit, and there by the rule of each mode', () => {
    fc.assert(
      fc.property(pricesArb, usageArb(), (p, rows) => {
        const csv = usageCsv(rows);
        const up = billRun(p.yaml.replace(/^rounding: .*$/m, 'rounding: half-up'), [csv], { period: '2026-10' }).json;
        const even = billRun(p.yaml.replace(/^rounding: .*$/m, 'rounding: half-even'), [csv], { period: '2026-10' }).json;
        expect(even.invoices.map((i) => i.customer_id)).toEqual(up.invoices.map((i) => i.customer_id));
        const m = p.currency.minor;
        up.invoices.forEach((iu, k) => {
          const ie = even.invoices[k]!;
          // the usage, contact and surcharge lines do not depend on the mode, only their amounts
          const key = (l: (typeof iu.lines)[number]) => [l.code, l.description, l.seconds, l.quantity, l.unit, l.unit_price];
          const lu = iu.lines.filter((l) => USAGE_CODES.test(l.code));
          const le = ie.lines.filter((l) => USAGE_CODES.test(l.code));
          expect(le.map(key)).toEqual(lu.map(key));
          lu.forEach((a, i) => {
            const b = le[i]!;
            const exact = a.unit === 'minute' ? new D(a.unit_price).times(a.seconds!).div(60) : new D(a.unit_price).times(a.quantity);
            lines++;
            if (!isTie(exact, m)) {
              expect(b.amount).toBe(a.amount);
            } else {
              ties++;
              expect([a.amount, b.amount]).toEqual([moneyText(roundBy(exact, m, 'half-up'), m), moneyText(roundBy(exact, m, 'half-even'), m)]);
            }
          });
        });
      }),
      runs(TIE_RUNS),
    );
  });
});

/** SPEC §4.2 by hand: whole seconds (a fraction counts), then the increment rule. */
function billableOracle(r: GenRow, p: GenPrices): number | null {
  const local = localDate(r.startedAt, p.timezone);
  const v = versionOn(p, local);
  const ch = r.channel.toLowerCase() === 'voice' ? v?.voice : v?.chat;
  if (!ch) return null;
  if (r.status === 'abandoned') return 0;
  const [whole, frac] = r.duration.split('.');
  const d = Number(whole) + (frac !== undefined && /[1-9]/.test(frac) ? 1 : 0);
  const { first, next } = ch.increment;
  if (d === 0) return 0;
  if (d <= first) return first;
  return first + Math.ceil((d - first) / next) * next;
}

/** The local date of a started_at in a zone, by Intl (not src/time). */
function localDate(startedAt: string, zone: string): string {
  if (!/(Z|[+-]\d\d:\d\d)$/.test(startedAt)) return startedAt.slice(0, 10);
  return new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(startedAt));
}

describe('rating a record alone and inside its month', () => {
  it('gives it the same billable seconds — the increment rule of its version — and a lone record\'s invoice bills exactly those seconds', () => {
    fc.assert(
      fc.property(pricesArb, usageArb(25), (p, rows) => {
        const inMonth = new Map<string, RatedRecord>();
        billRun(p.yaml, [usageCsv(rows)], { period: '2026-10', onRated: (rr) => inMonth.set(rr.record.recordId, rr) });
        for (const r of rows.filter((x) => x.kind === 'october')) {
          const rr = inMonth.get(r.recordId);
          const expected = billableOracle(r, p);
          if (expected === null) {
            expect(rr).toBeUndefined();
            continue;
          }
          let alone: RatedRecord | undefined;
          const single = billRun(p.yaml, [usageCsv([r])], { period: '2026-10', onRated: (x) => (alone = x) }).json;
          if (rr === undefined) {
            // rejected for its diversion (no such prices in its version): alone too
            expect(alone).toBeUndefined();
            expect(r.diversion === 'mobile' || r.diversion === 'international').toBe(true);
            continue;
          }
          expect([r.recordId, rr.billableSeconds]).toEqual([r.recordId, expected]);
          expect([r.recordId, alone!.billableSeconds, alone!.diversion?.seconds]).toEqual([r.recordId, rr.billableSeconds, rr.diversion?.seconds]);
          if (r.status !== 'abandoned') {
            const inv = single.invoices.find((i) => i.customer_id === r.customerId)!;
            const usageSeconds = inv.lines.filter((l) => /^(voice|chat)\.usage$/.test(l.code)).reduce((s, l) => s + l.seconds!, 0);
            expect(usageSeconds).toBe(expected);
          }
        }
      }),
      runs(40),
    );
  });
});

export type { JsonRun };
