/**
 * fast-check generators for the property tests of issue #6: price lists (as YAML text,
 * with the model they were written from) and usage (as CSV rows, with what each row is).
 *
 * Prices are decimal strings built from integers and a scale, never from JS floats,
 * and lean towards values that put line amounts on exact rounding ties (0.05 × 6 s is
 * half a cent), so the rounding properties are not vacuous.
 */
import fc from 'fast-check';

export const CURRENCIES = [
  { code: 'EUR', minor: 2 },
  { code: 'JPY', minor: 0 },
  { code: 'BHD', minor: 3 },
] as const;
export type GenCurrency = (typeof CURRENCIES)[number];

const ZONES = ['UTC', 'Europe/Lisbon', 'America/New_York', 'Asia/Kolkata'] as const;

/** A non-negative decimal text from an integer and a scale: 5 and 2 → "0.05". */
function decimalText(units: number, scale: number): string {
  if (scale === 0) return String(units);
  const s = String(units).padStart(scale + 1, '0');
  return `${s.slice(0, -scale)}.${s.slice(-scale)}`;
}

/** A rate: whole, cents, or finer (0.015), often tie-prone (ends in 5). */
const rateArb: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 4 })).map(([u, s]) => decimalText(u, s)),
  fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 3 })).map(([u, s]) => decimalText(u * 10 + 5, s + 1)),
  fc.constantFrom('0.05', '0.5', '0.25', '0.015', '0.85', '1.5', '0.125', '2.5'),
);

/** A fixed amount: a whole number of minor units (SPEC §3), > 0 when `positive`. */
function amountArb(minor: number, positive: boolean): fc.Arbitrary<string> {
  return fc.integer({ min: positive ? 1 : 0, max: 50_000 }).map((u) => decimalText(u, minor));
}

export interface GenIncrement {
  first: number;
  next: number;
}
export interface GenChannel {
  kind: 'flat' | 'graduated' | 'volume';
  perMinute: string;
  steps: Array<{ upToMinutes: number | null; perMinute: string }>;
  increment: GenIncrement;
  perContact: string | null;
}
export interface GenBand {
  name: string;
  yaml: string;
}
export interface GenVersion {
  effectiveFrom: string;
  voice: GenChannel | null;
  chat: GenChannel | null;
  bands: GenBand[];
  holidays: string[];
  diversion: { fee: string; mobile: { perMinute: string; increment: GenIncrement } | null; international: { increment: GenIncrement; destinations: Record<string, string>; defaultPerMinute: string | null } | null } | null;
  sla: { within: number; target: number; voiceMax: number | null; chatMax: number | null; perMiss: string; cap: string | null } | null;
  minimum: string | null;
}
export interface GenPrices {
  currency: GenCurrency;
  rounding: 'half-up' | 'half-even';
  timezone: string;
  tax: string | null;
  /** SPEC §11: each listed customer's own rule ('none', or a rate with maybe a note); absent = the price list's. */
  customerTax: Record<string, GenTax | 'none' | undefined>;
  versions: GenVersion[];
  yaml: string;
}
export interface GenTax {
  rate: string;
  note: string | null;
}

const customerTaxArb: fc.Arbitrary<GenTax | 'none' | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.constant('none' as const),
  fc.record({ rate: fc.constantFrom('0', '22', '5.5', '16', '100'), note: fc.option(fc.constantFrom('Reverse charge: VAT due by the recipient (Art. 196, Directive 2006/112/EC)', '=not a formula, "quoted"'), { nil: null }) }),
);

const incrementArb: fc.Arbitrary<GenIncrement> = fc.record({
  first: fc.constantFrom(1, 6, 30, 60, 90),
  next: fc.constantFrom(1, 6, 30, 60),
});

