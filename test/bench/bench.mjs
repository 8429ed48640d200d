#!/usr/bin/env node
// `npm run bench [-- options]`: the performance harness of issue #5.
//
// It generates a month of usage (test/bench/generate.mjs, seeded, no
// Math.random) into a temporary folder, times each contestant as a child
// process (spawn → exit, nothing else inside the timing), runs contestants
// alternately (A B C A B C …) so that drifts of the machine hit them alike,
// prints a table of medians and one PASS/FAIL line per target, and removes
// the data. Exit status: 0 all targets pass (or were skipped), 1 a target
// failed, 2 the harness could not run (bad option, missing tool).
//
// Peak RSS: every long run is spawned as `/usr/bin/time -f %M -o FILE cmd …`.
// GNU time forks the command and reaps it with wait4(2), whose struct rusage
// carries ru_maxrss: the kernel's own high-water mark of the child's resident
// set, kept until the end of the process, including all of its threads
// (worker_threads live in the same process) and, by Linux's rules, the largest
// of its own reaped children. Node cannot do this itself: libuv reaps children
// with waitpid() and drops their rusage; process.resourceUsage() in a wrapper is
// the wrapper's own RSS; sampling /proc/<pid>/status (VmRSS, even VmHWM) misses
// whatever happens after the last sample, and once the child has exited its
// memory map is gone, so the last read is always a little too early. Caveat: for
// a contestant that forks worker *processes*, ru_maxrss is the largest single
// process, not their sum; callbill's --jobs should use worker_threads (one
// process) for the figure to be the whole of it. GNU time is the Debian package
// `time` (apt-get install -y time); the harness stops with that advice if it is
// missing. The start-up target (tens of milliseconds) is timed without the
// wrapper, and measured once more through it for its RSS column.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateAsterisk } from './generate-asterisk.mjs';
import { generateUsage } from './generate.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const NODE = process.execPath;
// CALLBILL_BENCH_BIN: another entry point to time instead of bin/callbill.js
// (for trying the harness itself against a stand-in).
const CALLBILL = process.env.CALLBILL_BENCH_BIN
  ? path.resolve(process.env.CALLBILL_BENCH_BIN)
  : path.join(ROOT, 'bin', 'callbill.js');
const SQLITE = '/usr/bin/sqlite3';
const GNU_TIME = '/usr/bin/time';
const PRICES = path.join(HERE, 'bench-prices.yaml');
const DEFAULT_PRICES = path.join(ROOT, 'price-lists', 'default.yaml');

const TARGET = {
  singleThread: 1.5, // callbill --jobs 1 throughput ≥ 1.5 × the parse floor's
  vsSqlite: 2, // callbill (all cores) ≥ 2 × sqlite3's speed: time ≤ sqlite3's / 2
  memoryMB: 250, // peak RSS at --memory-rows, MB = 10^6 bytes
  scaleSlack: 1.05, // time(M) ≤ 1.05 × (M / N) × time(N): 10M rows ≤ 10.5 × 1M
  startup: 3, // callbill check ≤ 3 × node -e 0
  issue: 1.3, // callbill issue (a fresh ledger) ≤ 1.3 × callbill invoice, same rows
  threads: 1.05, // at every size of the sweep, default --jobs ≤ 1.05 × --jobs 1 (timing noise)
};

const USAGE = `usage: npm run bench -- [options]

  --rows N          rows of the main data set (default 1,000,000); the scale
                    target compares it with --memory-rows
  --quick           a run of a few minutes on 2 cores: --rows 200k
                    --memory-rows 2M --customers 200k (the targets are
                    then checked at those sizes)
  --runs K          timed runs of each contestant, at least 3 (default 3);
                    the start-up target uses max(K, 10)
  --memory-rows N   rows for the peak-RSS and scale targets (default 10,000,000)
  --customers N     distinct customers for the per-customer memory figure
                    (default 1,000,000; compared with a tenth of it)
  --skip-sweep      skip target 7 (--jobs 1 against the default on small files)
  --skip-asterisk   skip the figure for an Asterisk Master.csv (--import asterisk)
  --skip-customers  skip the per-customer memory figure
  --skip-profile    skip the CPU profiles (--cpu-prof, summed by stage)
  --skip-memory     skip the peak-RSS target (and its large data set)
  --skip-scale      skip the scale target
  --skip-startup    skip the start-up target
  --skip-issue      skip the ledger target (issue vs invoice, ledger growth)
  --only-issue      run only the ledger target
  --skip-quotes     skip the figure for quoted fields full of "" (100 rows of
                    150,000 escaped quotes each: once quadratic, now linear)
  --skip-documents  skip the figure for the documents of 1,000 invoices
                    (invoice --documents, HTML and PDF, against invoice alone)
  --seed S          PRNG seed of the data (default 20261001)
  --timeout S       a run taking longer is killed and shown as ERROR
                    (default 1800 seconds)
  --keep            keep the temporary folder (its path is printed)
  -h, --help        this text

N accepts 1000000, 1_000_000, 1e6, 500k, 10M.`;

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

function parseCount(name, s) {
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)([kKmM]?)$/.exec(String(s).replace(/[_,]/g, ''));
  const n = m ? Number(m[1]) * (m[2] ? (/k/i.test(m[2]) ? 1e3 : 1e6) : 1) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) fail(`--${name}: not a positive whole number: ${s}`);
  return n;
}

