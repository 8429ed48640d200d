#!/usr/bin/env node
// A golden snapshot of everything the BUILT callbill writes, for proving a refactor
// changes no byte: stdout, stderr and the exit code of each run, and every file it
// writes (--out, --rejects, --balances-out, --rated), over every fixture folder, the
// main options and formats, standard input, import profiles, --jobs and a generated
// month.
//
//   node test/tools/golden-snapshot.mjs <dir>          write a snapshot into <dir>
//   node test/tools/golden-snapshot.mjs <dir> <regex>  (re)write only the runs whose name matches
//   diff -r /tmp/golden-before /tmp/golden-after       compare two snapshots
//
// Issue dates are fixed with --issue-date. Files are written to a scratch folder that
// is the same in every snapshot of this checkout (the audit records the command line),
// and differs between checkouts so that two can take snapshots at once; set
// GOLDEN_TMP=<dir> in both to compare two checkouts (their audits then differ only in
// runtime.cwd, the repository root the runs are made from).
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const BIN = path.join(ROOT, 'bin', 'callbill.js');
const dest = process.argv[2];
if (!dest) {
  process.stderr.write('usage: node test/tools/golden-snapshot.mjs <dir>\n');
  process.exit(2);
}
const OUT = path.resolve(dest);
const TMP = path.resolve(process.env.GOLDEN_TMP ?? path.join(os.tmpdir(), `callbill-golden-${createHash('sha256').update(ROOT).digest('hex').slice(0, 12)}`));
const SCRATCH = path.join(TMP, 'scratch');

const only = process.argv[3] ? new RegExp(process.argv[3]) : null;
if (!only) fs.rmSync(OUT, { recursive: true, force: true });
fs.mkdirSync(OUT, { recursive: true });

/** @type {Array<{ name: string, args: string[], input?: string, env?: Record<string, string> }>} */
const cases = [];
const add = (name, args, extra = {}) => cases.push({ name, args, ...extra });
const W = (f) => path.join(SCRATCH, f); // a file the run writes
const ISSUE = ['--issue-date', '2026-11-02'];

// ---- the example month (default price list)
const EX = ['fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'];
const M = ['--period', '2026-10'];
for (const fmt of ['table', 'csv', 'json']) add(`example-${fmt}`, ['invoice', ...M, ...ISSUE, '--format', fmt, ...EX]);
add('example-csv-detail', ['invoice', ...M, ...ISSUE, '--format', 'csv', '--detail', ...EX]);
add('example-nop', ['invoice', ...ISSUE, '--format', 'json', ...EX]);
add('example-all-files', ['invoice', ...M, ...ISSUE, '-o', W('out'), '--rejects', W('rejects.csv'), '--balances-out', W('balances.csv'), '--rated', W('rated.csv'), ...EX]);
add('example-verify', ['verify', W('out')], { after: 'example-all-files' });
add('example-stdin', ['invoice', ...M, ...ISSUE, '--format', 'csv', '-', EX[1]], { input: EX[0] });
add('example-check', ['check', ...EX]);
add('example-check-period', ['check', ...M, ...EX]);
add('check-default', ['check']);
add('example-jobs1', ['invoice', ...M, ...ISSUE, '--jobs', '1', '--format', 'json', ...EX]);
add('example-jobs2-chunks', ['invoice', ...M, ...ISSUE, '--jobs', '2', '--format', 'json', '-o', W('out'), ...EX], { env: { CALLBILL_CHUNK_BYTES: '300' } });
add('example-check-jobs2-chunks', ['check', ...M, '--jobs', '2', ...EX], { env: { CALLBILL_CHUNK_BYTES: '300' } });
add('example-wrong-month', ['invoice', '--period', '2026-03', ...ISSUE, ...EX]);
add('example-same-file-twice', ['invoice', ...M, ...ISSUE, EX[0], `./${EX[0]}`]);
for (const id of ['A-V01', 'A-V05', 'A-C01', 'B-V01']) {
  add(`example-explain-${id}`, ['explain', ...M, '--record', id, ...EX]);
  add(`example-explain-${id}-json`, ['explain', ...M, '--record', id, '--format', 'json', ...EX]);
}
add('example-explain-stdin', ['explain', ...M, '--record', 'A-V05', '-', EX[1]], { input: EX[0] });