const channelArb: fc.Arbitrary<GenChannel> = fc.record({
  kind: fc.constantFrom('flat', 'flat', 'graduated', 'volume'),
  perMinute: rateArb,
  steps: fc.tuple(fc.uniqueArray(fc.integer({ min: 1, max: 60 }), { minLength: 0, maxLength: 2 }), fc.array(rateArb, { minLength: 3, maxLength: 3 })).map(([bounds, prices]) => {
    const sorted = [...bounds].sort((a, b) => a - b);
    return [...sorted.map((b, i) => ({ upToMinutes: b, perMinute: prices[i]! })), { upToMinutes: null, perMinute: prices[2]! }];
  }),
  increment: incrementArb,
  perContact: fc.option(rateArb, { nil: null }),
});

const BANDS: readonly GenBand[] = [
  { name: 'holiday', yaml: '{ name: holiday, holidays: true, surcharge_per_minute: RATE }' },
  { name: 'weekend', yaml: '{ name: weekend, days: [sat, sun], surcharge_per_minute: RATE }' },
  { name: 'after-hours', yaml: '{ name: after-hours, days: [mon, tue, wed, thu, fri], from: "20:00", to: "08:00", surcharge_per_minute: RATE }' },
  { name: 'lunch', yaml: '{ name: lunch, from: "12:00", to: "14:00", channels: [voice], surcharge_per_minute: RATE }' },
];

function versionArb(effectiveFrom: string, minor: number): fc.Arbitrary<GenVersion> {
  return fc.record({
    effectiveFrom: fc.constant(effectiveFrom),
    voice: fc.option(channelArb, { nil: null, freq: 6 }),
    chat: fc.option(channelArb, { nil: null, freq: 6 }),
    bands: fc.tuple(fc.subarray([...BANDS]), fc.array(rateArb, { minLength: 4, maxLength: 4 })).map(([bs, rates]) => bs.map((b, i) => ({ name: b.name, yaml: b.yaml.replace('RATE', rates[i]!) }))),
    holidays: fc.subarray(['2026-10-05', '2026-10-12', '2026-10-31']),
    diversion: fc.option(
      fc.record({
        fee: amountArb(minor, true),
        mobile: fc.option(fc.record({ perMinute: rateArb, increment: incrementArb }), { nil: null, freq: 4 }),
        international: fc.option(
          fc.record({
            increment: incrementArb,
            destinations: fc.record({ '44': rateArb, '1': rateArb, '1242': rateArb }),
            defaultPerMinute: fc.option(rateArb, { nil: null, freq: 3 }),
          }),
          { nil: null, freq: 4 },
        ),
      }),
      { nil: null, freq: 3 },
    ),
    sla: fc.option(
      fc.record({
        within: fc.integer({ min: 5, max: 40 }),
        target: fc.integer({ min: 50, max: 95 }),
        voiceMax: fc.option(fc.integer({ min: 10, max: 60 }), { nil: null }),
        chatMax: fc.option(fc.integer({ min: 10, max: 90 }), { nil: null }),
        perMiss: fc.constantFrom('2.5', '5', '7', '10'),
        cap: fc.option(fc.constantFrom('10', '15', '12.5'), { nil: null }),
      }),
      { nil: null, freq: 3 },
    ),
    minimum: fc.option(amountArb(minor, false), { nil: null, freq: 3 }),
  });
}

function channelYaml(c: GenChannel): string {
  const inc = `increment: { first: ${c.increment.first}, next: ${c.increment.next} }`;
  const pc = c.perContact === null ? '' : `, per_contact: ${c.perContact}`;
  if (c.kind === 'flat') return `{ per_minute: ${c.perMinute}, ${inc}${pc} }`;
  const steps = c.steps.map((s) => (s.upToMinutes === null ? `{ per_minute: ${s.perMinute} }` : `{ up_to_minutes: ${s.upToMinutes}, per_minute: ${s.perMinute} }`)).join(', ');
  return `{ ${inc}${pc}, tiers: { mode: ${c.kind}, steps: [${steps}] } }`;
}