let opts;
try {
  opts = parseArgs({
    options: {
      rows: { type: 'string' },
      runs: { type: 'string', default: '3' },
      'memory-rows': { type: 'string' },
      customers: { type: 'string' },
      quick: { type: 'boolean', default: false },
      'skip-sweep': { type: 'boolean', default: false },
      'skip-asterisk': { type: 'boolean', default: false },
      'skip-customers': { type: 'boolean', default: false },
      'skip-profile': { type: 'boolean', default: false },
      'skip-memory': { type: 'boolean', default: false },
      'skip-scale': { type: 'boolean', default: false },
      'skip-startup': { type: 'boolean', default: false },
      'skip-issue': { type: 'boolean', default: false },
      'only-issue': { type: 'boolean', default: false },
      'skip-quotes': { type: 'boolean', default: false },
      'skip-documents': { type: 'boolean', default: false },
      seed: { type: 'string', default: '20261001' },
      timeout: { type: 'string', default: '1800' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  }).values;
} catch (err) {
  fail(`${err.message}\n\n${USAGE}`);
}
if (opts.help) {
  process.stdout.write(USAGE + '\n');
  process.exit(0);
}
const ROWS = parseCount('rows', opts.rows ?? (opts.quick ? '200000' : '1000000'));
const RUNS = parseCount('runs', opts.runs);
if (RUNS < 3) fail('--runs: at least 3 (medians of fewer runs say little)');
const MEMORY_ROWS = parseCount('memory-rows', opts['memory-rows'] ?? (opts.quick ? '2000000' : '10000000'));
const CUSTOMERS = parseCount('customers', opts.customers ?? (opts.quick ? '200000' : '1000000'));
const SEED = parseCount('seed', opts.seed) >>> 0;
const TIMEOUT_S = parseCount('timeout', opts.timeout);
const STARTUP_RUNS = Math.max(RUNS, 10);
/** Warn when other processes took more than this share of the cores during a group. */
const BUSY_WARN = 0.1;

// ---------------------------------------------------------------- prerequisites

{
  const v = spawnSync(GNU_TIME, ['--version'], { encoding: 'utf8' });
  if (v.error || !/GNU/.test(`${v.stdout}${v.stderr}`)) {
    fail(
      `GNU time is needed at ${GNU_TIME} to measure peak RSS (wait4 rusage of the child).\n` +
        `       Install it with: apt-get update && apt-get install -y time`,
    );
  }
}
const haveSqlite = fs.existsSync(SQLITE);

// ---------------------------------------------------------------- temp folder, cleanup

const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'callbill-bench-'));
let current = null; // the child being timed, in its own process group

function cleanup() {
  if (opts.keep) process.stderr.write(`bench: kept ${TMP}\n`);
  else fs.rmSync(TMP, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (current && current.exitCode === null && current.signalCode === null) {
      try {
        process.kill(-current.pid, 'SIGTERM'); // the group we made: time + contestant
      } catch {}
    }
    cleanup();
    process.stderr.write(`\nbench: interrupted (${sig})\n`);
    process.exit(130);
  });
}

// ---------------------------------------------------------------- running

/** The line of a failed run's stderr that says what went wrong. */
function firstErrorLine(stderr) {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length === 0) return '(no stderr)';
  // Node's uncaught-exception report starts with the source location
  // ("node:internal/…:1228", "/path/file.js:12"), then the code line and a
  // caret: show the error itself instead.
  if (/^(node:|\/|file:).*:\d+$/.test(lines[0])) {
    const e = lines.find((l) => /^(\w+Error|Error)\b/.test(l));
    if (e) return e;
  }
  return lines[0];
}

/**
 * One run of a contestant. Everything is prepared before the clock starts
 * (files opened, arguments built); the clock stops at the child's exit.
 * Resolves to { ok, seconds, rssKB, cpuSeconds, code, signal, error }; rssKB and
 * cpuSeconds (user + system, from GNU time) are null without `rss`.
 */
function runOnce(c, { rss }) {
  // outside the timing: e.g. a fresh copy of an empty ledger for `issue`
  c.prepare?.();
  const outFd = fs.openSync(c.stdout ?? '/dev/null', 'w');
  const inFd = c.stdin ? fs.openSync(c.stdin, 'r') : 'ignore';
  const rssFile = path.join(TMP, 'rss.txt');
  if (rss) fs.rmSync(rssFile, { force: true });
  const [cmd, args] = rss ? [GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, c.cmd, ...c.args]] : [c.cmd, c.args];
  return new Promise((resolve) => {
    let t1 = null;
    let stderr = '';
    let spawnError = null;
    const t0 = process.hrtime.bigint();
    const env = c.env ? { ...process.env, ...c.env } : process.env;
    const child = spawn(cmd, args, { cwd: ROOT, env, stdio: [inFd, outFd, 'pipe'], detached: true });
    current = child;
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL'); // the group we made: time + contestant
      } catch {}
    }, TIMEOUT_S * 1000);
    fs.closeSync(outFd);
    if (typeof inFd === 'number') fs.closeSync(inFd);
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d) => {
      if (stderr.length < 16384) stderr += d;
    });
    child.on('exit', () => {
      t1 = process.hrtime.bigint();
    });
    child.on('error', (err) => {
      spawnError = err;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      current = null;
      const seconds = Number((t1 ?? process.hrtime.bigint()) - t0) / 1e9;
      let rssKB = null;
      let cpuSeconds = null;
      if (rss) {
        try {
          // "Command exited with non-zero status N" may come first: ours is the last line.
          const last = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop();
          const m = /^(\d+) (\d+\.\d+) (\d+\.\d+)$/.exec(last);
          if (m) {
            rssKB = Number(m[1]);
            cpuSeconds = Number(m[2]) + Number(m[3]);
          }
        } catch {}
      }
      const ok = !spawnError && code === 0;
      let error = null;
      if (spawnError) error = `ERROR (${spawnError.code ?? spawnError.message})`;
      else if (timedOut) error = `ERROR (killed after the --timeout of ${TIMEOUT_S} s)`;
      else if (!ok) {
        const how = signal ? `signal ${signal}` : `exit ${code}`;
        error = `ERROR (${how}: ${firstErrorLine(stderr).slice(0, 160)})`;
      }
      resolve({ ok, seconds, rssKB, cpuSeconds, code, signal, error });
    });
  });
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length === 0 ? NaN : s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * Runs the contestants alternately, `runs` rounds of A B C …. A contestant
 * whose run fails is not run again (its error stands for it).
 */
