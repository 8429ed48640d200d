#!/usr/bin/env node
// Sums a V8 .cpuprofile (from `node --cpu-prof`) by self time: per function
// (name, file, line) and per source file, largest first. A worker thread writes
// a profile of its own: give several files to add them up.
//
//   node test/bench/profile-summary.mjs [--top N] [--by function|file|both] PROFILE.cpuprofile…
//
// Self time of a node = its hit count × the sampling interval (the profile's
// timeDeltas are summed per sample, so an uneven interval is counted right).
// Files are shown relative to the repository. Bundled code (dist/*.js) is put
// back on its source file through esbuild's `// src/…` module comments (the
// bundle is not minified, so function names survive too). Each file is also
// put in a stage (reading, scanning, …: STAGES below) for the summary in
// docs/performance.md. Summarise a profile against the build that made it: the
// module comments are read from dist/ as it is now.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { top: { type: 'string', default: '25' }, by: { type: 'string', default: 'both' } },
});
if (positionals.length === 0) {
  console.error('usage: node test/bench/profile-summary.mjs [--top N] [--by function|file|both] PROFILE.cpuprofile…');
  process.exit(64);
}
const top = Number(values.top);

function shortFile(url) {
  if (!url) return '(native)';
  let f = url.replace(/^file:\/\//, '');
  if (f.startsWith(ROOT + '/')) f = f.slice(ROOT.length + 1);
  else if (f.startsWith('node:')) return f;
  const nm = f.indexOf('node_modules/');
  if (nm >= 0) f = f.slice(nm);
  return f;
}

/** Bundle file → sorted [line, module] from esbuild's `// src/x.ts` comments. */
const bundles = new Map();
function moduleAt(file, line) {
  let marks = bundles.get(file);
  if (!marks) {
    marks = [];
    try {
      fs.readFileSync(path.join(ROOT, file), 'utf8').split('\n').forEach((l, i) => {
        const m = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(l);
        if (m) marks.push([i + 1, m[1]]);
      });
    } catch {
      // not readable: keep the bundle's name
    }
    bundles.set(file, marks);
  }
  let found = file;
  for (const [l, m] of marks) {
    if (l > line) break;
    found = m;
  }
  return found;
}

/** Where the time goes, by source file (first match wins); GC and the like by name. */
const STAGES = [
  ['garbage collection', (f, n) => n === '(garbage collector)'],
  ['idle / waiting', (f, n) => n === '(idle)' || n === '(program)'],
  ['reading (fs, UTF-8 decode and check, hash)', (f, n) => /read-usage|utf8|node:buffer|streamed-file|record-reader|node:fs|node:internal\/fs|node:internal\/streams|node:stream|node:crypto/.test(f) || /^(read|isUtf8|isAscii|update|digest|latin1Slice|utf8Slice|asciiSlice)$/.test(n)],
  ['scanning CSV', (f) => /csv-scanner|csv-parse|newline-index/.test(f)],
  ['timestamp parsing', (f) => /usage\/timestamp|time\/zone|time\/dates/.test(f)],
  ['field conversion (row checks)', (f) => /usage\/usage-record|usage\/id-text|import\//.test(f)],
  ['id check', (f) => /record-id-set/.test(f)],
  ['rating and fold', (f) => /rating\/(rate-record|usage-fold|usage-state|band-match|billable-seconds)|pricing\/version-at|money\/round/.test(f)],
  ['merge of partial folds', (f) => /state-codec|parallel-fold/.test(f)],
  ['worker messages', (f) => /worker_threads|node:internal\/worker|fold-worker/.test(f) || /postMessage|structuredClone|deserialize|serialize/.test(f)],
  ['invoices and output', (f) => /invoice\/|render\/|io\/(atomic-write|stdout|output-plan)|decimal\.js/.test(f)],
  ['start-up (load, price list)', (f) => /yaml|pricing\/|commander|cli\/|node:internal\/modules|dist\//.test(f)],
];
function stageOf(f, name) {
  for (const [stage, test] of STAGES) if (test(f, name)) return stage;
  return 'other';
}

const byFn = new Map();
const byStage = new Map();
const byFile = new Map();
let total = 0;
for (const file of positionals) {
  const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
  const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
  const self = new Map();
  // sample i lasted timeDeltas[i + 1] (the delta to the next sample); the last one, the mean
  const deltas = prof.timeDeltas;
  for (let i = 0; i < prof.samples.length; i++) {
    const d = i + 1 < deltas.length ? deltas[i + 1] : (prof.endTime - prof.startTime) / prof.samples.length;
    self.set(prof.samples[i], (self.get(prof.samples[i]) ?? 0) + d);
  }
  for (const [id, us] of self) {
    const n = nodes.get(id);
    const cf = n.callFrame;
    let f = shortFile(cf.url);
    // in a bundle the line is the bundle's: name the source file alone
    const bundled = /^dist\/[^/]+\.js$/.test(f);
    if (bundled) f = moduleAt(f, cf.lineNumber + 1);
    const name = cf.functionName || '(anonymous)';
    const key = !cf.url ? name : bundled ? `${name}  ${f}` : `${name}  ${f}:${cf.lineNumber + 1}`;
    byFn.set(key, (byFn.get(key) ?? 0) + us);
    byFile.set(f, (byFile.get(f) ?? 0) + us);
    const st = stageOf(f, name);
    byStage.set(st, (byStage.get(st) ?? 0) + us);
    total += us;
  }
}

const ms = (us) => (us / 1000).toFixed(0).padStart(7);
const pct = (us) => ((100 * us) / total).toFixed(1).padStart(5);
function show(title, map) {
  console.log(`${title} (self time; total ${(total / 1e6).toFixed(2)} s of samples)`);
  console.log('     ms      %  ');
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(us)}  ${pct(us)}  ${k}`);
  console.log('');
}
show('by stage', byStage);
if (values.by !== 'file') show('by function', byFn);
if (values.by !== 'function') show('by file', byFile);