function versionYaml(v: GenVersion): string {
  const out = [`      - effective_from: ${v.effectiveFrom}`];
  if (v.voice) out.push(`        voice: ${channelYaml(v.voice)}`);
  if (v.chat) out.push(`        chat: ${channelYaml(v.chat)}`);
  if (v.bands.length) out.push(`        bands: [${v.bands.map((b) => b.yaml).join(', ')}]`);
  if (v.holidays.length) out.push(`        holidays: [${v.holidays.join(', ')}]`);
  if (v.diversion) {
    out.push('        diversion:', `          fee: ${v.diversion.fee}`);
    const m = v.diversion.mobile;
    if (m) out.push(`          mobile: { per_minute: ${m.perMinute}, increment: { first: ${m.increment.first}, next: ${m.increment.next} } }`);
    const i = v.diversion.international;
    if (i) {
      const dest = Object.entries(i.destinations).map(([k, r]) => `"${k}": ${r}`).join(', ');
      out.push(`          international: { increment: { first: ${i.increment.first}, next: ${i.increment.next} }, destinations: { ${dest} }${i.defaultPerMinute === null ? '' : `, default_per_minute: ${i.defaultPerMinute}`} }`);
    }
  }
  if (v.sla) {
    const s = v.sla;
    out.push('        sla:', `          service_level: { answer_within_seconds: ${s.within}, target_percent: ${s.target} }`);
    const max = [s.voiceMax === null ? '' : `voice: ${s.voiceMax}`, s.chatMax === null ? '' : `chat: ${s.chatMax}`].filter(Boolean).join(', ');
    if (max) out.push(`          max_average_response_seconds: { ${max} }`);
    out.push(`          credit_percent_per_miss: ${s.perMiss}`);
    if (s.cap !== null) out.push(`          credit_cap_percent: ${s.cap}`);
  }
  if (v.minimum !== null) out.push(`        minimum_monthly: ${v.minimum}`);
  return out.join('\n');
}

/** Customers listed in every generated price list; usage also uses an unlisted one (default_plan). */
const LISTED = [
  { id: 'ACME', name: 'Acme Insurance Ltd' },
  { id: '=HYPERLINK("x")', name: 'Formula, "Quoted" & Co' },
  { id: 'B-2', name: '+44 Trading' },
] as const;
const CUSTOMERS = [...LISTED.map((c) => c.id), 'UNLISTED'] as const;

export const pricesArb: fc.Arbitrary<GenPrices> = fc
  .record({
    currency: fc.constantFrom(...CURRENCIES),
    rounding: fc.constantFrom('half-up' as const, 'half-even' as const),
    timezone: fc.constantFrom(...ZONES),
    tax: fc.option(fc.constantFrom('23', '7.5', '19.6', '0', '10'), { nil: null }),
    midMonthVersion: fc.boolean(),
    customerTax: fc.tuple(...LISTED.map(() => customerTaxArb)),
  })
  .chain((h) =>
    fc.tuple(versionArb('2026-01-01', h.currency.minor), h.midMonthVersion ? fc.option(versionArb('2026-10-15', h.currency.minor), { nil: null }) : fc.constant(null)).map(([v1, v2]) => {
      const versions = v2 ? [v1, v2] : [v1];
      const customerTax: GenPrices['customerTax'] = {};
      LISTED.forEach((c, i) => (customerTax[c.id] = h.customerTax[i]));
      const taxYaml = (t: GenTax | 'none' | undefined): string =>
        t === undefined ? '' : t === 'none' ? ', tax: none' : `, tax: { name: OWN, rate: ${t.rate}${t.note === null ? '' : `, note: ${JSON.stringify(t.note)}`} }`;
      const customers = LISTED.map((c) => `  ${JSON.stringify(c.id)}: { name: ${JSON.stringify(c.name)}, plan: p${taxYaml(customerTax[c.id])} }`).join('\n');
      const yaml = [
        `currency: ${h.currency.code}`,
        `timezone: ${h.timezone}`,
        `rounding: ${h.rounding}`,
        h.tax === null ? '' : `tax: { name: VAT, rate: ${h.tax} }`,
        'default_plan: p',
        'customers:',
        customers,
        'plans:',
        '  p:',
        '    versions:',
        ...versions.map(versionYaml),
        '',
      ]
        .filter((l) => l !== '')
        .join('\n') + '\n';
      return { currency: h.currency, rounding: h.rounding, timezone: h.timezone, tax: h.tax, customerTax, versions, yaml };
    }),
  );

