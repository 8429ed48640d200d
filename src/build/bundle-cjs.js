#!/usr/bin/env node
'use strict';
// Part of `npm run build`: writes dist/vendor/<package>.js, the whole CommonJS
// module graph of a dependency in one file (issue #5, start-up). `yaml` is ~70
// small files; Node resolves, reads and wraps each one, which cost more than
// parsing the price list itself. One file loads in a third of the time. The code
// is the package's own, each module in its own function with its own `module` and
// `exports`, required in the same order (cycles behave as in Node). Only relative
// requires are bundled; Node built-ins are left to Node's require.
//
//   node src/build/bundle-cjs.js <package>...
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

function bundle(name) {
  const entry = require.resolve(name, { paths: [root] });
  const ids = new Map();
  const sources = [];
  const visit = (file) => {
    if (ids.has(file)) return ids.get(file);
    const id = sources.length;
    ids.set(file, id);
    sources.push('');
    const src = fs.readFileSync(file, 'utf8').replace(/require\((['"])(\.{1,2}\/[^'"]+)\1\)/g, (_m, _q, rel) => {
      let target = path.resolve(path.dirname(file), rel);
      if (!fs.existsSync(target) || fs.statSync(target).isDirectory()) {
        target = fs.existsSync(`${target}.js`) ? `${target}.js` : path.join(target, 'index.js');
      }
      return `__bundleRequire(${visit(target)})`;
    });
    if (/\b__dirname\b|\b__filename\b|\brequire\.resolve\b/.test(src)) throw new Error(`${file}: uses its own location; cannot be bundled`);
    sources[id] = `// ${path.relative(root, file)}\nfunction (module, exports, __bundleRequire) {\n${src}\n}`;
    return id;
  };
  visit(entry);
  const { version } = JSON.parse(fs.readFileSync(path.join(path.dirname(require.resolve(`${name}/package.json`, { paths: [root] })), 'package.json'), 'utf8'));
  const out =
    `'use strict';\n// ${name} ${version}, bundled by src/build/bundle-cjs.js at build time: do not edit.\n` +
    `const __defs = [\n${sources.join(',\n')}\n];\n` +
    'const __cache = new Array(__defs.length);\n' +
    'function __bundleRequire(i) {\n  let m = __cache[i];\n  if (m) return m.exports;\n  m = __cache[i] = { exports: {} };\n  __defs[i].call(m.exports, m, m.exports, __bundleRequire);\n  return m.exports;\n}\n' +
    'module.exports = __bundleRequire(0);\n';
  const dest = path.join(root, 'dist', 'vendor', `${name}.js`);
  fs.mkdirSync(path.dirname(dest), { recursive: true });
  fs.writeFileSync(dest, out);
  return { dest, modules: sources.length };
}

for (const name of process.argv.slice(2)) bundle(name);
