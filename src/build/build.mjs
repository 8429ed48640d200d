#!/usr/bin/env node
// `npm run build` (after `tsc --noEmit` has type-checked src/): bundles the CLI and the
// --jobs worker with esbuild into dist/, each one CommonJS file holding every module it
// needs, dependencies included. Start-up then reads and compiles one file instead of
// resolving and loading a hundred (yaml alone is ~70 files), and each package is there
// once (one copy of yaml for price lists and import profiles). chalk 5 is ESM-only;
// esbuild turns it into CommonJS inside the bundle, loaded only when colour is on.
//
//   dist/callbill.js     bin/callbill.js requires it (exports run and main)
//   dist/fold-worker.js  the worker threads of --jobs (src/pipeline/parallel-fold.ts
//                        starts it from the folder of the code that runs)
import { mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const dist = path.join(root, 'dist');

// built beside the old files, then each renamed over its old self: a callbill started while
// the build runs (a test, a cron job) finds a whole bundle, never a folder without one
const stage = path.join(dist, `.build-${process.pid}`);
rmSync(stage, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: { callbill: 'src/cli/main.ts', 'fold-worker': 'src/pipeline/fold-worker.ts' },
  outdir: stage,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // native code, and packages that read files beside their own code, stay in node_modules
  external: ['better-sqlite3', 'pdfkit', 'playwright-core'],
  legalComments: 'inline',
  // node_modules may be a link (a worktree's): name modules by their path in this checkout
  preserveSymlinks: true,
  logLevel: 'warning',
});
mkdirSync(dist, { recursive: true });
const made = readdirSync(stage);
for (const f of made) renameSync(path.join(stage, f), path.join(dist, f));
// what an earlier build left that this one did not make (an old entry point, a killed build's stage)
for (const f of readdirSync(dist)) if (!made.includes(f)) rmSync(path.join(dist, f), { recursive: true, force: true });
