import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/cli';

/**
 * `--documents` for a month with more documents than the process may have files open:
 * each document's temporary file is closed as soon as it is written, not held open
 * until the set is put in place. The run gets an open-file limit of 100 (bash's
 * `ulimit -n`) and 150 customers, so 300 documents and more: holding them open fails
 * the run with EMFILE (exit 73).
 */
const dir = mkdtempSync(join(tmpdir(), 'callbill-docs-many-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes more documents than the open-file limit allows files open at once', () => {
  const usage = join(dir, 'customers.csv');
  const gen = spawnSync(process.execPath, [join(ROOT, 'test', 'bench', 'generate-customers.mjs'), usage, '150'], { encoding: 'utf8' });
  expect(gen.status).toBe(0);
  const out = join(dir, 'docs');
  const cmd = `ulimit -n 100 && exec "$0" "$@"`;
  const args = [join(ROOT, 'bin', 'callbill.js'), 'invoice', '-q', '--prices', join(ROOT, 'price-lists', 'default.yaml'), '--period', '2026-10', '--issue-date', '2026-11-01', '--jobs', '1', '--format', 'csv', '--documents', out, usage];
  const r = spawnSync('bash', ['-c', cmd, process.execPath, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  // one HTML and one PDF per invoice of the CSV (its header aside), and nothing else
  const numbers = r.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]!);
  expect(numbers.length).toBeGreaterThan(150);
  const expected = numbers.flatMap((n) => [`${n}.html`, `${n}.pdf`]).sort();
  expect(readdirSync(out).sort()).toEqual(expected);
});
