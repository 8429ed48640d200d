import { bill, CSV_HEAD, lines } from '../helpers/bill';
import { HEAD } from '../helpers/prices';

const tierPrices = (mode: 'graduated' | 'volume', v1 = '') =>
  HEAD +
  `default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        chat:
          increment: { first: 1, next: 1 }
${v1 || `          tiers:
            mode: ${mode}
            steps:
              - { up_to_minutes: 10, per_minute: 1.00 }
              - { up_to_minutes: 20, per_minute: 0.50 }
              - { per_minute: 0.25 }`}
      - effective_from: 2026-10-15
        chat:
          increment: { first: 1, next: 1 }
          tiers:
            mode: ${mode}
            steps:
              - { up_to_minutes: 10, per_minute: 0.90 }
              - { up_to_minutes: 20, per_minute: 0.45 }
              - { per_minute: 0.20 }
`;

const chat = (id: string, at: string, s: number) => `${id},C,chat,${at},${s},,,,,\n`;

describe('tiers across a mid-month version change (SPEC §4.3)', () => {
  const csv = CSV_HEAD + chat('a', '2026-10-01T10:00:00Z', 900) + chat('b', '2026-10-20T10:00:00Z', 1200);
  it('graduated: each version fills the running count from where the earlier left it', () => {
    // v1 takes seconds 0–900: 600 at 1.00 (10.00) and 300 at 0.50 (2.50);
    // v2 takes 900–2100: 300 at its 0.45 (2.25) and 900 at its 0.20 (3.00)
    const inv = bill(tierPrices('graduated'), csv, { period: '2026-10' }).invoices[0]!;
    expect(lines(inv)).toEqual([
      ['chat.usage', 600, '10.00'],
      ['chat.usage', 300, '2.50'],
      ['chat.usage', 300, '2.25'],
      ['chat.usage', 900, '3.00'],
    ]);
    expect(inv.lines.map((l) => l.description)).toEqual([
      'Chat, up to 10 min (from 2026-01-01)',
      'Chat, 11–20 min (from 2026-01-01)',
      'Chat, 11–20 min (from 2026-10-15)',
      'Chat, over 20 min (from 2026-10-15)',
    ]);
    expect(inv.subtotal.toFixed(2)).toBe('17.75');
  });
  it('volume: the period total (35 min) picks the step for every version, at each version\'s price', () => {
    const inv = bill(tierPrices('volume'), csv, { period: '2026-10' }).invoices[0]!;
    // 900 s × 0.25 / 60 = 3.75; 1200 s × 0.20 / 60 = 4.00
    expect(lines(inv)).toEqual([
      ['chat.usage', 900, '3.75'],
      ['chat.usage', 1200, '4.00'],
    ]);
  });
  it('volume: a total exactly on a bound belongs to that step (bounds are inclusive)', () => {
    const inv = bill(tierPrices('volume'), CSV_HEAD + chat('a', '2026-10-01T10:00:00Z', 1200), { period: '2026-10' }).invoices[0]!;
    expect(lines(inv)).toEqual([['chat.usage', 1200, '10.00']]);
  });
  it('graduated: a count ending exactly on a bound stays in that step', () => {
    const inv = bill(tierPrices('graduated'), CSV_HEAD + chat('a', '2026-10-01T10:00:00Z', 600), { period: '2026-10' }).invoices[0]!;
    expect(lines(inv)).toEqual([['chat.usage', 600, '10.00']]);
  });
  it('a version without tiers prices at its per_minute and still advances the count', () => {
    const inv = bill(tierPrices('graduated', '          per_minute: 2.00'), csv.replace(',1200,', ',600,'), { period: '2026-10' }).invoices[0]!;
    // v1 flat: 900 s × 2.00 / 60 = 30.00; v2's 600 s sit at 900–1500: 300 at 0.45 (2.25) and 300 at 0.20 (1.00)
    expect(lines(inv)).toEqual([
      ['chat.usage', 900, '30.00'],
      ['chat.usage', 300, '2.25'],
      ['chat.usage', 300, '1.00'],
    ]);
  });
});

