import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, runInProcess, runSubprocess } from '../helpers/cli';

/**
 * SIGKILL during `correct` (with --out and --documents) and during `issue --documents`
 * leaves the ledger as before or complete, and every file that exists afterwards is whole
 * (the same bytes as an undisturbed run's) and exists only with a complete ledger: the
 * documents are rendered before the post and written after the commit, all or none.
 */
const CUSTOMERS = 30;
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
invoice_number: "INV-{year}-{seq:5}"
default_plan: p
seller: { name: "Seller Lda" }
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.85, increment: { first: 60, next: 6 } }
        diversion: { fee: 50.00, mobile: { per_minute: 0.12, increment: { first: 60, next: 60 } } }
`;
const HEADER = 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds,diversion,diverted_seconds\n';

let dir: string;
let issuedState: string;
let correctedState: string;
let referenceMs = 0;
const reference = new Map<string, Buffer>();

async function state(db: string): Promise<string> {
  const out = join(dir, `export-${Math.random().toString(36).slice(2)}`);
  const r = await runInProcess(['ledger', 'export', '--ledger', db, '--out', out]);
  expect(r).toMatchObject({ code: 0, stderr: '' });
  const s = readdirSync(out).sort().map((f) => `== ${f}\n${readFileSync(join(out, f), 'utf8')}`).join('');
  rmSync(out, { recursive: true, force: true });
  return s;
}

const correctArgs = (db: string, out: string, docs: string) => [
  'correct', '-p', join(dir, 'prices.yaml'), '--period', '2026-10', '--issue-date', '2026-11-20', '-q', '--ledger', db, '--out', out, '--documents', docs, join(dir, 'complete.csv'),
];

function startCorrect(db: string, out: string, docs: string): ChildProcess {
  for (const p of [out, docs]) rmSync(p, { recursive: true, force: true });
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  copyFileSync(join(dir, 'issued.db'), db);
  return spawn(process.execPath, [BIN, ...correctArgs(db, out, docs)], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '', TZ: 'UTC' } });
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ code: child.exitCode, signal: child.signalCode });
    else child.once('exit', (code, signal) => resolve({ code, signal }));
  });
}

/** Every file in the folders, by name relative to them; a SIGKILL may leave temporary files (hidden names), never a partial one under a real name. */
function allFiles(out: string, docs: string): string[] {
  return [out, docs].flatMap((d) => (existsSync(d) ? readdirSync(d).map((f) => `${d === out ? 'out' : 'docs'}/${f}`) : []));
}
function leftFiles(out: string, docs: string): string[] {
  return allFiles(out, docs).filter((f) => !/\/\.callbill-(tmp-\d+-|lock$)/.test(f));
}

async function checkAfterKill(label: string, db: string, out: string, docs: string): Promise<'before' | 'complete'> {
  const s = await state(db);
  const which = s === issuedState ? 'before' : s === correctedState ? 'complete' : 'other';
  expect({ label, which }).not.toEqual({ label, which: 'other' });
  for (const f of leftFiles(out, docs)) {
    expect({ label, f, known: reference.has(f) }).toEqual({ label, f, known: true });
    expect({ label, f, which }).toEqual({ label, f, which: 'complete' });
    const path = join(f.startsWith('out/') ? out : docs, f.slice(f.indexOf('/') + 1));
    expect({ label, f, same: readFileSync(path).equals(reference.get(f)!) }).toEqual({ label, f, same: true });
  }
  return which as 'before' | 'complete';
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cb-ledger-crash-docs-'));
  writeFileSync(join(dir, 'prices.yaml'), PRICES);
  const rows: string[] = [];
  for (let i = 0; i < CUSTOMERS * 20; i++) {
    const day = String(1 + (i % 30)).padStart(2, '0');
    rows.push(`r${i},C${String(i % CUSTOMERS).padStart(2, '0')},voice,2026-10-${day}T10:15:00Z,${60 + (i % 900)},${i % 40},${i % 7 === 0 ? 'mobile' : ''},${i % 7 === 0 ? 200 : ''}\n`);
  }
  writeFileSync(join(dir, 'usage.csv'), HEADER + rows.join(''));
  // the complete usage of October: one late call for every customer, so every invoice is corrected
  const late = Array.from({ length: CUSTOMERS }, (_, c) => `late${c},C${String(c).padStart(2, '0')},voice,2026-10-31T09:00:00Z,120,5,,\n`);
  writeFileSync(join(dir, 'complete.csv'), HEADER + rows.join('') + late.join(''));
  const issued = join(dir, 'issued.db');
  expect((await runSubprocess(['ledger', 'init', '-q', '--ledger', issued], { cwd: dir })).code).toBe(0);
  const r = await runSubprocess(['issue', '-p', join(dir, 'prices.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '-q', '--ledger', issued, join(dir, 'usage.csv')], { cwd: dir });
  expect([r.code, r.stderr]).toEqual([0, '']);
  issuedState = await state(issued);

  const db = join(dir, 'run.db');
  const out = join(dir, 'run-out');
  const docs = join(dir, 'run-docs');
  const t0 = Date.now();
  expect(await exited(startCorrect(db, out, docs))).toEqual({ code: 0, signal: null });
  referenceMs = Date.now() - t0;
  correctedState = await state(db);
  expect(correctedState).not.toBe(issuedState);
  for (const f of leftFiles(out, docs)) reference.set(f, readFileSync(join(f.startsWith('out/') ? out : docs, f.slice(f.indexOf('/') + 1))));
  // a credit note and a replacement per customer, each as HTML and PDF, and the three --out files
  expect(reference.size).toBe(CUSTOMERS * 4 + 3);
}, 240_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SIGKILL during correct --out --documents', () => {
  it('leaves the ledger as before or complete, and only whole files with a complete ledger', async () => {
    const db = join(dir, 'run.db');
    const out = join(dir, 'run-out');
    const docs = join(dir, 'run-docs');
    for (const delay of [0.5, 0.9, Math.random()].map((f) => Math.round(f * referenceMs))) {
      const child = startCorrect(db, out, docs);
      await new Promise((r) => setTimeout(r, delay));
      child.kill('SIGKILL');
      await exited(child);
      await checkAfterKill(`killed after ${delay} ms of ${referenceMs}`, db, out, docs);
    }
    // once a file of the run appears (a temporary one), the commit is behind it: the ledger must be complete
    const late = startCorrect(db, out, docs);
    const t1 = Date.now();
    let sawFile = false;
    while (late.exitCode === null && Date.now() - t1 < referenceMs * 5 + 10_000) {
      if (allFiles(out, docs).some((f) => !f.endsWith('.callbill-lock'))) {
        sawFile = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 1));
    }
    late.kill('SIGKILL');
    await exited(late);
    const which = await checkAfterKill('killed while the files were written', db, out, docs);
    if (sawFile) expect(which).toBe('complete');
  }, 240_000);
});
