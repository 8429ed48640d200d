/**
 * The font shipped with callbill lives in the source tree (src/render/documents/fonts) and
 * is found by the built CLI at run time: from this checkout, and from an installed package
 * laid out as `npm pack` ships it (only the files package.json names), started from another
 * folder. The documents written there are the same bytes as those written here.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli, ROOT } from '../helpers/run-cli';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'callbill-font-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let packed: string[] | undefined;
/** The files `npm pack` would put in the package (no scripts run: the build is already there); asked of npm once for both tests. */
function packedFiles(): string[] {
  if (packed === undefined) {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    packed = (JSON.parse(r.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
  }
  return packed;
}

const USAGE = ['fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv'];

it('the package ships the font and its licence, and no top-level assets folder', () => {
  const files = packedFiles();
  for (const f of ['src/render/documents/fonts/DejaVuSans.ttf', 'src/render/documents/fonts/DejaVuSans-Bold.ttf', 'src/render/documents/fonts/LICENSE']) expect(files).toContain(f);
  expect(files.filter((f) => f.startsWith('assets/'))).toEqual([]);
  expect(existsSync(join(ROOT, 'assets'))).toBe(false);
});

it('an installed package, started from another folder, finds the font and writes the same documents', () => {
  const here = join(dir, 'here');
  const r1 = runCli(['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '-q', '--documents', here, ...USAGE]);
  expect(r1.stderr).toBe('');
  expect(r1.code).toBe(0);

  const pkg = join(dir, 'prefix', 'node_modules', 'callbill');
  for (const f of packedFiles()) {
    mkdirSync(dirname(join(pkg, f)), { recursive: true });
    cpSync(join(ROOT, f), join(pkg, f));
  }
  // the package's dependencies, as npm would install them beside it
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const elsewhere = join(dir, 'work');
  mkdirSync(elsewhere);
  const there = join(elsewhere, 'docs');
  const r2 = spawnSync(process.execPath, [join(pkg, 'bin', 'callbill.js'), 'invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '-q', '-p', join(ROOT, 'price-lists/default.yaml'), '--documents', there, ...USAGE.map((u) => join(ROOT, u))], {
    cwd: elsewhere,
    env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
    encoding: 'utf8',
  });
  expect(r2.stderr).toBe('');
  expect(r2.status).toBe(0);
  const names = readdirSync(here).sort();
  expect(readdirSync(there).sort()).toEqual(names);
  expect(names.some((n) => n.endsWith('.pdf'))).toBe(true);
  for (const n of names) expect(readFileSync(join(there, n)).equals(readFileSync(join(here, n)))).toBe(true);
});

it('a document does not depend on the documents written before it in the same run (the font is parsed once, each PDF has its own subset)', () => {
  const usage = (rows: string[]) => 'record_id,customer_id,channel,started_at,duration_seconds,response_seconds\n' + rows.join('\n') + '\n';
  const first = 'Q1,ZQ-ΑΘΉΝΑ-Łódź,voice,2026-10-03T10:00:00Z,600,5';
  const second = 'Q2,ZZ-Москва,voice,2026-10-04T10:00:00Z,125,9';
  const both = join(dir, 'both.csv');
  const one = join(dir, 'one.csv');
  writeFileSync(both, usage([first, second]));
  writeFileSync(one, usage([second]));
  const args = ['invoice', '--period', '2026-10', '--issue-date', '2026-11-01', '-q', '-p', 'fixtures/spec-example/prices.yaml'];
  const a = runCli([...args, '--documents', join(dir, 'd-both'), both]);
  const b = runCli([...args, '--documents', join(dir, 'd-one'), one]);
  expect([a.code, b.code, a.stderr, b.stderr]).toEqual([0, 0, '', '']);
  const pdf = 'ZZ-Москва-2026-10.pdf';
  expect(readdirSync(join(dir, 'd-both'))).toContain('ZQ-ΑΘΉΝΑ-Łódź-2026-10.pdf');
  expect(readFileSync(join(dir, 'd-both', pdf)).equals(readFileSync(join(dir, 'd-one', pdf)))).toBe(true);
});
