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
  singleThread: 0.8, // callbill --jobs 1 throughput ≥ 0.8 × the parse floor's
  vsSqlite: 1, // callbill (all cores) time < sqlite3's
  memoryMB: 250, // peak RSS at --memory-rows, MB = 10^6 bytes
  scale: 5.5, // time(5 N) ≤ 5.5 × time(N)
  startup: 3, // callbill check ≤ 3 × node -e 0
  issue: 1.3, // callbill issue (a fresh ledger) ≤ 1.3 × callbill invoice, same rows
};

const USAGE = `usage: npm run bench -- [options]

  --rows N          rows of the main data set (default 1,000,000); the scale
                    target compares 5 N with N
  --runs K          timed runs of each contestant, at least 3 (default 3);
                    the start-up target uses max(K, 10)
  --memory-rows N   rows for the peak-RSS target (default 10,000,000)
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
      rows: { type: 'string', default: '1000000' },
      runs: { type: 'string', default: '3' },
      'memory-rows': { type: 'string', default: '10000000' },
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
const ROWS = parseCount('rows', opts.rows);
const RUNS = parseCount('runs', opts.runs);
if (RUNS < 3) fail('--runs: at least 3 (medians of fewer runs say little)');
const MEMORY_ROWS = parseCount('memory-rows', opts['memory-rows']);
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
    const child = spawn(cmd, args, { cwd: ROOT, stdio: [inFd, outFd, 'pipe'], detached: true });
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

async function main() {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  out(`callbill bench — node ${process.version}, ${os.availableParallelism()} cores, ${cpu}`);
  out(
    `rows ${fmtInt(ROWS)}, runs ${RUNS}, memory rows ${opts['skip-memory'] ? 'skipped' : fmtInt(MEMORY_ROWS)}, ` +
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
      const ratio = sDefault.median / sSqlite.median;
      results.push([
        name,
        ratio < TARGET.vsSqlite ? 'PASS' : 'FAIL',
        `callbill ${fmtS(sDefault.median)} s vs sqlite3 ${fmtS(sSqlite.median)} s = ${fmtX(ratio)} (need < 1.00×)`,
      ]);
    }
  }

  // Cross-check of billable seconds (not a target, one line).
  let check;
  if (!sSqlite || sSqlite.error) check = 'cross-check: not run: no sqlite3 result';
  else if (sDefault.error) check = `cross-check: not run: callbill ${sDefault.error}`;
  else check = await crossCheck(main, ROWS, cSqlite.stdout);
  out('\n' + check);

  // Target 4: scale, N against 5 N, alternating.
  // A callbill that already failed on N rows is not given 5 N or 10M rows:
  // making those data sets would take minutes to show the same error.
  const notRun = sDefault.error ? `callbill not run: it failed on ${fmtInt(ROWS)} rows: ${sDefault.error}` : null;
  if (opts['skip-scale']) results.push(['4 scale', 'SKIP', '--skip-scale']);
  else if (notRun) results.push(['4 scale', 'FAIL', notRun]);
  else {
    const big = await dataset(5 * ROWS, `usage-${5 * ROWS}.csv`);
    const g = await runGroup(`scale: ${fmtInt(ROWS)} vs ${fmtInt(5 * ROWS)} rows`, [
      callbillInvoice('callbill (all cores)', main, ROWS),
      callbillInvoice('callbill (all cores)', big, 5 * ROWS),
    ], RUNS);
    fs.rmSync(big, { force: true });
    const [a, b] = g.stats;
    const name = '4 scale';
    if (a.error || b.error) results.push([name, 'FAIL', `callbill ${a.error ?? b.error}`]);
    else {
      const ratio = b.median / a.median;
      results.push([
        name,
        ratio <= TARGET.scale ? 'PASS' : 'FAIL',
        `${fmtInt(5 * ROWS)} rows ${fmtS(b.median)} s = ${fmtX(ratio)} the ${fmtInt(ROWS)} rows' ${fmtS(a.median)} s ` +
          `(need ≤ ${TARGET.scale.toFixed(2)}×)`,
      ]);
    }
  }
  if (opts['skip-issue']) results.push(['6 issue', 'SKIP', '--skip-issue']);
  else if (notRun) results.push(['6 issue', 'FAIL', notRun]);
  else await issueTarget(main, ROWS, results);
  fs.rmSync(main, { force: true });

  // Target 3: peak RSS on the large data set.
  if (opts['skip-memory']) results.push(['3 memory', 'SKIP', '--skip-memory']);
  else if (notRun) results.push(['3 memory', 'FAIL', notRun]);
  else {
    const huge = await dataset(MEMORY_ROWS, `usage-${MEMORY_ROWS}.csv`);
    const g = await runGroup(`memory: ${fmtInt(MEMORY_ROWS)} rows`, [
      callbillInvoice('callbill (all cores)', huge, MEMORY_ROWS),
    ], RUNS);
    fs.rmSync(huge, { force: true });
    const [s] = g.stats;
    const name = '3 memory';
    if (s.error) results.push([name, 'FAIL', `callbill ${s.error}`]);
    else
      results.push([
        name,
        s.rssMaxMB <= TARGET.memoryMB ? 'PASS' : 'FAIL',
        `callbill peak RSS ${fmtMB(s.rssMaxMB)} MB (highest of ${s.rss.length} runs) at ${fmtInt(MEMORY_ROWS)} rows ` +
          `(need ≤ ${TARGET.memoryMB} MB)`,
      ]);
  }

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
  const figures = [];
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
  const order = ['1', '2', '3', '4', '5', '6'];
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
