import { ConfigError } from '../../src/errors';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import { HEAD, priceErrors } from '../helpers/prices';

/**
 * Findings of the input fuzzer (issue #6) on the price-list side: each was an exit 70,
 * a hang or a false refusal before its fix in src/pricing/yaml-walker.ts.
 */
const PLAN = `plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 1, increment: { first: 1, next: 1 } }
`;

describe('YamlWalker: large and hostile documents', () => {
  // Checks the result, not the time (no test depends on speed): yaml itself needs ~0.1 ms a
  // line, so this takes a few seconds; the quadratic key check took 79 s for these 40,000
  // customers, and would show as this test taking minutes.
  it('reads a price list of 40,000 customers (yaml uniqueKeys was quadratic, then the walk budget refused it as an alias bomb with 8,007 bogus errors)', () => {
    let doc = HEAD + PLAN + 'customers:\n';
    for (let i = 0; i < 40_000; i++) doc += `  c${i}: { name: "Customer ${i}", plan: p }\n`;
    const value = parsePriceList(doc, 'big.yaml');
    expect(value.customers.size).toBe(40_000);
    expect(value.customers.get('c39999')).toEqual({ id: 'c39999', name: 'Customer 39999', plan: 'p', billing: null });
  }, 300_000);

  it('still reports every duplicate key, at the second key, in mappings the price list never reads', () => {
    const errs = priceErrors(HEAD + PLAN + 'customers:\n  A: { plan: p }\n  B: { plan: p, name: x, name: y }\n  A: { plan: p }\n');
    expect(errs).toEqual([
      '11:26: YAML: Map keys must be unique: "name" appears twice (first at line 11)',
      '12:3: YAML: Map keys must be unique: "A" appears twice (first at line 10)',
    ]);
  });

  it('treats a plain key and the same key quoted as one key', () => {
    expect(priceErrors(HEAD + '"rounding": half-even\n' + PLAN)).toEqual(['4:1: YAML: Map keys must be unique: "rounding" appears twice (first at line 3)']);
  });

  it('answers a document of 10,000 aliases at once (yaml Alias.resolve searched the whole document for each)', () => {
    let doc = HEAD + 'plans:\n  p:\n    versions:\n      - &v { effective_from: 2026-01-01, voice: { per_minute: 1, increment: { first: 1, next: 1 } } }\n';
    doc += 'customers:\n';
    for (let i = 0; i < 10_000; i++) doc += `  c${i}: *v\n`;
    const errs = priceErrors(doc);
    expect(errs[0]).toBe('7:14: customers.c0: unknown key "effective_from" (expected one of: name, plan, billing, tax, quantities, active_from, active_until)');
    expect(errs).toHaveLength(30_000);
  });

  it('refuses a merge key that merges the mapping holding it (was a stack overflow, exit 70)', () => {
    expect(priceErrors(HEAD + 'plans: &p\n  <<: *p\n')).toEqual(['5:7: alias *p refers to the node that contains it: a recursive structure cannot be a price list']);
    expect(priceErrors(HEAD + 'plans:\n  p:\n    versions:\n      - &v\n        effective_from: 2026-01-01\n        <<: *v\n')).toEqual([
      '9:13: alias *v refers to the node that contains it: a recursive structure cannot be a price list',
    ]);
  });

  it('refuses an alias to an anchor that is not defined before it', () => {
    expect(priceErrors(HEAD + 'tax: *t\n' + PLAN)).toEqual(['4:6: alias *t does not refer to an anchor (&t) before it']);
  });

  it('reports an alias bomb at an alias inside it, even under a key the price list does not read', () => {
    const lol = ['lol:', '  a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]'];
    'bcdefghi'.split('').forEach((k, i) => lol.push(`  ${k}: &${k} [${Array(9).fill('*' + 'abcdefghi'[i]).join(', ')}]`));
    // stopped, not expanded: one error, at the alias that passes the budget
    const errs = priceErrors(HEAD + PLAN + lol.join('\n') + '\n');
    expect(errs).toHaveLength(1);
    // lol is line 9, a..i lines 10-18: the aliases of b..e add 74,718 nodes, the second alias of f (66,430 each) passes 200,000
    expect(errs[0]).toMatch(/^15:14: YAML aliases expand this document beyond 200000 nodes/);
  });

  it('refuses a chain of merge keys nested deeper than the walk may recurse', () => {
    const lines = ['m0: &m0 { effective_from: 2026-01-01 }'];
    for (let i = 1; i <= 80; i++) lines.push(`m${i}: &m${i} { <<: *m${i - 1} }`);
    const doc = HEAD + 'x:\n' + lines.map((l) => '  ' + l).join('\n') + '\nplans:\n  p:\n    versions:\n      - *m80\n';
    const errs = priceErrors(doc);
    expect(errs.some((e) => /merge keys \(<<\) nested more than 64 deep/.test(e))).toBe(true);
  });

  it('turns a document nested 100,000 deep into a located ConfigError, not a crash', () => {
    const doc = HEAD + 'plans: ' + '['.repeat(100_000) + ']'.repeat(100_000) + '\n';
    let err: unknown;
    try {
      parsePriceList(doc, 'deep.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).lines()[0]).toMatch(/^deep\.yaml:\d+:\d+: /);
  });
});
