import { ledgerStep, runLedger } from '../../src/invoice/diversion-ledger';
import { Dec } from '../../src/money/decimal';
import { bill, CSV_HEAD, lines } from '../helpers/bill';
import { HEAD } from '../helpers/prices';

describe('runLedger (SPEC §4.4)', () => {
  it('gives the spec example: fee 50.00, costs 30, 30, 45 → 3 fees, closing 45.00', () => {
    // record by record, as the contract words it
    let b = 0n;
    let blocks = 0n;
    for (const c of [3000n, 3000n, 4500n]) {
      const s = ledgerStep(b, 5000n, c);
      blocks += s.blocks;
      b = s.after;
    }
    expect([blocks, b]).toEqual([3n, 4500n]);
    // and from the sum, as the fold does
    expect(runLedger(0n, [{ fee: 5000n, cost: 10500n }])).toEqual({ blocks: [3n], closing: 4500n });
  });
  it('charges several blocks for a transfer that costs more than one fee', () => {
    expect(ledgerStep(1000n, 5000n, 12000n)).toEqual({ blocks: 3n, after: 4000n });
  });
  it('charges nothing for a zero cost, and nothing while the opening balance covers', () => {
    expect(runLedger(0n, [{ fee: 5000n, cost: 0n }])).toEqual({ blocks: [0n], closing: 0n });
    expect(runLedger(7000n, [{ fee: 5000n, cost: 7000n }])).toEqual({ blocks: [0n], closing: 0n });
    expect(runLedger(7000n, [{ fee: 5000n, cost: 7001n }])).toEqual({ blocks: [1n], closing: 4999n });
  });
  it('charges each segment at its own fee when the fee changes', () => {
    // 50.00 until the change, then 60.00: 40 drawn (1 block of 50, 10 left), then 70 (10 + 1 block of 60 = 70, 0 left)
    expect(runLedger(0n, [{ fee: 5000n, cost: 4000n }, { fee: 6000n, cost: 7000n }])).toEqual({ blocks: [1n, 1n], closing: 0n });
    // then 71 would need a second block of 60
    expect(runLedger(0n, [{ fee: 5000n, cost: 4000n }, { fee: 6000n, cost: 7100n }])).toEqual({ blocks: [1n, 2n], closing: 5900n });
  });
});

const PRICES =
  HEAD +
  `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0, increment: { first: 1, next: 1 } }
        diversion:
          fee: 50.00
          mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } }
          international:
            increment: { first: 60, next: 60 }
            destinations: { "44": 0.05, "1": 0.02, "1242": 0.40, "351": 0.04 }
      - effective_from: 2026-10-15
        voice: { per_minute: 0, increment: { first: 1, next: 1 } }
        diversion:
          fee: 60.00
          mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } }
default_plan: p
`;

describe('diversion through the fold and the invoice', () => {
  it('prices the onward leg: longest prefix wins, destinations normalised, abandoned calls too', () => {
    const csv =
      CSV_HEAD +
      // 1242: 0.40 × 5 min = 2.00 (not the "1" rate); 300 s diverted of a 10 s call
      'a,C,voice,2026-10-02T10:00:00Z,10,,,international,+1 (242) 555-0100,300\n' +
      // 44: 0.05 × 2 min = 0.10; 00-prefix and blanks dropped; abandoned still diverted
      'b,C,voice,2026-10-02T11:00:00Z,61,,abandoned,international,0044 20 7946 0000,\n' +
      // mobile: 0.12 × 1 min (60/60 of 59 s)
      'c,C,voice,2026-10-02T12:00:00Z,59,,,mobile,,\n';
    const { invoices } = bill(PRICES, csv, { period: '2026-10' });
    const d = invoices[0]!.diversion;
    expect(d.international).toEqual({ records: 2, seconds: 420, cost: new Dec('2.10') });
    expect(d.mobile).toEqual({ records: 1, seconds: 60, cost: new Dec('0.12') });
    expect(d.feesCharged).toBe(1n);
    expect(d.closing.toFixed(2)).toBe('47.78');
    expect(lines(invoices[0])).toContainEqual(['diversion.fee', null, '50.00']);
  });
  it('does not depend on the order of the rows, and charges the fee of the version in effect', () => {
    const rows = [
      // before 2026-10-15 (fee 50): two 30-minute mobile transfers = 2 × 3.60
      'a,C,voice,2026-10-01T10:00:00Z,1,,,mobile,,1800\n',
      'b,C,voice,2026-10-02T10:00:00Z,1,,,mobile,,1800\n',
      // after (fee 60): 500 minutes = 60.00 → 7.20 was covered by 50, 42.80 left, 60 needs 1 block (60) → 42.80
      'c,C,voice,2026-10-20T10:00:00Z,1,,,mobile,,30000\n',
    ];
    const a = bill(PRICES, CSV_HEAD + rows.join(''), { period: '2026-10' }).invoices[0]!;
    const b = bill(PRICES, CSV_HEAD + [...rows].reverse().join(''), { period: '2026-10' }).invoices[0]!;
    expect(lines(a).filter(([code]) => code === 'diversion.fee')).toEqual([
      ['diversion.fee', null, '50.00'],
      ['diversion.fee', null, '60.00'],
    ]);
    expect(a.diversion.closing.toFixed(2)).toBe('42.80');
    expect(lines(b)).toEqual(lines(a));
    expect(b.diversion).toEqual(a.diversion);
  });
  it('rejects an international number no prefix matches when there is no default', () => {
    const { fold } = bill(PRICES, CSV_HEAD + 'x,C,voice,2026-10-02T10:00:00Z,1,,,international,+81 3 1234 5678,\n', { period: '2026-10' });
    expect(fold.rejects.map((r) => [r.line, r.column, r.message, r.value])).toEqual([
      [2, 'destination', 'record x: no international prefix matches 81312345678 and plan p (from 2026-01-01) has no default_per_minute', '+81 3 1234 5678'],
    ]);
  });
  it('carries an opening balance and invoices a customer that has one but no usage', () => {
    const { invoices } = bill(PRICES, CSV_HEAD + 'a,C,voice,2026-10-01T10:00:00Z,1,,,mobile,,600\n', {
      period: '2026-10',
      opening: new Map([['C', new Dec('1.00')], ['IDLE', new Dec('5.00')]]),
    });
    expect(invoices.map((i) => [i.customerId, i.diversion.opening.toFixed(2), i.diversion.feesCharged, i.diversion.closing.toFixed(2)])).toEqual([
      ['C', '1.00', 1n, '49.80'],
      ['IDLE', '5.00', 0n, '5.00'],
    ]);
  });
});
