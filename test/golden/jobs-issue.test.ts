import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from '../helpers/run-cli';
import { generateUsage } from '../helpers/usage-gen';

/**
 * `issue` with worker threads (SPEC §7): the chunks are filtered by the ledger's rule in
 * the workers (late records counted there; a record whose id the ledger may have billed
 * sends the rest of the file back to the main thread, which looks the id up), and the ids
 * they bill come back to be stored. With small chunks forced, every run must print and
 * store exactly what --jobs 1 does: the same output, the same documents, the same billed
 * ids on the same documents, and the same run record with its fingerprints.
 */
const MONTH = (m: string) => ['--period', m, '--issue-date', m === '2026-10' ? '2026-11-01' : '2026-12-01'];
const THREADS = { CALLBILL_CHUNK_BYTES: '2048' };

let dir: string;
let prices: string;
let empty: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-jobs-issue-'));
  prices = join(dir, 'prices.yaml');
  writeFileSync(prices, readFileSync('price-lists/default.yaml', 'utf8').replace(/^invoice_number: .*$/m, 'invoice_number: "INV-{year}-{seq:5}"'));
  empty = join(dir, 'empty.db');
  expect(runCli(['ledger', 'init', '-q', '--ledger', empty]).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What a ledger holds, less the times and command lines of its runs. */
function contents(db: string): Record<string, unknown> {
  const d = new Database(db, { readonly: true });
  try {
    return {
      documents: d.prepare('SELECT number, kind, customer_id, period, total, opening_balance, closing_balance, status, json FROM document ORDER BY id').all(),
      billed: d.prepare('SELECT b.record_id, d.number FROM billed_record b JOIN document d ON d.id = b.document_id ORDER BY b.record_id, d.number').all(),
      runs: d
        .prepare(
          `SELECT command, period, records_read, records_billed, records_rejected, records_outside_period, records_already_billed, records_late,
                  hex(billed_fingerprints) AS fingerprints FROM run ORDER BY id`,
        )
        .all(),
    };
  } finally {
    d.close();
  }
}

/** Issues `file` into a copy of `from` with --jobs 1 and with threads; returns both runs and ledgers. */
function issueBoth(from: string, file: string, month: string, tag: string) {
  const out = [1, 2].map((jobs) => {
    const db = join(dir, `${tag}-${jobs}.db`);
    copyFileSync(from, db);
    const rejects = join(dir, `${tag}-${jobs}-rejects.csv`);
    const r = runCli(['issue', '-p', prices, ...MONTH(month), '--ledger', db, '--format', 'json', '--rejects', rejects, '--jobs', String(jobs), file], { env: jobs > 1 ? THREADS : {} });
    // the rejects file and the messages name it: the same name for both runs
    const named = (t: string) => t.split(rejects).join('REJECTS');
    return { code: r.code, stdout: named(r.stdout), stderr: named(r.stderr), rejects: readFileSync(rejects, 'utf8'), db, ledger: contents(db) };
  });
  return { one: out[0]!, two: out[1]! };
}

const octRows = 3000;
let octFile: string;
let octLedger: string;

describe('issue into an empty ledger', () => {
  beforeAll(() => {
    octFile = join(dir, 'oct.csv');
    // bad rows and a duplicated id across chunks (far apart, so in chunks of different threads)
    writeFileSync(octFile, generateUsage({ rows: octRows, bad: [10, 700, 1900, 2999], duplicates: [[5, 2900], [1500, 1501]] }));
  });

  it('prints and stores the same with --jobs 1 and with threads', () => {
    const { one, two } = issueBoth(empty, octFile, '2026-10', 'oct');
    expect(one.code).toBe(0);
    expect(one.rejects).toMatch(/duplicate record id/);
    expect(two.rejects).toBe(one.rejects);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    const billed = one.ledger.billed as unknown[];
    // every good row billed once: the bad rows and both copies of each duplicated id are not
    expect(billed.length).toBeGreaterThan(octRows - 20);
    expect(billed.length).toBeLessThan(octRows - 4);
    expect(two.ledger).toEqual(one.ledger);
    octLedger = one.db;
  });
});

describe('a month without repeated ids (the first pass is the result: no second reading on one thread)', () => {
  it('stores the same billed ids and fingerprints, and invoice --ledger previews the same', () => {
    const file = join(dir, 'clean.csv');
    writeFileSync(file, generateUsage({ rows: 4000, seed: 5, bad: [17, 3333] }));
    const { one, two } = issueBoth(empty, file, '2026-10', 'clean');
    expect(one.code).toBe(0);
    expect((one.ledger.billed as unknown[]).length).toBeGreaterThan(3900);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.rejects).toBe(one.rejects);
    expect(two.ledger).toEqual(one.ledger);
    // the preview of November's issue over the same file: every record was billed in October
    const preview = [1, 2].map((jobs) =>
      runCli(['invoice', '-p', prices, ...MONTH('2026-11'), '--ledger', one.db, '--format', 'json', '--rejects', join(dir, `preview-${jobs}.csv`), '--jobs', String(jobs), file], { env: jobs > 1 ? THREADS : {} }),
    );
    const named = (t: string, jobs: number) => t.split(join(dir, `preview-${jobs}.csv`)).join('REJECTS');
    expect(named(preview[1]!.stderr, 2)).toBe(named(preview[0]!.stderr, 1));
    expect(named(preview[1]!.stdout, 2)).toBe(named(preview[0]!.stdout, 1));
    expect(preview[1]!.code).toBe(preview[0]!.code);
    expect(preview[0]!.stderr).toMatch(/records were billed on an earlier invoice and were skipped/);
  });
});

describe('issue of the next month, over an export that brings back records of the issued one', () => {
  it('skips the records already billed and the late ones as --jobs 1 does', () => {
    const oct = readFileSync(octFile, 'utf8').trimEnd().split('\n');
    // November: the same kind of month (days past the 30th are rejected rows, alike)
    const nov = generateUsage({ rows: 2000, seed: 11 })
      .trimEnd()
      .split('\n')
      .map((l, i) => (i === 0 ? l : l.replace(/^R-(\d+)/, 'N-$1').replace('2026-10-', '2026-11-')));
    // late records of October with new ids, everywhere in the file (counted by the workers)
    const late = generateUsage({ rows: 400, seed: 12 })
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^R-(\d+)/, 'L-$1'));
    const rows: string[] = [nov[0]!];
    for (let i = 1; i < nov.length; i++) {
      rows.push(nov[i]!);
      if (i % 5 === 0 && late.length > 0) rows.push(late.shift()!);
      // in the second half, records October billed: from there the main thread reads on
      if (i === 1200) rows.push(...oct.slice(100, 110));
    }
    const file = join(dir, 'nov.csv');
    writeFileSync(file, rows.join('\n') + '\n');
    const { one, two } = issueBoth(octLedger, file, '2026-11', 'nov');
    expect(one.code).toBe(0);
    const run = (one.ledger.runs as Array<{ records_already_billed: number; records_late: number }>)[1]!;
    expect(run.records_already_billed).toBe(10);
    expect(run.records_late).toBeGreaterThan(300);
    expect(one.stderr).toMatch(/late record/);
    expect(two.rejects).toBe(one.rejects);
    expect(two.stdout).toBe(one.stdout);
    expect(two.stderr).toBe(one.stderr);
    expect(two.code).toBe(one.code);
    expect(two.ledger).toEqual(one.ledger);
  });
});
