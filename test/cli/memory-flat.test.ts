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
 * the invoices would add about 3,500 bytes per customer, the accumulators about 1,000;
 * the bound is 300. No timing is measured.
 */
const dir = mkdtempSync(join(tmpdir(), 'callbill-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// runs the built main() in a process of its own with gc exposed; the heap is read at the first fsync
const HARNESS = `
const fs = require('node:fs');
const [main, prices, usage, out] = process.argv.slice(1);
let heap = null;
const fsync = fs.fsyncSync;
fs.fsyncSync = (fd) => {
  if (heap === null) { global.gc(); global.gc(); heap = process.memoryUsage().heapUsed; }
  return fsync(fd);
};
const sink = { isTTY: false, columns: 80, write(c, e, cb) { const done = typeof e === 'function' ? e : cb; if (done) done(); return true; }, on() { return this; }, removeListener() { return this; } };
require(main).main(['invoice', '-q', '--prices', prices, '--period', '2026-10', '--issue-date', '2026-11-01', '--jobs', '1', '--format', 'csv', '--out', out, usage], { stdout: sink, stderr: process.stderr, env: {}, now: () => Date.UTC(2026, 10, 1) })
  .then((code) => { process.stdout.write(JSON.stringify({ code, heap })); });
`;

function heapAtFirstSync(customers: number): number {
  const usage = join(dir, `customers-${customers}.csv`);
  const gen = spawnSync(process.execPath, [join(ROOT, 'test', 'bench', 'generate-customers.mjs'), usage, String(customers)], { encoding: 'utf8' });
  expect(gen.status).toBe(0);
  const r = spawnSync(process.execPath, ['--expose-gc', '-e', HARNESS, join(ROOT, 'dist', 'callbill.js'), join(ROOT, 'test', 'bench', 'bench-prices.yaml'), usage, join(dir, `out-${customers}`)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  expect(r.stderr).toBe('');
  const res = JSON.parse(r.stdout) as { code: number; heap: number | null };
  expect(res.code).toBe(0);
  expect(res.heap).not.toBeNull();
  return res.heap!;
}

it('what a run holds once its invoices are written does not grow with the customers', () => {
  requireFreshBuild();
  const small = heapAtFirstSync(20_000);
  const large = heapAtFirstSync(80_000);
  const perCustomer = (large - small) / 60_000;
  expect(perCustomer).toBeLessThan(300);
});