// ---- spec example, diversion chain
const S = 'fixtures/spec-example';
for (const fmt of ['table', 'csv', 'json']) add(`spec-${fmt}`, ['invoice', '-p', `${S}/prices.yaml`, ...M, ...ISSUE, '--format', fmt, `${S}/usage.csv`]);
add('spec-detail', ['invoice', '-p', `${S}/prices.yaml`, ...M, ...ISSUE, '--format', 'csv', '--detail', `${S}/usage.csv`]);
const D = 'fixtures/diversion-chain';
add('chain-oct', ['invoice', '-p', `${D}/prices.yaml`, '--period', '2026-10', '--issue-date', '2026-11-01', '--balances-out', W('oct.csv'), '--rated', W('oct-rated.csv'), `${D}/oct.csv`]);
add('chain-nov', ['invoice', '-p', `${D}/prices.yaml`, '--period', '2026-11', '--issue-date', '2026-12-01', '--balances-in', `${D}/balances-2026-10.csv`, '--balances-out', W('nov.csv'), '-o', W('out'), '--format', 'json', `${D}/nov.csv`]);
add('chain-nov-verify', ['verify', W('out')], { after: 'chain-nov' });
add('chain-both', ['invoice', '-p', `${D}/prices.yaml`, '--issue-date', '2026-12-01', '--format', 'json', `${D}/oct.csv`, `${D}/nov.csv`]);
add('chain-explain', ['explain', '-p', `${D}/prices.yaml`, '--period', '2026-11', '--balances-in', `${D}/balances-2026-10.csv`, '--record', 'N-A3', `${D}/nov.csv`]);

// ---- explain fixtures
for (const folder of fs.readdirSync(path.join(ROOT, 'fixtures/explain')).sort()) {
  const F = `fixtures/explain/${folder}`;
  if (!fs.statSync(path.join(ROOT, F)).isDirectory()) continue;
  if (folder === 'compare') {
    const cmp = ['compare', '-p', `${F}/a.yaml`, '--against', `${F}/b.yaml`, ...M];
    for (const fmt of ['table', 'csv', 'json']) add(`compare-${fmt}`, [...cmp, '--format', fmt, `${F}/usage.csv`]);
    add('compare-nop', ['compare', '-p', `${F}/a.yaml`, '--against', `${F}/b.yaml`, `${F}/usage.csv`]);
    add('compare-gbp', ['compare', '-p', `${F}/a.yaml`, '--against', `${F}/b-gbp.yaml`, `${F}/usage.csv`]);
    add('compare-stdin', [...cmp, '--format', 'json', '-'], { input: `${F}/usage.csv` });
    continue;
  }
  const bal = fs.existsSync(path.join(ROOT, F, 'balances.csv')) ? ['--balances-in', `${F}/balances.csv`] : [];
  const usage = `${F}/usage.csv`;
  const ids = [...new Set(fs.readFileSync(path.join(ROOT, usage), 'utf8').split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean))];
  for (const id of ids) {
    add(`explain-${folder}-${id}`, ['explain', '-p', `${F}/prices.yaml`, ...M, ...bal, '--record', id, usage]);
    add(`explain-${folder}-${id}-json`, ['explain', '-p', `${F}/prices.yaml`, ...M, ...bal, '--record', id, '--format', 'json', usage]);
  }
  add(`explain-${folder}-missing`, ['explain', '-p', `${F}/prices.yaml`, ...M, ...bal, '--record', 'NO-SUCH', usage]);
  add(`invoice-${folder}`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, ...bal, '--rejects', W('rejects.csv'), '--balances-out', W('bal.csv'), '--rated', W('rated.csv'), '-o', W('out'), usage]);
  add(`invoice-${folder}-detail`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, ...bal, '--rejects', W('rejects.csv'), '--format', 'csv', '--detail', usage]);
  add(`invoice-${folder}-fatal`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, ...bal, usage]);
  add(`check-${folder}`, ['check', '-p', `${F}/prices.yaml`, ...M, usage]);
}

