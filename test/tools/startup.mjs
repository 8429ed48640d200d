#!/usr/bin/env node
// The start-up target of the bench alone (`callbill check` ≤ 3 × `node -e 0`), without
// generating its data sets: both commands run alternately, N times each, and the
// medians of their wall-clock times are compared.
//
//   node test/tools/startup.mjs [runs]      (default 30)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 30);
const node = ['-e', '0'];
const check = [path.join(ROOT, 'bin', 'callbill.js'), 'check', '-q', '--prices', path.join(ROOT, 'price-lists', 'default.yaml')];
const time = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
const a = [], b = [];
time(node), time(check); // warm the file cache
for (let i = 0; i < runs; i++) {
  a.push(time(node));
  b.push(time(check));
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const n = median(a), c = median(b);
process.stdout.write(`node -e 0: ${n.toFixed(1)} ms; callbill check: ${c.toFixed(1)} ms; ratio ${(c / n).toFixed(2)}× (target ≤ 3×), medians of ${runs}\n`);
