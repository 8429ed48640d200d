import fc from 'fast-check';
import { Dec } from '../../src/money/decimal';
import * as prefixTable from '../../src/pricing/prefix-table';
import { PrefixTable } from '../../src/pricing/prefix-table';
import { priceErrors } from '../helpers/prices';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';
import { join } from 'node:path';

/** Inputs that would grow memory without end are read with a cap and refused with a plain message. */
describe('size caps', () => {
  const dir = folder({ 'P.yaml': P_YAML, 'U.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
  it.each([
    ['-p /dev/zero', ['-p', '/dev/zero'], '/dev/zero: larger than 64 MB: not the price list'],
    ['--balances-in /dev/zero', ['-p', join(dir, 'P.yaml'), '--balances-in', '/dev/zero'], '/dev/zero: larger than 64 MB: not the balances file'],
    ['--import /dev/zero', ['-p', join(dir, 'P.yaml'), '--import', '/dev/zero'], '/dev/zero: larger than 64 MB: not an import profile'],
  ])('%s ends with 78 and a message', async (_what, args, message) => {
    const r = await runInProcess(['invoice', '-q', '--period', '2026-10', ...args, join(dir, 'U.csv')]);
    expect(r.code).toBe(78);
    expect(r.stderr).toContain(message);
    expect(r.stderr.length).toBeLessThan(400);
  });
});

describe('prefix tables', () => {
  const yaml = (destinations: string) =>
    P_YAML +
    `        diversion:
          fee: 50.00
          international:
            increment: { first: 60, next: 60 }
            destinations: { ${destinations} }
`;
  it('more prefixes than the limit is a price-list error at the table', () => {
    const spy = jest.replaceProperty<{ MAX_PREFIXES: number }, 'MAX_PREFIXES'>(prefixTable, 'MAX_PREFIXES', 3);
    try {
      expect(priceErrors(yaml('"1": 0.1, "2": 0.2, "3": 0.3, "4": 0.4'))).toEqual([
        '16:27: plans.standard.versions[0].diversion.international.destinations: 4 prefixes, more than the 3 a price list may hold',
      ]);
    } finally {
      spy.restore();
    }
  });

  it('a prefix listed twice (as "44" and 44) is still refused at its second place', () => {
    expect(priceErrors(yaml('"44": 0.05, "1": 0.02, "044": 0.07, "0044": 0.09, "1": 0.03'))).toEqual([
      expect.stringMatching(/^16:\d+: .*"1".*/),
    ]);
  });

  it('longest-prefix look-up agrees with a plain map of strings, leading zeros kept apart', () => {
    const digits = fc.stringMatching(/^[0-9]{1,6}$/);
    fc.assert(
      fc.property(fc.uniqueArray(digits, { maxLength: 60 }), fc.array(fc.stringMatching(/^[0-9]{1,15}$/), { maxLength: 30 }), (prefixes, numbers) => {
        const table = new PrefixTable();
        const oracle = new Map<string, string>();
        prefixes.forEach((p, i) => {
          const rate = `0.${(i % 7) + 1}`;
          table.set(p, new Dec(rate));
          oracle.set(p, rate);
        });
        expect(table.finish()).toEqual([]);
        expect(table.size).toBe(prefixes.length);
        for (const n of [...numbers, ...prefixes]) {
          let want: { prefix: string; rate: string } | undefined;
          for (let k = n.length; k > 0 && !want; k--) {
            const r = oracle.get(n.slice(0, k));
            if (r !== undefined) want = { prefix: n.slice(0, k), rate: r };
          }
          const got = table.match(n);
          expect(got === undefined ? undefined : { prefix: got.prefix, rate: got.rate.toString() }).toEqual(want === undefined ? undefined : { prefix: want.prefix, rate: new Dec(want.rate).toString() });
        }
        for (const p of prefixes) expect(table.has(p)).toBe(true);
      }),
    );
  });
});
