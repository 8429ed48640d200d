import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as YamlPackage from 'yaml';

/**
 * The build bundles `yaml` into dist/vendor/yaml.js (src/build/bundle-cjs.js) for a
 * faster start; the CLI reads price lists with it. It must be the package itself.
 */
const ROOT = join(__dirname, '..', '..');
const pkg = require('yaml') as typeof YamlPackage;
const bundled = require(join(ROOT, 'dist', 'vendor', 'yaml.js')) as typeof YamlPackage;

describe('dist/vendor/yaml.js', () => {
  it('exports what the package exports', () => {
    expect(Object.keys(bundled).sort()).toEqual(Object.keys(pkg).sort());
  });

  it.each([
    ['the shipped price list', readFileSync(join(ROOT, 'price-lists', 'default.yaml'), 'utf8')],
    ['an alias bomb', readFileSync(join(ROOT, 'fixtures', 'errors', 'alias-bomb', 'prices.yaml'), 'utf8')],
    ['duplicate keys and bad indentation', 'a: 1\na: 2\n b: [1, 2\n'],
    ['anchors, tags and quoting', 'x: &a { p: "0.85", q: !!str 1 }\ny: *a\nz: |\n  text\n'],
  ])('reads %s exactly as the package does', (_name, text) => {
    const opts = { uniqueKeys: true, merge: false, prettyErrors: true, strict: true } as const;
    const a = pkg.parseDocument(text, { ...opts, lineCounter: new pkg.LineCounter() });
    const b = bundled.parseDocument(text, { ...opts, lineCounter: new bundled.LineCounter() });
    // (not toJS: an alias bomb must stay unexpanded) the same tree, in the package's own serialisation
    if (a.errors.length === 0) expect(String(b)).toEqual(String(a));
    else expect(b.errors.length).toBeGreaterThan(0);
    expect(b.errors.map((e) => [e.code, e.message, e.linePos])).toEqual(a.errors.map((e) => [e.code, e.message, e.linePos]));
    expect(b.warnings.map((e) => [e.code, e.message])).toEqual(a.warnings.map((e) => [e.code, e.message]));
  });
});
