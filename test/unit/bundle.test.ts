import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXAMPLE_UNLISTED_NOTICE } from '../helpers/unlisted';

/**
 * The build bundles the CLI with esbuild (src/build/build.mjs): bin/callbill.js runs
 * dist/callbill.js, which holds every module it needs, yaml included, once. A run that
 * reads a price list and an import profile (both YAML) must load no other file of code:
 * no TypeScript loader, no module from node_modules (a second copy of yaml was loaded
 * that way before), no stray file of dist/.
 */
const ROOT = join(__dirname, '..', '..');

function modulesLoadedBy(args: string[]): { status: number | null; stderr: string; files: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'callbill-bundle-'));
  try {
    const report = join(dir, 'modules.json');
    const hook = join(dir, 'hook.js');
    // every CommonJS module loaded is in require.cache (the bundle has no ES module left to import)
    writeFileSync(hook, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, JSON.stringify(Object.keys(require.cache))));\n`);
    const r = spawnSync(process.execPath, ['--require', hook, join(ROOT, 'bin', 'callbill.js'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    const loaded = JSON.parse(readFileSync(report, 'utf8')) as string[];
    return { status: r.status, stderr: r.stderr, files: loaded.filter((f) => f !== hook).map((f) => f.slice(ROOT.length + 1)).sort() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bundled CLI', () => {
  it('reads a price list and an import profile with one file of code, yaml inside it once', () => {
    const r = modulesLoadedBy(['check', '--import', 'asterisk', 'fixtures/import/asterisk/Master.csv']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.files).toEqual(['bin/callbill.js', 'dist/callbill.js']);
  });

  it('invoices with the same single file (the rating, invoice and render code are in it)', () => {
    const r = modulesLoadedBy(['invoice', '--period', '2026-10', '--issue-date', '2026-11-02', '--format', 'json', 'fixtures/example-2026-10/voice.csv', 'fixtures/example-2026-10/chat.csv']);
    expect(r.stderr).toBe(EXAMPLE_UNLISTED_NOTICE);
    expect(r.status).toBe(0);
    expect(r.files).toEqual(['bin/callbill.js', 'dist/callbill.js']);
  });
});