async function runGroup(title, contestants, runs, { rss = true, rssOnceAfter = false } = {}) {
  const stats = contestants.map((c) => ({ c, times: [], cpu: [], rss: [], error: null }));
  const busy0 = cpuBusySeconds();
  const self0 = process.cpuUsage();
  const wall0 = process.hrtime.bigint();
  let childCpu = 0;
  for (let r = 1; r <= runs; r++) {
    for (const s of stats) {
      if (s.error) continue;
      const res = await runOnce(s.c, { rss });
      if (!res.ok) {
        childCpu += res.cpuSeconds ?? NaN;
        s.error = res.error;
        progress(`${title}: ${s.c.label}: ${res.error}`);
        continue;
      }
      childCpu += res.cpuSeconds ?? NaN;
      if (s.c.verify && r === 1) {
        const problem = s.c.verify();
        if (problem) {
          s.error = `ERROR (${problem})`;
          continue;
        }
      }
      s.times.push(res.seconds);
      if (res.cpuSeconds !== null) s.cpu.push(res.cpuSeconds);
      if (res.rssKB !== null) s.rss.push(res.rssKB);
      progress(`${title}: run ${r}/${runs} ${s.c.label}: ${res.seconds.toFixed(3)} s`);
    }
  }
  // What other processes on the machine took while we timed: all CPU time
  // the kernel counted, less our contestants' (GNU time's %U + %S) and the
  // harness's own, averaged over the group's wall time.
  const wall = Number(process.hrtime.bigint() - wall0) / 1e9;
  const self = process.cpuUsage(self0);
  const others = (cpuBusySeconds() - busy0 - childCpu - (self.user + self.system) / 1e6) / wall;
  if (rssOnceAfter) {
    // The timed runs went without the GNU time wrapper: one more run each, for RSS only.
    for (const s of stats) {
      if (s.error) continue;
      const res = await runOnce(s.c, { rss: true });
      if (res.ok && res.rssKB !== null) s.rss.push(res.rssKB);
    }
  }
  for (const s of stats) {
    s.median = s.times.length ? median(s.times) : NaN;
    s.rows = s.c.rows;
    s.rowsPerSec = s.c.rows ? s.c.rows / s.median : NaN;
    s.cpuMedian = s.cpu.length ? median(s.cpu) : NaN;
    s.rssMedianMB = s.rss.length ? (median(s.rss) * 1024) / 1e6 : NaN;
    s.rssMaxMB = s.rss.length ? (Math.max(...s.rss) * 1024) / 1e6 : NaN;
  }
  const group = { title, runs, stats, others };
  printGroup(group);
  return group;
}

// ---------------------------------------------------------------- output

const fmtInt = (n) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '—');
const fmtS = (n) => (Number.isFinite(n) ? n.toFixed(3) : '—');
const fmtMB = (n) => (Number.isFinite(n) ? n.toFixed(1) : '—');
const fmtX = (n) => (Number.isFinite(n) ? n.toFixed(2) + '×' : '—');

function progress(line) {
  process.stderr.write(`  … ${line}\n`);
}

function printGroup(group) {
  const head = ['contestant', 'rows', 'median s', 'rows/s', 'CPU s', 'peak RSS MB', 'runs (s)'];
  const body = group.stats.map((s) =>
    s.error
      ? [s.c.label, s.rows ? fmtInt(s.rows) : '—', s.error]
      : [
          s.c.label,
          s.rows ? fmtInt(s.rows) : '—',
          fmtS(s.median),
          s.rows ? fmtInt(s.rowsPerSec) : '—',
          Number.isFinite(s.cpuMedian) ? s.cpuMedian.toFixed(2) : '—',
          fmtMB(s.rssMedianMB),
          s.times.map((t) => t.toFixed(s.median < 1 ? 3 : 2)).join(' '),
        ],
  );
  // An error row spans the columns after `rows`: only full rows set their widths.
  const w = head.map((h, i) =>
    Math.max(h.length, ...body.filter((r) => r.length === head.length || i < 2).map((r) => r[i].length)),
  );
  const line = (r) =>
    r.length === 3
      ? `  ${r[0].padEnd(w[0])}  ${r[1].padStart(w[1])}  ${r[2]}`
      : '  ' + r.map((x, i) => (i === 0 ? x.padEnd(w[i]) : i === r.length - 1 ? x : x.padStart(w[i]))).join('  ');
  out(`\n${group.title} — median of ${group.runs} runs, alternating`);
  out(line(head));
  out('  ' + w.map((n) => '-'.repeat(n)).join('  '));
  for (const r of body) out(line(r));
  if (Number.isFinite(group.others)) {
    const warn = group.others > BUSY_WARN * os.availableParallelism();
    out(
      `  other processes used ${Math.max(0, group.others).toFixed(2)} of ${os.availableParallelism()} cores meanwhile` +
        (warn ? ' — WARNING: a busy machine, these timings are not reliable' : ''),
    );
  }
}

