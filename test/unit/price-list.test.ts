import { HEAD, priceErrors, prices } from '../helpers/prices';

const V = `plans:
  standard:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
`;

describe('parsePriceList: exact decimals from the source text', () => {
  it('reads a plain 0.1 and a quoted "0.1" as the same exact price', () => {
    const a = prices(HEAD + V).plans.get('standard')!.versions[0]!.voice!.pricing;
    const b = prices(HEAD + V.replace('0.1', '"0.1"')).plans.get('standard')!.versions[0]!.voice!.pricing;
    expect(a.kind === 'flat' && a.perMinute.toFixed()).toBe('0.1');
    expect(b.kind === 'flat' && b.perMinute.toFixed()).toBe('0.1');
  });
  it('keeps digits a float would lose', () => {
    const p = prices(HEAD + V.replace('0.1', '0.10000000000000000000001')).plans.get('standard')!.versions[0]!.voice!.pricing;
    expect(p.kind === 'flat' && p.perMinute.toFixed()).toBe('0.10000000000000000000001');
  });
  it('reads the spec example with defaults', () => {
    const p = prices(HEAD + 'tax: { name: VAT, rate: 23 }\ndefault_plan: standard\ncustomers:\n  ACME: { name: "Acme", plan: standard }\n' + V);
    expect(p.currency).toEqual({ code: 'EUR', minor: 2 });
    expect(p.tax?.rate.toFixed()).toBe('23');
    expect(p.paymentTermsDays).toBe(0);
    expect(p.invoiceNumber).toBe('{customer}-{period}');
    expect(p.customers.get('ACME')).toEqual({ id: 'ACME', name: 'Acme', plan: 'standard', billing: null });
    // 2026-01-01 00:00 in Lisbon (WET, +00:00)
    expect(new Date(p.plans.get('standard')!.versions[0]!.fromMs).toISOString()).toBe('2026-01-01T00:00:00.000Z');
  });
  it('follows merge keys', () => {
    const p = prices(
      HEAD +
        `plans:
  standard:
    versions:
      - &base
        effective_from: 2026-01-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
      - <<: *base
        effective_from: 2026-02-01
`,
    );
    expect(p.plans.get('standard')!.versions.map((v) => v.effectiveFrom)).toEqual(['2026-01-01', '2026-02-01']);
  });
});