const bandPrices =
  HEAD +
  `default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0, increment: { first: 60, next: 60 } }
        chat: { per_minute: 0, increment: { first: 60, next: 60 } }
        holidays: [2026-10-31]
        bands:
          - { name: holiday, holidays: true, surcharge_per_minute: 0.40 }
          - { name: sat-night, days: [sat], from: "22:00", to: "06:00", surcharge_per_minute: 0.50 }
          - { name: after-hours, days: [mon, tue, wed, thu, fri], from: "20:00", to: "08:00", channels: [voice], surcharge_per_minute: 0.20 }
`;

function bandOf(at: string, channel = 'voice'): string[] {
  const inv = bill(bandPrices, CSV_HEAD + `a,C,${channel},${at},60,,,,,\n`).invoices[0]!;
  return inv.lines.filter((l) => l.code.includes('surcharge')).map((l) => l.code);
}

describe('bands (SPEC §4.3), read on the local start time in Europe/Lisbon', () => {
  it('wraps midnight: Friday 23:00 and Tuesday 07:59 are after hours, 08:00 is not', () => {
    expect(bandOf('2026-10-02T23:00:00')).toEqual(['voice.surcharge.after-hours']);
    expect(bandOf('2026-10-06T07:59:00')).toEqual(['voice.surcharge.after-hours']);
    expect(bandOf('2026-10-06T08:00:00')).toEqual([]);
    expect(bandOf('2026-10-06T19:59:59')).toEqual([]);
  });
  it('takes the day of the start: Sunday 02:00 after a Saturday-night band is not in it', () => {
    expect(bandOf('2026-10-03T23:30:00')).toEqual(['voice.surcharge.sat-night']);
    expect(bandOf('2026-10-03T02:00:00')).toEqual(['voice.surcharge.sat-night']);
    expect(bandOf('2026-10-04T02:00:00')).toEqual([]);
  });
  it('first match wins: a holiday on a Saturday night is the holiday band', () => {
    expect(bandOf('2026-10-31T23:00:00')).toEqual(['voice.surcharge.holiday']);
  });
  it('honours channels: after-hours is voice only', () => {
    expect(bandOf('2026-10-02T23:00:00', 'chat')).toEqual([]);
  });
  it('reads local time correctly on the night clocks go back (2026-10-25, Sunday)', () => {
    // Saturday 2026-10-24 23:30Z is Sunday 00:30 WEST: not Saturday night any more
    expect(bandOf('2026-10-24T22:30:00Z')).toEqual(['voice.surcharge.sat-night']);
    expect(bandOf('2026-10-24T23:30:00Z')).toEqual([]);
    // Monday 2026-10-26 07:30Z is 07:30 WET (after-hours); the Friday before, 07:30Z was 08:30 WEST (not)
    expect(bandOf('2026-10-26T07:30:00Z')).toEqual(['voice.surcharge.after-hours']);
    expect(bandOf('2026-10-23T07:30:00Z')).toEqual([]);
  });
  it('adds the billable seconds to the band: 0.40 × 1 min', () => {
    const inv = bill(bandPrices, CSV_HEAD + 'a,C,voice,2026-10-31T10:00:00,5,,,,,\n').invoices[0]!;
    expect(lines(inv)).toEqual([
      ['voice.usage', 60, '0.00'],
      ['voice.surcharge.holiday', 60, '0.40'],
    ]);
  });
});

const slaPrices = (rounding = 'half-up', lastVersion = '') =>
  HEAD.replace('half-up', rounding) +
  `tax: { name: VAT, rate: 23 }
customers:
  C: { plan: p }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1.00, increment: { first: 1, next: 1 } }
        chat: { per_minute: 1.00, increment: { first: 30, next: 30 } }
        sla:
          service_level: { answer_within_seconds: 20, target_percent: 80 }
          max_average_response_seconds: { voice: 30, chat: 60 }
          credit_percent_per_miss: 5
          credit_cap_percent: 15
        minimum_monthly: 10.00
${lastVersion}`;

const slaCsv =
  CSV_HEAD +
  'v1,C,voice,2026-10-01T10:00:00Z,60,10,,,,\n' +
  'v2,C,voice,2026-10-01T11:00:00Z,60,25,,,,\n' +
  'v3,C,voice,2026-10-01T12:00:00Z,60,,,,,\n' +
  'v4,C,voice,2026-10-01T13:00:00Z,60,3,abandoned,,,\n' +
  'c1,C,chat,2026-10-01T10:00:00Z,60,70,,,,\n' +
  'c2,C,chat,2026-10-01T11:00:00Z,60,80,,,,\n';