/** CPU time (seconds, all cores) the machine has spent not idle, from /proc/stat; NaN elsewhere. */
function cpuBusySeconds() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal …, in USER_HZ (100 on Linux)
    return (f[0] + f[1] + f[2] + f[5] + f[6]) / 100;
  } catch {
    return NaN;
  }
}

function out(line = '') {
  process.stdout.write(line + '\n');
}

// ---------------------------------------------------------------- contestants

async function dataset(rows, name) {
  const file = path.join(TMP, name);
  const t = process.hrtime.bigint();
  const bytes = await generateUsage(file, rows, SEED);
  const s = Number(process.hrtime.bigint() - t) / 1e9;
  progress(`generated ${fmtInt(rows)} rows (${(bytes / 1e6).toFixed(1)} MB) in ${s.toFixed(1)} s: ${file}`);
  return file;
}

function callbillInvoice(label, file, rows, extra = []) {
  return {
    label,
    rows,
    cmd: NODE,
    args: [
      CALLBILL, 'invoice', '-q', '--prices', PRICES, '--period', '2026-10', '--format', 'csv',
      '--issue-date', '2026-11-01', ...extra, file,
    ],
  };
}

function floor(file, rows) {
  const countFile = path.join(TMP, 'floor-count.txt');
  return {
    label: 'parse floor (csv-parse)',
    rows,
    cmd: NODE,
    args: [path.join(HERE, 'parse-floor.mjs'), file],
    stdout: countFile,
    // the header is a record to a bare parse()
    verify: () => {
      const n = Number(fs.readFileSync(countFile, 'utf8'));
      return n === rows + 1 ? null : `floor counted ${n} records, expected ${rows + 1}: bad data file`;
    },
  };
}

/** One sqlite3 process, given the whole job as a script on stdin. */
function sqlite(file, rows) {
  const script = path.join(TMP, 'sqlite-script.sql');
  const sql = fs.readFileSync(path.join(HERE, 'sqlite-billable.sql'), 'utf8');
  if (file.includes("'")) fail(`temporary path has a quote: ${file}`);
  // In-memory database; `.import` into a table that does not exist yet takes
  // the column names from the header row.
  fs.writeFileSync(script, `.bail on\n.mode csv\n.headers off\n.import '${file}' usage\n${sql}\n`);
  return {
    label: 'sqlite3 (.import + SQL)',
    rows,
    cmd: SQLITE,
    args: ['-batch', ':memory:'],
    stdin: script,
    stdout: path.join(TMP, 'sqlite-out.csv'),
  };
}

// ---------------------------------------------------------------- cross-check

/**
 * callbill's billable seconds per customer and channel (invoices[].lines with
 * code voice.usage / chat.usage, `seconds` summed over versions and tiers)
 * against sqlite3's, from one untimed `--format json` run.
 */
async function crossCheck(file, rows, sqliteOut) {
  const jsonFile = path.join(TMP, 'callbill.json');
  const c = callbillInvoice('callbill --format json', file, rows);
  c.args = c.args.map((a) => (a === 'csv' ? 'json' : a));
  c.stdout = jsonFile;
  const res = await runOnce(c, { rss: false });
  if (!res.ok) return `cross-check: not run: callbill --format json ${res.error}`;
  let doc;
  try {
    doc = JSON.parse(fs.readFileSync(jsonFile, 'utf8'));
  } catch (err) {
    return `cross-check: FAILED: callbill's --format json output does not parse: ${err.message}`;
  }
  const ours = new Map();
  for (const inv of doc.invoices ?? []) {
    for (const line of inv.lines ?? []) {
      const ch = line.code === 'voice.usage' ? 'voice' : line.code === 'chat.usage' ? 'chat' : null;
      if (!ch) continue;
      const k = `${inv.customer_id},${ch}`;
      ours.set(k, (ours.get(k) ?? 0) + Number(line.seconds));
    }
  }
  const theirs = new Map();
  for (const l of fs.readFileSync(sqliteOut, 'utf8').split('\n').filter(Boolean)) {
    const [cust, ch, secs] = l.split(',');
    theirs.set(`${cust},${ch}`, Number(secs));
  }
  const keys = [...new Set([...ours.keys(), ...theirs.keys()])].sort();
  // A customer/channel that sqlite sums to 0 (all abandoned) may have no line.
  const diff = keys.filter((k) => (ours.get(k) ?? 0) !== (theirs.get(k) ?? 0));
  const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
  if (diff.length === 0) {
    return `cross-check (${fmtInt(rows)} rows): callbill = sqlite3 billable seconds for all ${keys.length} customer/channel pairs (total ${fmtInt(total(ours))} s)`;
  }
  const show = diff
    .slice(0, 3)
    .map((k) => `${k} callbill ${ours.get(k) ?? 'none'} sqlite3 ${theirs.get(k) ?? 'none'}`)
    .join('; ');
  return `cross-check (${fmtInt(rows)} rows): MISMATCH in ${diff.length} of ${keys.length} customer/channel pairs: ${show}${diff.length > 3 ? '; …' : ''}`;
}

// ---------------------------------------------------------------- main

/**
 * Target 6 (the ledger, SPEC §7): `issue` into an empty ledger against `invoice` on the
 * same rows and the same price list (with {seq} in its invoice numbers), alternating;
 * and the ledger's growth per million records billed (the file after the run's
 * checkpoint, less the empty ledger).
 */