describe('parsePriceList: every problem at once, located', () => {
  it('reports unknown keys, negative prices, bad currency and zone together', () => {
    const errs = priceErrors(`currency: EUX
timezone: Europe/Lisbn
rounding: half-up
colour: blue
plans:
  standard:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: -0.1, increment: { first: 60, next: 6 } }
`);
    expect(errs).toEqual([
      '1:11: currency: unknown ISO 4217 code "EUX"',
      '2:11: timezone: unknown IANA time zone "Europe/Lisbn"',
      '4:1: price list: unknown key "colour" (expected one of: currency, timezone, rounding, tax, payment_terms_days, invoice_number, credit_note_number, default_plan, unlisted_customers, customers, plans, seller, documents)',
      '9:30: plans.standard.versions[0].voice.per_minute: must not be negative (found -0.1)',
    ]);
  });
  it('reports versions out of order or on the same date', () => {
    const errs = priceErrors(
      HEAD +
        `plans:
  p:
    versions:
      - effective_from: 2026-02-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
      - effective_from: 2026-01-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
`,
    );
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatch(/^9:25: plans\.p\.versions\[1\]\.effective_from: 2026-01-01 must be later than the version before it \(2026-02-01\)/);
  });
  it('reports a duplicate YAML key', () => {
    const errs = priceErrors(HEAD + 'rounding: half-even\n' + V);
    expect(errs[0]).toMatch(/^4:1: YAML: Map keys must be unique/);
  });
  it('refuses a fee that is not whole minor units of the currency (JPY)', () => {
    const errs = priceErrors(
      HEAD.replace('EUR', 'JPY') +
        `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        diversion: { fee: 25.50 }
`,
    );
    expect(errs).toEqual(['8:27: plans.p.versions[0].diversion.fee: 25.5 is not a whole number of JPY minor units (0 decimals)']);
  });
  it('refuses an unknown plan named by a customer and by default_plan', () => {
    const errs = priceErrors(HEAD + 'default_plan: gold\ncustomers:\n  ACME: { plan: silver }\n' + V);
    expect(errs).toEqual(['4:15: default_plan: unknown plan "gold"', '6:17: customers.ACME.plan: unknown plan "silver"']);
  });
  it('stops an alias bomb made of merge keys instead of expanding it', () => {
    // each level merges the one below ten times: 10^12 key visits if followed naively
    const lines = ['m0: &m0 { effective_from: 2026-01-01 }'];
    for (let i = 1; i <= 12; i++) lines.push(`m${i}: &m${i} { <<: [${Array(10).fill(`*m${i - 1}`).join(', ')}] }`);
    const doc = HEAD + lines.map((l, i) => (i === 0 ? `x0: ${l.slice(4)}` : `x${i}: ${l.slice(l.indexOf(':') + 2)}`)).join('\n') + '\nplans:\n  p:\n    versions:\n      - *m12\n';
    // followed naively this would not end in any test's time limit; it must be refused as a bomb
    const errs = priceErrors(doc);
    expect(errs.some((e) => /alias bomb/.test(e))).toBe(true);
  });
  it('does not expand aliases where it need not look (10,000 aliases of a list)', () => {
    const doc = HEAD + 'a: &a [1, 2, 3]\nb: [' + Array(10000).fill('*a').join(', ') + ']\n' + V;
    const errs = priceErrors(doc);
    expect(errs).toEqual(['4:1: price list: unknown key "a" (expected one of: currency, timezone, rounding, tax, payment_terms_days, invoice_number, credit_note_number, default_plan, unlisted_customers, customers, plans, seller, documents)', '5:1: price list: unknown key "b" (expected one of: currency, timezone, rounding, tax, payment_terms_days, invoice_number, credit_note_number, default_plan, unlisted_customers, customers, plans, seller, documents)']);
  });
  it('checks tiers: increasing bounds, only the last unbounded, not with per_minute', () => {
    const errs = priceErrors(
      HEAD +
        `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        chat:
          increment: { first: 30, next: 30 }
          per_minute: 0.5
          tiers:
            mode: graduated
            steps:
              - { up_to_minutes: 100, per_minute: 0.6 }
              - { up_to_minutes: 50, per_minute: 0.5 }
              - { per_minute: 0.4 }
      - effective_from: 2026-02-01
        chat:
          increment: { first: 30, next: 30 }
          tiers:
            mode: volume
            steps:
              - { per_minute: 0.6 }
              - { up_to_minutes: 50, per_minute: 0.5 }
`,
    );
    expect(errs).toEqual([
      '11:11: plans.p.versions[0].chat: has both per_minute and tiers; a channel has one or the other',
      '23:17: plans.p.versions[1].chat.tiers.steps[0]: only the last step may have no up_to_minutes',
      '24:19: plans.p.versions[1].chat.tiers.steps[1]: the last step must have no up_to_minutes (it takes everything above the step before it)',
    ]);
  });
  it('checks bands: day names, HH:MM, from/to together, names usable in codes', () => {
    const errs = priceErrors(
      HEAD +
        `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.1, increment: { first: 60, next: 6 } }
        bands:
          - { name: Night Shift, days: [monday], from: "25:00", to: "08:00", surcharge_per_minute: 0.2 }
          - { name: late, from: "20:00", surcharge_per_minute: 0.2 }
`,
    );
    expect(errs).toEqual([
      '10:21: plans.p.versions[0].bands[0].name: "Night Shift" cannot be part of a line code; use lower-case letters, digits, - and _ (up to 40)',
      '10:41: plans.p.versions[0].bands[0].days: expected one of sun, mon, tue, wed, thu, fri, sat, found "monday"',
      '10:56: plans.p.versions[0].bands[0].from: expected a local time HH:MM (00:00 to 23:59), found "25:00"',
      '11:13: plans.p.versions[0].bands[1]: from and to come together',
    ]);
  });
  it('checks diversion: fee > 0, digit prefixes, rates ≥ 0', () => {
    const errs = priceErrors(
      HEAD +
        `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        diversion:
          fee: 0
          international:
            increment: { first: 60, next: 60 }
            destinations: { "44": 0.05, "+1": 0.02, "351": -0.04 }
`,
    );
    expect(errs).toEqual([
      '9:16: plans.p.versions[0].diversion.fee: must be greater than 0 (found 0)',
      '12:41: plans.p.versions[0].diversion.international.destinations: prefix "+1" must be 1 to 15 digits (quote it to keep leading zeros)',
      '12:60: plans.p.versions[0].diversion.international.destinations.351: must not be negative (found -0.04)',
    ]);
  });
  it('treats __proto__, constructor and toString as ordinary names', () => {
    const p = prices(HEAD + 'default_plan: __proto__\ncustomers:\n  constructor: { plan: __proto__ }\n  toString: { plan: __proto__ }\n' + V.replace('standard', '__proto__'));
    expect(p.customers.get('constructor')?.plan).toBe('__proto__');
    expect(p.plans.get('__proto__')?.versions).toHaveLength(1);
  });
});
