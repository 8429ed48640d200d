import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, ROOT, runInProcess, runSubprocess } from '../helpers/cli';

/**
 * SPEC §7: a killed `issue` leaves the ledger as before, or complete if it was killed
 * after its commit; the --out files come after the commit. And two runs at once never
 * give a duplicate or a skipped number. Checked on the built CLI with SIGKILL, the way
 * crash-safe.test.ts checks --out.
 */
const ROWS = Number(process.env.LEDGER_CRASH_ROWS ?? 20_000);

const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
invoice_number: "INV-{year}-{seq:5}"
default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
        chat: { per_minute: 0.50, increment: { first: 30, next: 30 } }
        diversion: { fee: 50.00, mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } } }
`;
const OUT = ['invoices.json', 'invoices.csv', 'invoice-lines.csv'];

let dir: string;
let referenceMs = 0;
const reference = new Map<string, string>();
let emptyState: string;
let completeState: string;

function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  return runSubprocess(args, { cwd: dir, env, timeoutMs: 120_000 });
}

/** The whole ledger as `ledger export` writes it, one string. */
async function state(db: string): Promise<string> {
  const out = join(dir, `export-${Math.random().toString(36).slice(2)}`);
  const r = await runInProcess(['ledger', 'export', '--ledger', db, '--out', out]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const s = readdirSync(out).sort().map((f) => `== ${f}\n${readFileSync(join(out, f), 'utf8')}`).join('');
  rmSync(out, { recursive: true, force: true });
  return s;
}

function issueArgs(db: string, out: string): string[] {
  return ['issue', '-p', join(dir, 'prices.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '--format', 'csv', '-q', '--ledger', db, '--out', out, join(dir, 'usage.csv')];
}

function start(db: string, out: string): ChildProcess {
  rmSync(out, { recursive: true, force: true });
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(join(dir, 'empty.db'), db);
  return spawn(process.execPath, [BIN, ...issueArgs(db, out)], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', TZ: 'UTC' } });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** After a kill: the ledger is as before or complete; an --out file only with a complete ledger, and then whole. */
async function checkAfterKill(label: string, db: string, out: string): Promise<'before' | 'complete'> {
  const s = await state(db);
  const which = s === emptyState ? 'before' : s === completeState ? 'complete' : 'other';
  expect({ label, which }).not.toEqual({ label, which: 'other' });
  for (const f of OUT) {
    const p = join(out, f);
    if (!existsSync(p)) continue;
    expect({ label, file: f, which }).toEqual({ label, file: f, which: 'complete' });
    expect({ label, file: f, same: readFileSync(p, 'utf8') === reference.get(f) }).toEqual({ label, file: f, same: true });
  }
  return which as 'before' | 'complete';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-ledger-crash-'));
  writeFileSync(join(dir, 'prices.yaml'), PRICES);
  const parts = ['record_id,customer_id,channel,started_at,duration_seconds,response_seconds,status,diversion,destination,diverted_seconds\n'];
  for (let i = 0; i < ROWS; i++) {
    const day = String(1 + (i % 30)).padStart(2, '0');
    parts.push(`r${i},C${i % 40},${i % 3 ? 'voice' : 'chat'},2026-10-${day}T${String(i % 24).padStart(2, '0')}:15:00Z,${i % 900},${i % 40},,${i % 7 === 0 ? 'mobile' : ''},,\n`);
  }
  writeFileSync(join(dir, 'usage.csv'), parts.join(''));
  expect((await run(['ledger', 'init', '--ledger', join(dir, 'empty.db')])).code).toBe(0);
  emptyState = await state(join(dir, 'empty.db'));

  // the same paths as the killed runs: invoices.json records the command line
  const db = join(dir, 'run.db');
  const t0 = Date.now();
  expect(await exited(start(db, join(dir, 'run-out')))).toEqual({ code: 0, signal: null });
  referenceMs = Date.now() - t0;
  for (const f of OUT) reference.set(f, readFileSync(join(dir, 'run-out', f), 'utf8'));
  completeState = await state(db);
  expect(completeState).not.toBe(emptyState);
  // 40 customers, 40 numbers
  expect(completeState).toContain('\nINV-2026-00040,');
  expect(completeState).not.toContain('INV-2026-00041');
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGKILL during issue leaves the ledger as before or complete', () => {
  it('at moments spread over the run, and while the transaction writes the WAL', async () => {
    const db = join(dir, 'run.db');
    const out = join(dir, 'run-out');
    const seen = new Set<string>();
    const delays = [0.8].map((f) => Math.round(f * referenceMs));
    delays.push(Math.round(Math.random() * referenceMs));
    for (const delay of delays) {
      const child = start(db, out);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited(child);
      seen.add(await checkAfterKill(`killed after ${delay} ms of ${referenceMs}`, db, out));
    }
    // the moment the post writes: the WAL grows inside the transaction
    const child = start(db, out);
    const t0 = Date.now();
    while (child.exitCode === null && Date.now() - t0 < referenceMs * 5 + 10_000) {
      let size = 0;
      try {
        size = statSync(`${db}-wal`).size;
      } catch {
        // not yet
      }
      if (size > 64 * 1024) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    child.kill('SIGKILL');
    await exited(child);
    seen.add(await checkAfterKill('killed while the WAL grew', db, out));
    // after the commit, while the --out files are put in place: the ledger must be complete
    // (their temporary files are written as the invoices are built, before the commit)
    const late = start(db, out);
    const t1 = Date.now();
    while (late.exitCode === null && Date.now() - t1 < referenceMs * 5 + 10_000) {
      let files: string[] = [];
      try {
        files = readdirSync(out).filter((f) => !f.startsWith('.callbill-tmp-'));
      } catch {
        // not yet
      }
      if (files.length > 0) break;
      await new Promise((r) => setTimeout(r, 1));
    }
    late.kill('SIGKILL');
    await exited(late);
    expect(await checkAfterKill('killed while the --out files were written', db, out)).toBe('complete');
    // eslint-disable-next-line no-console
    if (process.env.CRASH_VERBOSE) console.log(`ledger states after kills: ${[...seen].join(', ')}; reference ${referenceMs} ms`);
  }, 240_000);
});

describe('two runs at once', () => {
  it('two months issued concurrently: each exits 0, 65 or 75, and the numbers have no gap and no repeat', async () => {
    const fix = join(ROOT, 'fixtures', 'diversion-chain');
    writeFileSync(join(dir, 'chain.yaml'), readFileSync(join(fix, 'prices.yaml'), 'utf8').replace('invoice_number: "{customer}-{period}"', 'invoice_number: "INV-{seq:5}"'));
    for (let round = 0; round < 2; round++) {
      const db = join(dir, `two-${round}.db`);
      expect((await run(['ledger', 'init', '--ledger', db])).code).toBe(0);
      const one = (period: string, file: string) => run(['issue', '-p', join(dir, 'chain.yaml'), '--period', period, '--issue-date', '2026-12-01', '-q', '--ledger', db, join(fix, file)]);
      const results = await Promise.all([one('2026-10', 'oct.csv'), one('2026-11', 'nov.csv')]);
      for (const r of results) expect([0, 65, 75]).toContain(r.code);
      expect(results.some((r) => r.code === 0)).toBe(true);
      for (const r of results.filter((x) => x.code === 75)) expect(r.stderr).toContain('ledger busy');
      const list = JSON.parse((await runInProcess(['ledger', 'invoices', '--format', 'json', '--ledger', db])).stdout) as { documents: Array<{ number: string }> };
      const numbers = list.documents.map((d) => d.number);
      expect(numbers).toEqual(numbers.map((_n, i) => `INV-${String(i + 1).padStart(5, '0')}`));
      // two invoices (ACME, GLOBEX) for each run that succeeded
      expect(numbers.length).toBe(2 * results.filter((r) => r.code === 0).length);
    }
  }, 240_000);
});