// ---- terms
for (const folder of fs.readdirSync(path.join(ROOT, 'fixtures/terms')).sort()) {
  const F = `fixtures/terms/${folder}`;
  for (const fmt of ['table', 'csv', 'json']) add(`terms-${folder}-${fmt}`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, '--format', fmt, `${F}/usage.csv`]);
  add(`terms-${folder}-detail`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, '--format', 'csv', '--detail', '--rated', W('rated.csv'), `${F}/usage.csv`]);
  const ids = fs.readFileSync(path.join(ROOT, F, 'usage.csv'), 'utf8').split('\n').slice(1).map((l) => l.split(',')[0]).filter(Boolean);
  for (const id of ids.slice(0, 6)) add(`terms-${folder}-explain-${id}`, ['explain', '-p', `${F}/prices.yaml`, ...M, '--record', id, '--format', 'json', `${F}/usage.csv`]);
}

// ---- error fixtures
for (const folder of fs.readdirSync(path.join(ROOT, 'fixtures/errors')).sort()) {
  const F = `fixtures/errors/${folder}`;
  if (!fs.statSync(path.join(ROOT, F)).isDirectory()) continue;
  const usage = fs.readdirSync(path.join(ROOT, F)).filter((f) => f.endsWith('.csv')).sort().map((f) => `${F}/${f}`);
  add(`errors-${folder}-check`, ['check', '-p', `${F}/prices.yaml`, ...usage]);
  if (usage.length > 0) {
    add(`errors-${folder}-invoice`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, ...usage]);
    add(`errors-${folder}-rejects`, ['invoice', '-p', `${F}/prices.yaml`, ...M, ...ISSUE, '--format', 'json', '--rejects', W('rejects.csv'), ...usage]);
  }
}

// ---- import profiles
for (const profile of fs.readdirSync(path.join(ROOT, 'fixtures/import')).sort()) {
  const F = `fixtures/import/${profile}`;
  const file = fs.readdirSync(path.join(ROOT, F)).filter((f) => f.endsWith('.csv') && f !== 'expected-canonical.csv')[0];
  add(`import-${profile}-check`, ['import-check', '--import', profile, '--rows', '3', `${F}/${file}`]);
  add(`import-${profile}-invoice`, ['invoice', '--import', profile, ...M, ...ISSUE, '--format', 'json', '--rated', W('rated.csv'), '--rejects', W('rejects.csv'), `${F}/${file}`]);
  add(`import-${profile}-invoice-table`, ['invoice', '--import', profile, ...M, ...ISSUE, `${F}/${file}`]);
  add(`import-${profile}-check-usage`, ['check', '--import', profile, ...M, `${F}/${file}`]);
  add(`import-${profile}-compare`, ['compare', '--import', profile, ...M, '--against', 'fixtures/explain/compare/b.yaml', '--format', 'csv', `${F}/${file}`]);
  const first = fs.readFileSync(path.join(ROOT, F, 'expected-canonical.csv'), 'utf8').split('\n')[1]?.split(',')[0];
  if (first) add(`import-${profile}-explain`, ['explain', '--import', profile, ...M, '--record', first, '--format', 'json', `${F}/${file}`]);
}
add('import-unknown', ['invoice', '--import', 'genesys', ...M, EX[0]]);
add('import-wrong-file', ['invoice', '--import', 'five9', ...M, EX[0]]);

// ---- usage errors, help
add('help', ['--help']);
add('version', ['--version']);
for (const c of ['invoice', 'check', 'explain', 'compare', 'verify', 'import-check']) add(`help-${c}`, ['help', c]);
add('bogus-option', ['invoice', '--bogus', ...EX]);
add('bad-period', ['invoice', '--period', '2026-13', ...EX]);
add('bad-issue-date', ['invoice', '--issue-date', '2026-02-30', ...EX]);
add('bad-jobs', ['check', '--jobs', '0', ...EX]);
add('detail-without-csv', ['invoice', '--detail', ...EX]);
add('no-such-usage', ['invoice', 'no/such.csv']);
add('no-such-prices', ['check', '-p', 'no/such.yaml']);
add('prices-folder', ['check', '-p', 'fixtures']);
add('stdin-twice', ['invoice', '-', '-'], { input: EX[0] });
add('out-dir-bad', ['invoice', ...M, ...ISSUE, '-o', W('out'), '--balances-out', W('missing-dir/b.csv'), ...EX]);

