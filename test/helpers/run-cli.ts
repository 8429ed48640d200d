import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

/** The repository root: golden tests run the built CLI from here, with paths relative to it. */
export const ROOT = resolve(__dirname, '..', '..');

export interface CliResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/** Runs the BUILT cli (`node bin/callbill.js …`, as users do) with NO_COLOR=1. */
export function runCli(args: readonly string[], opts: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'callbill.js'), ...args], {
    cwd: opts.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', DEBUG: '', ...opts.env },
    input: opts.input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { stdout: r.stdout, stderr: r.stderr, code: r.status };
}
