#!/usr/bin/env node
// The start-up target of the bench alone (`callbill check` ≤ 3 × `node -e 0`), without
// generating its data sets: the commands run in turn, N times each, in one loop (so a
// busy spell of the machine hits them alike), and the medians of their wall-clock
// times are compared. Other checkouts' bin/callbill.js may be given to compare builds.
//
//   node test/tools/startup.mjs [runs] [other/bin/callbill.js ...]     (default 30 runs)
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const runs = Number(process.argv[2] ?? 30);
const prices = path.join(ROOT, 'price-lists', 'default.yaml');
const contestants = [
  { label: 'node -e 0', args: ['-e', '0'] },
  ...[path.join(ROOT, 'bin', 'callbill.js'), ...process.argv.slice(3).map((p) => path.resolve(p))].map((bin) => ({
    label: `callbill check (${path.relative(process.cwd(), bin) || bin})`,
    args: [bin, 'check', '-q', '--prices', prices],
  })),
];
const time = (args) => {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: 'ignore' });
  if (r.status !== 0) throw new Error(`${args.join(' ')}: exit ${r.status}`);
  return Number(process.hrtime.bigint() - t0) / 1e6;
};
for (const c of contestants) time(c.args); // warm the file cache
const times = contestants.map(() => []);
for (let i = 0; i < runs; i++) contestants.forEach((c, k) => times[k].push(time(c.args)));
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const base = median(times[0]);
contestants.forEach((c, k) => {
  const m = median(times[k]);
  process.stdout.write(`${c.label.padEnd(50)} ${m.toFixed(1).padStart(8)} ms  ${(m / base).toFixed(2)}× node -e 0\n`);
});
process.stdout.write(`medians of ${runs} runs each; target: callbill check ≤ 3× node -e 0\n`);