describe('SLA, minimum, tax (SPEC §4.5)', () => {
  it('service level 1 of 4 offered (25%) and chat average 75 s miss; voice average 17.5 s meets', () => {
    const inv = bill(slaPrices(), slaCsv, { period: '2026-10' }).invoices[0]!;
    expect(inv.sla.serviceLevelPercent?.toFixed(2)).toBe('25.00');
    expect(inv.sla.averageResponseSeconds.voice?.toFixed()).toBe('17.5');
    expect(inv.sla.averageResponseSeconds.chat?.toFixed()).toBe('75');
    expect(inv.sla.misses).toBe(2);
    // U = 3.00 voice + 2.00 chat; credit 10% = 0.50; minimum 10.00 − 5.00 = 5.00
    expect(lines(inv)).toEqual([
      ['voice.usage', 180, '3.00'],
      ['chat.usage', 120, '2.00'],
      ['sla.credit', null, '-0.50'],
      ['minimum.shortfall', null, '5.00'],
    ]);
    // 9.50 × 23% = 2.185 → 2.19 half-up
    expect([inv.subtotal.toFixed(2), inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['9.50', '2.19', '11.69']);
  });
  it('half-even rounds the same tie down', () => {
    const inv = bill(slaPrices('half-even'), slaCsv, { period: '2026-10' }).invoices[0]!;
    expect([inv.tax.toFixed(2), inv.total.toFixed(2)]).toEqual(['2.18', '11.68']);
  });
  it('takes SLA terms from the version in effect on the period\'s last day, capped', () => {
    const v2 = `      - effective_from: 2026-10-31
        voice: { per_minute: 1.00, increment: { first: 1, next: 1 } }
        chat: { per_minute: 1.00, increment: { first: 30, next: 30 } }
        sla:
          service_level: { answer_within_seconds: 30, target_percent: 80 }
          credit_percent_per_miss: 10
          credit_cap_percent: 15
`;
    const inv = bill(slaPrices('half-up', v2), slaCsv, { period: '2026-10' }).invoices[0]!;
    // within 30 s: 10 and 25 → 2 of 4 = 50% < 80: one miss (no chat maximum in these terms) → 10% of 5.00
    expect(inv.sla.serviceLevelPercent?.toFixed(2)).toBe('50.00');
    expect(inv.sla.misses).toBe(1);
    expect(lines(inv).find(([c]) => c === 'sla.credit')).toEqual(['sla.credit', null, '-0.50']);
    // no minimum in the last version: no shortfall line
    expect(lines(inv).find(([c]) => c === 'minimum.shortfall')).toBeUndefined();
  });
  it('invoices a listed customer with no usage in a --period month the minimum', () => {
    const r = bill(slaPrices().replace('customers:', 'default_plan: p\ncustomers:'), CSV_HEAD + 'x,D,voice,2026-10-01T10:00:00Z,60,10,,,,\n', { period: '2026-10' });
    const c = r.invoices.find((i) => i.customerId === 'C')!;
    expect(lines(c)).toEqual([['minimum.shortfall', null, '10.00']]);
    expect(c.sla.serviceLevelPercent).toBeNull();
  });
});

describe('SPEC §5 example voice line', () => {
  it('74,112 s at 0.85 is 1235.2 minutes and 1049.92', () => {
    const p = HEAD + 'customers:\n  ACME: { name: "Acme Insurance Ltd", plan: standard }\nplans:\n  standard:\n    versions:\n      - effective_from: 2026-01-01\n        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }\n';
    // 1234 calls of 60 s and one of 67 s (bills 72): 74,040 + 72 = 74,112
    let csv = CSV_HEAD;
    for (let i = 0; i < 1234; i++) csv += `r${i},ACME,voice,2026-10-02T10:00:00Z,60,,,,,\n`;
    csv += 'last,ACME,voice,2026-10-03T10:00:00Z,67,,,,,\n';
    const inv = bill(p, csv, { period: '2026-10' }).invoices[0]!;
    const l = inv.lines[0]!;
    expect([l.code, l.description, l.seconds, l.quantity, l.unit, l.unitPrice.toFixed(), l.amount.toFixed(2)]).toEqual([
      'voice.usage', 'Voice, per minute (from 2026-01-01)', 74112, '1235.2', 'minute', '0.85', '1049.92',
    ]);
  });
});
