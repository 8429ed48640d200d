/**
 * Whether the build (dist/, from `npm run build`) is there and up to date. Tests that run
 * the built CLI — in a subprocess, or its main() in this process — check it first, so that
 * a stale build never passes or fails for the wrong reason. Nothing in the tests builds.
 */
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** The newest file under a folder, or null for a missing or empty one. */
function newest(dir: string): { ms: number; path: string } | null {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  let best: { ms: number; path: string } | null = null;
  for (const e of entries) {
    const p = join(dir, e.name);
    const n = e.isDirectory() ? newest(p) : { ms: statSync(p).mtimeMs, path: p };
    if (n && (!best || n.ms > best.ms)) best = n;
  }
  return best;
}

/** What is wrong with the build, in words, or null when it is newer than every file under src/. */
export function buildProblem(): string | null {
  const dist = newest(join(ROOT, 'dist'));
  if (!dist) return 'there is no build (dist/ is missing or empty): run `npm run build` first (`npm test` does)';
  const src = newest(join(ROOT, 'src'));
  if (src && src.ms > dist.ms) return `the build is older than ${relative(ROOT, src.path)}: run \`npm run build\` first (\`npm test\` does)`;
  return null;
}

let checked = false;
/** Throws when the build is missing or stale; checks once per test file. */
export function requireFreshBuild(): void {
  if (checked) return;
  const problem = buildProblem();
  if (problem) throw new Error(`tests of the built CLI: ${problem}`);
  checked = true;
}