async function issueTarget(file, rows, results) {
  const prices = path.join(TMP, 'bench-prices-ledger.yaml');
  fs.writeFileSync(prices, fs.readFileSync(PRICES, 'utf8').replace(/^invoice_number: .*$/m, 'invoice_number: "INV-{year}-{seq:6}"'));
  const empty = path.join(TMP, 'empty.db');
  const ledger = path.join(TMP, 'ledger.db');
  fs.rmSync(empty, { force: true });
  const init = spawnSync(NODE, [CALLBILL, 'ledger', 'init', '-q', '--ledger', empty], { encoding: 'utf8' });
  if (init.status !== 0) {
    results.push(['6 issue', 'FAIL', `ledger init: ${firstErrorLine(init.stderr)}`]);
    return;
  }
  const emptyBytes = fs.statSync(empty).size;
  const fresh = () => {
    for (const f of [ledger, `${ledger}-wal`, `${ledger}-shm`]) fs.rmSync(f, { force: true });
    fs.copyFileSync(empty, ledger);
  };
  const common = ['-q', '--prices', prices, '--period', '2026-10', '--format', 'csv', '--issue-date', '2026-11-01'];
  const g = await runGroup(`ledger: ${fmtInt(rows)} rows, issue into an empty ledger vs invoice`, [
    { label: 'callbill invoice', rows, cmd: NODE, args: [CALLBILL, 'invoice', ...common, file] },
    { label: 'callbill issue', rows, cmd: NODE, args: [CALLBILL, 'issue', ...common, '--ledger', ledger, file], prepare: fresh },
  ], RUNS);
  const [inv, iss] = g.stats;
  if (inv.error || iss.error) {
    results.push(['6 issue', 'FAIL', `callbill ${inv.error ?? iss.error}`]);
    return;
  }
  const sizes = [ledger, `${ledger}-wal`].map((f) => (fs.existsSync(f) ? fs.statSync(f).size : 0));
  const growth = ((sizes[0] + sizes[1] - emptyBytes) / 1e6) / (rows / 1e6);
  out(`  ledger after one issue of ${fmtInt(rows)} records: ${fmtMB(sizes[0] / 1e6)} MB (WAL ${fmtMB(sizes[1] / 1e6)} MB), ` +
    `${fmtMB(growth)} MB per million records billed`);
  const ratio = iss.median / inv.median;
  results.push([
    '6 issue',
    ratio <= TARGET.issue ? 'PASS' : 'FAIL',
    `callbill issue ${fmtS(iss.median)} s = ${fmtX(ratio)} callbill invoice's ${fmtS(inv.median)} s (aim ≤ ${TARGET.issue.toFixed(2)}×); ` +
      `ledger +${fmtMB(growth)} MB per million records`,
  ]);
}

/** Lines printed under `figures` at the end. */
const FIGURES = [];

/**
 * Target 7 and the cross-over point: on files from 1/64 to 1/4 of the main size,
 * `--jobs 1`, the default, and the default with threads forced on every file
 * (CALLBILL_PARALLEL_MIN_BYTES=1), alternating. The default must never lose to
 * `--jobs 1`; forced threads show where threads start to pay (the cross-over),
 * which is where the default's threshold belongs.
 */
async function sweepTarget(rows, results, sJobs1, sDefault) {
  const sizes = [64, 32, 16, 8, 4].map((d) => Math.max(1000, Math.round(rows / d)));
  const lines = [];
  let worst = { ratio: sDefault.median / sJobs1.median, rows };
  let crossover = null;
  for (const n of sizes) {
    const file = await dataset(n, `sweep-${n}.csv`);
    const mb = fs.statSync(file).size / 1e6;
    const forced = callbillInvoice('callbill, threads forced', file, n);
    forced.env = { CALLBILL_PARALLEL_MIN_BYTES: '1' };
    const g = await runGroup(`threads: ${fmtInt(n)} rows (${mb.toFixed(1)} MB)`, [
      callbillInvoice('callbill --jobs 1', file, n, ['--jobs', '1']),
      callbillInvoice('callbill (all cores)', file, n),
      forced,
    ], Math.max(RUNS, 5), { rss: false });
    fs.rmSync(file, { force: true });
    const [j1, def, f] = g.stats;
    if (j1.error || def.error || f.error) {
      results.push(['7 threads never lose', 'FAIL', `callbill ${j1.error ?? def.error ?? f.error}`]);
      return;
    }
    const ratio = def.median / j1.median;
    if (ratio > worst.ratio) worst = { ratio, rows: n };
    if (crossover === null && f.median < j1.median) crossover = { rows: n, mb };
    lines.push(`${fmtInt(n)} rows (${mb.toFixed(1)} MB): default ${fmtX(ratio)}, threads forced ${fmtX(f.median / j1.median)} the time of --jobs 1`);
  }
  FIGURES.push(...lines.map((l) => `threads: ${l}`));
  FIGURES.push(
    crossover
      ? `threads: cross-over (threads forced first faster than --jobs 1) at ${fmtInt(crossover.rows)} rows, ${crossover.mb.toFixed(1)} MB`
      : `threads: cross-over above ${fmtInt(sizes[sizes.length - 1])} rows (threads forced never faster in the sweep)`,
  );
  results.push([
    '7 threads never lose',
    worst.ratio <= TARGET.threads ? 'PASS' : 'FAIL',
    `default --jobs at most ${fmtX(worst.ratio)} the time of --jobs 1 (at ${fmtInt(worst.rows)} rows; sizes ${sizes.map(fmtInt).join(', ')}, ${fmtInt(rows)}) ` +
      `(need ≤ ${TARGET.threads.toFixed(2)}×)`,
  ]);
}

