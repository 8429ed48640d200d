import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireFreshBuild } from '../helpers/build';
import { ROOT } from '../helpers/cli';

/**
 * A month of many customers is written an invoice at a time: once the files are
 * written, the run holds neither the invoices nor the customers' accumulators. The
 * heap after a full garbage collection, taken when the run syncs its first output
 * file (the invoices are all written by then, and still all held if they were kept
 * until the files are written), is compared for 20,000 and 80,000 customers. Holding
 * the invoices would add about 3,500 bytes per customer, the accumulators about 350;
 * the bound is 150 (measured: no growth at all).
 *
 * The same heap taken when the run opens its first output file (the inputs are
 * folded, no invoice is built yet) is the fold's state: about 335 bytes per customer
 * of these months (a voice call each, a chat for every third, a diverted call for
 * every seventh); it was about 890 when every customer carried every part of its
 * accumulator. The bound is 500. No timing is measured.
 */
const dir = mkdtempSync(join(tmpdir(), 'callbill-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// runs the built main() in a process of its own with gc exposed; the heap is read at the
// first output file opened (folded) and at the first fsync (written)
const HARNESS = `
const fs = require('node:fs');
const [main, prices, usage, out] = process.argv.slice(1);
let heap = null;
let folded = null;
const open = fs.openSync;
fs.openSync = (path, flags, mode) => {
  if (folded === null && flags === 'wx') { global.gc(); global.gc(); folded = process.memoryUsage().heapUsed; }
  return open(path, flags, mode);
};
const fsync = fs.fsyncSync;
fs.fsyncSync = (fd) => {
  if (heap === null) { global.gc(); global.gc(); heap = process.memoryUsage().heapUsed; }
  return fsync(fd);
};
const sink = { isTTY: false, columns: 80, write(c, e, cb) { const done = typeof e === 'function' ? e : cb; if (done) done(); return true; }, on() { return this; }, removeListener() { return this; } };
require(main).main(['invoice', '-q', '--prices', prices, '--period', '2026-10', '--issue-date', '2026-11-01', '--jobs', '1', '--format', 'csv', '--out', out, usage], { stdout: sink, stderr: process.stderr, env: {}, now: () => Date.UTC(2026, 10, 1) })
  .then((code) => { process.stdout.write(JSON.stringify({ code, heap, folded })); });
`;

interface Heaps {
  /** Once the inputs are folded. */
  folded: number;
  /** Once the invoices are written. */
  written: number;
}

const measured = new Map<number, Heaps>();

function heaps(customers: number): Heaps {
  const known = measured.get(customers);
  if (known) return known;
  const usage = join(dir, `customers-${customers}.csv`);
  const gen = spawnSync(process.execPath, [join(ROOT, 'test', 'bench', 'generate-customers.mjs'), usage, String(customers)], { encoding: 'utf8' });
  expect(gen.status).toBe(0);
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', HARNESS, join(ROOT, 'dist', 'callbill.js'), join(ROOT, 'test', 'bench', 'bench-prices.yaml'), usage, join(dir, `out-${customers}`)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  expect(r.stderr).toBe('');
  const res = JSON.parse(r.stdout) as { code: number; heap: number | null; folded: number | null };
  expect(res.code).toBe(0);
  expect(res.heap).not.toBeNull();
  expect(res.folded).not.toBeNull();
  const h = { folded: res.folded!, written: res.heap! };
  measured.set(customers, h);
  return h;
}

it('what a run holds once its invoices are written does not grow with the customers', () => {
  requireFreshBuild();
  const small = heaps(20_000).written;
  const large = heaps(80_000).written;
  const perCustomer = (large - small) / 60_000;
  expect(perCustomer).toBeLessThan(150);
});

it('what the fold holds per customer stays small', () => {
  requireFreshBuild();
  const small = heaps(20_000).folded;
  const large = heaps(80_000).folded;
  const perCustomer = (large - small) / 60_000;
  expect(perCustomer).toBeLessThan(500);
  // the fold holds the customers: a run that opened its files before folding would read near 0 here
  expect(perCustomer).toBeGreaterThan(100);
});
