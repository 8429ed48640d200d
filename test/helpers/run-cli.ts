import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'callbill.js');

/**
 * The built command line (bin/callbill.js → dist/), for a suite of the cli project only:
 * that project checks once, before any suite, that the build exists and is newer than
 * src/ (test/setup/built-cli.js). A suite of the unit project that starts the CLI fails
 * here, saying where to list it, instead of running a stale or missing build.
 */
export function builtCli(): string {
  if ((globalThis as { callbillCliProject?: boolean }).callbillCliProject !== true) {
    throw new Error('this suite starts the built CLI in a subprocess: list it in CLI_SUITES of jest.config.js (the cli project checks the build first)');
  }
  return BIN;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the BUILT cli (bin/callbill.js → dist/) from the repository root, without colour. */
export function runCli(args: readonly string[], opts: { input?: string | Buffer; env?: NodeJS.ProcessEnv; cwd?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, [builtCli(), ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', CI: '1', ...opts.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