/** One --cpu-prof run each of --jobs 1 and the default, summed by stage and function (test/bench/profile-summary.mjs). */
async function profileFigure(file, rows) {
  for (const [label, extra] of [['--jobs 1', ['--jobs', '1']], ['default --jobs', []]]) {
    const dir = path.join(TMP, `prof-${extra.length ? 'jobs1' : 'default'}`);
    fs.rmSync(dir, { recursive: true, force: true });
    const c = callbillInvoice(label, file, rows, extra);
    const run = spawnSync(NODE, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...c.args], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) {
      out(`\nprofile (${label}): not made: ${firstErrorLine(run.stderr ?? '')}`);
      continue;
    }
    const files = fs.readdirSync(dir).map((f) => path.join(dir, f));
    const sum = spawnSync(NODE, [path.join(HERE, 'profile-summary.mjs'), '--top', '8', '--by', 'function', ...files], { encoding: 'utf8' });
    out(`\nprofile: callbill invoice ${label}, ${fmtInt(rows)} rows, ${files.length} thread(s), one run (node --cpu-prof)`);
    for (const l of sum.stdout.trimEnd().split('\n')) out(`  ${l}`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rows per second through `--import asterisk`, on a generated Master.csv. */
async function asteriskFigure(rows) {
  const file = path.join(TMP, 'Master.csv');
  const bytes = generateAsterisk(file, rows, SEED);
  progress(`generated an Asterisk Master.csv of ${fmtInt(rows)} rows (${(bytes / 1e6).toFixed(1)} MB)`);
  const g = await runGroup(`Asterisk Master.csv: ${fmtInt(rows)} rows through --import asterisk`, [
    callbillInvoice('callbill --import asterisk', file, rows, ['--import', 'asterisk']),
  ], RUNS);
  fs.rmSync(file, { force: true });
  const [a] = g.stats;
  FIGURES.push(a.error ? `asterisk: callbill ${a.error}` : `asterisk: --import asterisk ${fmtInt(a.rowsPerSec)} rows/s (${fmtInt(rows)} rows, ${fmtMB(a.rssMaxMB)} MB peak)`);
}

/**
 * Memory per customer: a month of `customers` distinct customers against one of a
 * tenth of them (test/bench/generate-customers.mjs: 4 rows for every 3 customers),
 * the difference in peak RSS over the difference in customers.
 */
async function customersFigure(customers) {
  const small = Math.max(1000, Math.round(customers / 10));
  const files = [];
  for (const k of [small, customers]) {
    const file = path.join(TMP, `customers-${k}.csv`);
    const gen = spawnSync(NODE, [path.join(HERE, 'generate-customers.mjs'), file, String(k)], { stdio: 'inherit' });
    if (gen.status !== 0) fail(`generate-customers.mjs failed for ${k}`);
    files.push(file);
  }
  const rowsOf = (k) => k + Math.ceil(k / 3);
  const g = await runGroup(`customers: ${fmtInt(small)} vs ${fmtInt(customers)} distinct customers`, [
    callbillInvoice(`${fmtInt(small)} customers`, files[0], rowsOf(small)),
    callbillInvoice(`${fmtInt(customers)} customers`, files[1], rowsOf(customers)),
  ], 1);
  for (const f of files) fs.rmSync(f, { force: true });
  const [a, b] = g.stats;
  if (a.error || b.error) {
    FIGURES.push(`customers: callbill ${a.error ?? b.error}`);
    return;
  }
  const per = ((b.rssMaxMB - a.rssMaxMB) * 1e6) / (customers - small);
  FIGURES.push(
    `customers: ${fmtInt(customers)} customers in ${fmtS(b.median)} s, peak RSS ${fmtMB(b.rssMaxMB)} MB; ` +
      `${fmtInt(per)} bytes per customer (peak RSS difference against ${fmtInt(small)} customers)`,
  );
}

async function main() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  out(`callbill bench — node ${process.version}, ${os.availableParallelism()} cores, ${cpu}`);
  out(
    `rows ${fmtInt(ROWS)}, runs ${RUNS}, memory rows ${opts['skip-memory'] ? 'skipped' : fmtInt(MEMORY_ROWS)}, customers ${fmtInt(CUSTOMERS)}${opts.quick ? ' (--quick)' : ''}, ` +
      `seed ${SEED}, load average at start ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`,
  );
  const rel = path.relative(ROOT, CALLBILL);
  out(`callbill: ${rel.startsWith('..') ? CALLBILL : rel}; temp: ${TMP}`);
  const results = [];

  // Targets 1 and 2, and the cross-check: the main data set.
  const main = await dataset(ROWS, `usage-${ROWS}.csv`);
  if (opts['only-issue']) {
    await issueTarget(main, ROWS, results);
    fs.rmSync(main, { force: true });
    out('\ntargets');
    for (const [name, verdict, text] of results) out(`${verdict.padEnd(4)}  ${name}  ${text}`);
    return results.some((r) => r[1] === 'FAIL') ? 1 : 0;
  }
  const cFloor = floor(main, ROWS);
  const cJobs1 = callbillInvoice('callbill --jobs 1', main, ROWS, ['--jobs', '1']);
  const cDefault = callbillInvoice('callbill (all cores)', main, ROWS);
  const contestants = [cFloor, cJobs1, cDefault];
  const cSqlite = haveSqlite ? sqlite(main, ROWS) : null;
  if (cSqlite) contestants.push(cSqlite);
  const g1 = await runGroup(`${fmtInt(ROWS)} rows`, contestants, RUNS);
  const [sFloor, sJobs1, sDefault, sSqlite] = g1.stats;
  if (!cSqlite) out(`  sqlite3: not installed at ${SQLITE}`);

  {
    const ratio = sFloor.median / sJobs1.median; // = throughput(jobs 1) / throughput(floor)
    const name = '1 single thread';
    if (sFloor.error) results.push([name, 'FAIL', `parse floor ${sFloor.error}`]);
    else if (sJobs1.error) results.push([name, 'FAIL', `callbill --jobs 1 ${sJobs1.error}`]);
    else
      results.push([
        name,
        ratio >= TARGET.singleThread ? 'PASS' : 'FAIL',
        `callbill --jobs 1 ${fmtInt(sJobs1.rowsPerSec)} rows/s = ${fmtX(ratio)} the parse floor's ` +
          `${fmtInt(sFloor.rowsPerSec)} rows/s (need ≥ ${TARGET.singleThread.toFixed(2)}×)`,
      ]);
  }
  {
    const name = '2 all cores vs sqlite3';
    if (!sSqlite) results.push([name, 'FAIL', `sqlite3 not installed at ${SQLITE}`]);
    else if (sSqlite.error) results.push([name, 'FAIL', `sqlite3 ${sSqlite.error}`]);
    else if (sDefault.error) results.push([name, 'FAIL', `callbill ${sDefault.error}`]);
    else {
      const speed = sSqlite.median / sDefault.median; // = callbill's speed / sqlite3's
      results.push([
        name,
        speed >= TARGET.vsSqlite ? 'PASS' : 'FAIL',
        `callbill ${fmtS(sDefault.median)} s vs sqlite3 ${fmtS(sSqlite.median)} s: ${fmtX(speed)} sqlite3's speed ` +
          `(need ≥ ${TARGET.vsSqlite.toFixed(2)}×); ${fmtInt(sDefault.rowsPerSec)} rows/s`,
      ]);
    }
  }

  out(`\nspeed (${fmtInt(ROWS)} rows, medians): callbill --jobs 1 ${fmtInt(sJobs1.rowsPerSec)} rows/s, ` +
    `callbill (all cores) ${fmtInt(sDefault.rowsPerSec)} rows/s, sqlite3 ${sSqlite ? fmtInt(sSqlite.rowsPerSec) : '—'} rows/s, ` +
    `parse floor ${fmtInt(sFloor.rowsPerSec)} rows/s`);

  // Cross-check of billable seconds (not a target, one line).
  let check;
  if (!sSqlite || sSqlite.error) check = 'cross-check: not run: no sqlite3 result';
  else if (sDefault.error) check = `cross-check: not run: callbill ${sDefault.error}`;
  else check = await crossCheck(main, ROWS, cSqlite.stdout);
  out('\n' + check);

  // Target 7: more threads never lose, on files around the size where threads start.
  const notRun = sDefault.error ? `callbill not run: it failed on ${fmtInt(ROWS)} rows: ${sDefault.error}` : null;
  if (opts['skip-sweep']) results.push(['7 threads never lose', 'SKIP', '--skip-sweep']);
  else if (notRun) results.push(['7 threads never lose', 'FAIL', notRun]);
  else await sweepTarget(ROWS, results, sJobs1, sDefault);

  // Figures: the profile, an Asterisk export, the ledger.
  if (!opts['skip-profile'] && !notRun) await profileFigure(main, ROWS);
  if (!opts['skip-asterisk'] && !notRun) await asteriskFigure(Math.max(1000, Math.round(ROWS / 5)));
  if (opts['skip-issue']) results.push(['6 issue', 'SKIP', '--skip-issue']);
  else if (notRun) results.push(['6 issue', 'FAIL', notRun]);
  else await issueTarget(main, ROWS, results);

  // Targets 3 and 4: peak RSS on the large data set, and its time against the main one's, alternating.
  if (opts['skip-memory'] && opts['skip-scale']) {
    results.push(['3 memory', 'SKIP', '--skip-memory'], ['4 scale', 'SKIP', '--skip-scale']);
  } else if (notRun) {
    results.push(['3 memory', 'FAIL', notRun], ['4 scale', 'FAIL', notRun]);
  } else {
    const huge = await dataset(MEMORY_ROWS, `usage-${MEMORY_ROWS}.csv`);
    const g = await runGroup(`scale and memory: ${fmtInt(ROWS)} vs ${fmtInt(MEMORY_ROWS)} rows`, [
      callbillInvoice('callbill (all cores)', main, ROWS),
      callbillInvoice('callbill (all cores)', huge, MEMORY_ROWS),
    ], RUNS);
    fs.rmSync(huge, { force: true });
    const [a, s] = g.stats;
    if (opts['skip-memory']) results.push(['3 memory', 'SKIP', '--skip-memory']);
    else if (s.error) results.push(['3 memory', 'FAIL', `callbill ${s.error}`]);
    else
      results.push([
        '3 memory',
        s.rssMaxMB <= TARGET.memoryMB ? 'PASS' : 'FAIL',
        `callbill peak RSS ${fmtMB(s.rssMaxMB)} MB (highest of ${s.rss.length} runs) at ${fmtInt(MEMORY_ROWS)} rows ` +
          `(need ≤ ${TARGET.memoryMB} MB)`,
      ]);
    const allowed = TARGET.scaleSlack * (MEMORY_ROWS / ROWS);
    if (opts['skip-scale']) results.push(['4 scale', 'SKIP', '--skip-scale']);
    else if (a.error || s.error) results.push(['4 scale', 'FAIL', `callbill ${a.error ?? s.error}`]);
    else {
      const ratio = s.median / a.median;
      results.push([
        '4 scale',
        ratio <= allowed ? 'PASS' : 'FAIL',
        `${fmtInt(MEMORY_ROWS)} rows ${fmtS(s.median)} s = ${fmtX(ratio)} the ${fmtInt(ROWS)} rows' ${fmtS(a.median)} s ` +
          `(need ≤ ${allowed.toFixed(2)}×); ${fmtInt(s.rowsPerSec)} rows/s`,
      ]);
    }
  }
  fs.rmSync(main, { force: true });

  if (!opts['skip-customers']) await customersFigure(CUSTOMERS);

  // Target 5: start-up, timed without the GNU time wrapper.
  if (opts['skip-startup']) results.push(['5 start-up', 'SKIP', '--skip-startup']);
  else {
    const g = await runGroup(
      'start-up',
      [
        { label: 'node -e 0', rows: 0, cmd: NODE, args: ['-e', '0'] },
        {
          label: 'callbill check (default.yaml)',
          rows: 0,
          cmd: NODE,
          args: [CALLBILL, 'check', '-q', '--prices', DEFAULT_PRICES],
        },
      ],
      STARTUP_RUNS,
      { rss: false, rssOnceAfter: true },
    );
    const [n, c] = g.stats;
    const name = '5 start-up';
    if (n.error) results.push([name, 'FAIL', `node -e 0 ${n.error}`]);
    else if (c.error) results.push([name, 'FAIL', `callbill check ${c.error}`]);
    else {
      const ratio = c.median / n.median;
      results.push([
        name,
        ratio <= TARGET.startup ? 'PASS' : 'FAIL',
        `callbill check ${(c.median * 1000).toFixed(1)} ms = ${fmtX(ratio)} node -e 0's ${(n.median * 1000).toFixed(1)} ms ` +
          `(need ≤ ${TARGET.startup.toFixed(2)}×)`,
      ]);
    }
  }

  // A reported figure, no target: quoted fields full of `""` (the scanner once searched
  // for a line break at every quote: 100 such rows took 23 s).
  const figures = FIGURES;
  if (!opts['skip-quotes']) {
    const file = path.join(TMP, 'quoted-pairs.csv');
    const ROWS_Q = 100;
    const PAIRS = 150_000;
    const pairs = '""'.repeat(PAIRS);
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'record_id,customer_id,channel,started_at,duration_seconds,note\n');
    for (let i = 0; i < ROWS_Q; i++) fs.writeSync(fd, `q${i},ACME,voice,2026-10-01T09:15:00Z,60,"${pairs}"\n`);
    fs.closeSync(fd);
    const bytes = fs.statSync(file).size;
    const g = await runGroup('quoted ""', [callbillInvoice('callbill --jobs 1, quoted ""', file, ROWS_Q, ['--jobs', '1'])], RUNS);
    fs.rmSync(file, { force: true });
    const [q] = g.stats;
    figures.push(
      q.error
        ? `quoted "": callbill ${q.error}`
        : `quoted "": ${ROWS_Q} rows of ${fmtInt(PAIRS)} escaped quotes (${(bytes / 1e6).toFixed(1)} MB) in ${q.median.toFixed(3)} s ` +
            `(median of ${q.times.length}), ${(bytes / 1e6 / q.median).toFixed(1)} MB/s`,
    );
  }

  // A reported figure, no target: the documents of 1,000 invoices (one customer each, from
  // test/bench/generate-customers.mjs), each run into a folder of its own.
  if (!opts['skip-documents']) {
    const CUSTOMERS = 1000;
    const file = path.join(TMP, 'customers-1000.csv');
    const gen = spawnSync(NODE, [path.join(HERE, 'generate-customers.mjs'), file, String(CUSTOMERS)], { encoding: 'utf8' });
    if (gen.status !== 0) figures.push(`documents: not run: generate-customers.mjs: ${firstErrorLine(gen.stderr)}`);
    else {
      const docsDir = path.join(TMP, 'documents');
      // every run writes into a folder that is not there yet
      const fresh = () => fs.rmSync(docsDir, { recursive: true, force: true });
      const g = await runGroup('documents: 1,000 invoices', [
        callbillInvoice('callbill invoice', file, CUSTOMERS),
        { ...callbillInvoice('callbill invoice --documents', file, CUSTOMERS, ['--documents', docsDir]), prepare: fresh },
      ], RUNS);
      const [plain, docs] = g.stats;
      fs.rmSync(file, { force: true });
      fresh();
      figures.push(
        plain.error || docs.error
          ? `documents: callbill ${plain.error ?? docs.error}`
          : `documents: ${fmtInt(CUSTOMERS)} invoices with --documents (HTML and PDF each) in ${fmtS(docs.median)} s, ` +
              `${fmtS(plain.median)} s without: ${((docs.median - plain.median) * 1000 / CUSTOMERS).toFixed(1)} ms a document (medians of ${docs.times.length})`,
      );
    }
  }

  if (figures.length > 0) {
    out('\nfigures');
    for (const f of figures) out(`      ${f}`);
  }

  out('\ntargets');
  const order = ['1', '2', '3', '4', '5', '6', '7'];
  results.sort((a, b) => order.indexOf(a[0][0]) - order.indexOf(b[0][0]));
  const w = Math.max(...results.map((r) => r[0].length));
  for (const [name, verdict, text] of results) out(`${verdict.padEnd(4)}  ${name.padEnd(w)}  ${text}`);
  return results.some((r) => r[1] === 'FAIL') ? 1 : 0;
}

let code = 2;
try {
  code = await main();
} catch (err) {
  process.stderr.write(`bench: ${err.stack ?? err}\n`);
} finally {
  cleanup();
}
process.exit(code);