export interface GenRow {
  recordId: string;
  customerId: string;
  channel: string;
  startedAt: string;
  duration: string;
  response: string;
  status: string;
  diversion: string;
  destination: string;
  divertedSeconds: string;
  /** Where the row was made to fall: inside October 2026 (local), outside it, or a bad cell. */
  kind: 'october' | 'outside' | 'bad';
}

const HEADER = ['record_id', 'customer_id', 'channel', 'started_at', 'duration_seconds', 'response_seconds', 'status', 'diversion', 'destination', 'diverted_seconds'];

const two = (n: number) => String(n).padStart(2, '0');

const rowArb: fc.Arbitrary<Omit<GenRow, 'recordId'>> = fc
  .record({
    customerId: fc.constantFrom(...CUSTOMERS),
    channel: fc.constantFrom('voice', 'voice', 'chat', 'Voice'),
    kind: fc.constantFrom('october', 'october', 'october', 'october', 'october', 'october', 'outside', 'bad') as fc.Arbitrary<GenRow['kind']>,
    // days 2–30 keep a row inside October in every zone of ±14 h; outside rows are far from its edges
    day: fc.integer({ min: 2, max: 30 }),
    outsideDate: fc.constantFrom('2026-09-12', '2026-11-18'),
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    form: fc.constantFrom('Z', '', ' ', '+01:00'),
    duration: fc.oneof(fc.integer({ min: 0, max: 4000 }).map(String), fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => `${a}.${b}`)),
    response: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 120 }).map(String), fc.constant('12.345')),
    status: fc.constantFrom('', 'answered', 'answered', 'abandoned'),
    diversion: fc.constantFrom('', '', '', 'none', 'mobile', 'international'),
    destination: fc.constantFrom('+44 20 7946 0000', '+1 (242) 555-0100', '001 555 0100', '+61 2 9374 4000'),
    divertedSeconds: fc.oneof(fc.constant(''), fc.integer({ min: 0, max: 3000 }).map(String)),
  })
  .map((r) => {
    const date = r.kind === 'outside' ? r.outsideDate : `2026-10-${two(r.day)}`;
    const time = `${two(r.hour)}:${two(r.minute)}:00`;
    const startedAt = r.form === ' ' ? `${date} ${time}` : `${date}T${time}${r.form}`;
    return {
      customerId: r.customerId,
      channel: r.kind === 'bad' ? 'fax' : r.channel,
      startedAt,
      duration: r.duration,
      response: r.response,
      status: r.status,
      diversion: r.diversion,
      destination: r.diversion === 'international' ? r.destination : '',
      divertedSeconds: r.diversion === '' || r.diversion === 'none' ? '' : r.divertedSeconds,
      kind: r.kind,
    };
  });

/** Usage rows with unique record ids (a duplicate would make the billed row depend on order). */
export function usageArb(maxRows = 40): fc.Arbitrary<GenRow[]> {
  return fc.array(rowArb, { minLength: 0, maxLength: maxRows }).map((rows) => rows.map((r, i) => ({ ...r, recordId: `r${String(i).padStart(4, '0')}` })));
}

function cell(v: string): string {
  return /[",\r\n]/.test(v) || v !== v.trim() ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A row's cells in HEADER order. */
function rowValues(r: GenRow): string[] {
  return [r.recordId, r.customerId, r.channel, r.startedAt, r.duration, r.response, r.status, r.diversion, r.destination, r.divertedSeconds];
}

function rowCsv(r: GenRow): string {
  return rowValues(r).map(cell).join(',') + '\n';
}

/** The same rows with the columns in reverse order (SPEC §2: columns are found by name). */
export function reversedCsv(rows: readonly GenRow[]): string {
  return [[...HEADER].reverse(), ...rows.map((r) => rowValues(r).reverse())].map((cells) => cells.map(cell).join(',') + '\n').join('');
}

export function usageCsv(rows: readonly GenRow[]): string {
  return HEADER.join(',') + '\n' + rows.map(rowCsv).join('');
}
