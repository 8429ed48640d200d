'use strict';
/**
 * Global set-up of the cli project (once per `jest` run, not per suite): the tests run the
 * BUILT command line, so the build must exist, start, and be newer than every source file.
 * Nothing here builds: `npm test` runs `npm run build` first; after an edit under src/,
 * run `npm run build` before `npx jest --selectProjects cli`.
 */
const { spawnSync } = require('node:child_process');
const { readdirSync, statSync } = require('node:fs');
const { join, relative } = require('node:path');

const ROOT = join(__dirname, '..', '..');

/** The newest file under a folder: [mtime in ms, path], or null for an empty or missing folder. */
function newest(dir) {
  let best = null;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    const n = e.isDirectory() ? newest(p) : [statSync(p).mtimeMs, p];
    if (n && (!best || n[0] > best[0])) best = n;
  }
  return best;
}

module.exports = async function builtCli() {
  const src = newest(join(ROOT, 'src'));
  const dist = newest(join(ROOT, 'dist'));
  if (!dist) throw new Error('cli tests: there is no build (dist/ is missing or empty): run `npm run build` first (`npm test` does).');
  if (src && src[0] > dist[0]) {
    throw new Error(`cli tests: the build is older than ${relative(ROOT, src[1])}: run \`npm run build\` first (\`npm test\` does).`);
  }
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'callbill.js'), '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
  if (r.status !== 0) throw new Error(`cli tests: \`node bin/callbill.js --version\` exited ${r.status}: ${r.stderr}`);
};