// ---- a generated month (parallel chunks, stdin spool, the second pass of duplicate ids)
const GEN = path.join(TMP, 'gen');
fs.mkdirSync(GEN, { recursive: true });
const gen = path.join(GEN, 'month.csv');
if (!fs.existsSync(gen)) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'test/bench/generate.mjs'), gen, '30000', '7'], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(1);
}
const dup = path.join(GEN, 'dup.csv');
{
  const lines = fs.readFileSync(gen, 'utf8').split('\n');
  fs.writeFileSync(dup, [lines[0], ...lines.slice(1, 200), lines[5], lines[17], ...lines.slice(200, 400), ''].join('\n'));
}
const BP = ['-p', 'test/bench/bench-prices.yaml'];
add('gen-jobs1', ['invoice', ...BP, ...M, ...ISSUE, '--jobs', '1', '--format', 'json', '--rated', W('rated.csv'), gen]);
add('gen-jobs2', ['invoice', ...BP, ...M, ...ISSUE, '--jobs', '2', '--format', 'csv', '--detail', '-o', W('out'), '--balances-out', W('bal.csv'), gen], { env: { CALLBILL_CHUNK_BYTES: '65536' } });
add('gen-jobs3-check', ['check', ...BP, ...M, '--jobs', '3', gen], { env: { CALLBILL_CHUNK_BYTES: '100000' } });
add('gen-stdin', ['invoice', ...BP, ...M, ...ISSUE, '--format', 'json', '-'], { input: gen });
add('gen-dup', ['invoice', ...BP, ...M, ...ISSUE, '--rejects', W('rejects.csv'), '--format', 'json', dup]);
add('gen-dup-fatal', ['invoice', ...BP, ...M, ...ISSUE, dup]);
add('gen-dup-jobs2', ['invoice', ...BP, ...M, ...ISSUE, '--jobs', '2', '--rejects', W('rejects.csv'), dup], { env: { CALLBILL_CHUNK_BYTES: '4096' } });
add('gen-dup-stdin', ['check', ...BP, ...M, '-'], { input: dup });
add('gen-explain', ['explain', ...BP, ...M, '--record', 'R00000123', '--format', 'json', gen]);
add('gen-compare', ['compare', ...BP, '--against', 'test/bench/bench-prices.yaml', ...M, '--format', 'json', gen]);

// ---- run them
const seen = new Set();
for (const c of cases) {
  if (seen.has(c.name)) throw new Error(`two cases named ${c.name}`);
  seen.add(c.name);
}
let n = 0;
for (const c of cases) {
  if (only && !only.test(c.name) && !cases.some((d) => d.after === c.name && only.test(d.name))) continue;
  if (!c.after) {
    fs.rmSync(SCRATCH, { recursive: true, force: true });
    fs.mkdirSync(SCRATCH, { recursive: true });
  }
  const r = spawnSync(process.execPath, [BIN, ...c.args], {
    cwd: ROOT,
    input: c.input ? fs.readFileSync(path.resolve(ROOT, c.input)) : undefined,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: '1', TZ: 'UTC', ...c.env },
    maxBuffer: 512 << 20,
  });
  const dir = path.join(OUT, c.name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'args'), JSON.stringify({ args: c.args, input: c.input ?? null, env: c.env ?? null }) + '\n');
  fs.writeFileSync(path.join(dir, 'stdout'), r.stdout);
  fs.writeFileSync(path.join(dir, 'stderr'), r.stderr);
  fs.writeFileSync(path.join(dir, 'exit'), `${r.status ?? r.signal}\n`);
  copyTree(SCRATCH, path.join(dir, 'files'));
  n++;
}
fs.rmSync(SCRATCH, { recursive: true, force: true });
process.stdout.write(`${n} runs written to ${OUT}\n`);

function copyTree(from, to) {
  if (!fs.existsSync(from)) return;
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    const a = path.join(from, e.name), b = path.join(to, e.name);
    if (e.isDirectory()) copyTree(a, b);
    else {
      fs.mkdirSync(to, { recursive: true });
      fs.copyFileSync(a, b);
    }
  }
}
