/**
 * Running the built CLI from tests: in this process through the `main()` of the code
 * bin/callbill.js runs (dist/), with fake streams and a fixed clock (fast), or as
 * `node bin/callbill.js` in a subprocess with a time limit and a heap cap (what a user
 * runs). Either way the code under test is the built one (`npm test` builds first).
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { requireFreshBuild } from './build';
import { builtCli } from './run-cli';

export const ROOT = join(__dirname, '..', '..');
export const BIN = join(ROOT, 'bin', 'callbill.js');
/** The built CLI's entry module (what bin/callbill.js requires). */
const BUILT_MAIN = join(ROOT, 'dist', 'callbill.js');

/** What the CLI's `main()` may touch of the process (its CommandIO). */
interface CommandIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  now: () => number;
}

type Main = (argv: readonly string[], io: CommandIO) => Promise<number>;
let builtMain: Main | null = null;
/** The built main(), once the build is known to be fresh (a stale one fails the test, saying so). */
function loadMain(): Main {
  if (!builtMain) {
    requireFreshBuild();
    builtMain = (require(BUILT_MAIN) as { main: Main }).main;
  }
  return builtMain;
}

export interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

class FakeStream {
  text = '';
  columns: number | undefined = 80;
  constructor(readonly isTTY: boolean) {}
  write(chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean {
    this.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  }
  on(): this {
    return this;
  }
}

/** The built main() on fake streams; its exit code, or -1 with the stack on stderr when it throws. */
async function callMain(args: readonly string[], stdout: FakeStream, stderr: FakeStream, env: NodeJS.ProcessEnv, now: () => number): Promise<number> {
  const main = loadMain();
  const io: CommandIO = { stdout: stdout as unknown as NodeJS.WriteStream, stderr: stderr as unknown as NodeJS.WriteStream, env, now };
  try {
    return await main(args, io);
  } catch (e) {
    // main() must never throw: that would be an unhandled rejection in bin/callbill.js
    stderr.write(`THROWN OUT OF main(): ${(e as Error)?.stack ?? String(e)}\n`);
    return -1;
  }
}

/** Runs the CLI in this process, with fake streams and a fixed clock. */
export async function runInProcess(args: readonly string[], env: NodeJS.ProcessEnv = { NO_COLOR: '1' }, tty = false): Promise<Outcome> {
  const stdout = new FakeStream(tty);
  const stderr = new FakeStream(tty);
  const t0 = Date.now();
  const code = await callMain(args, stdout, stderr, env, () => Date.UTC(2026, 10, 1, 12));
  return { code, stdout: stdout.text, stderr: stderr.text, ms: Date.now() - t0 };
}

/** What `runCli` (test/helpers/run-cli.ts) hands back. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * The built CLI's `main()` in this process, run as `runCli` runs `node bin/callbill.js`
 * (test/helpers/run-cli.ts), for the tests that compare only what it prints, its exit code
 * and the files it writes: the same environment (this process's, with NO_COLOR=1 and CI=1,
 * then `opts.env`), the folder `opts.cwd` (else the repository root), the real clock, and
 * streams that are pipes (not a terminal, no width), at a fraction of a subprocess's cost.
 * What only a real process shows (standard input, signals, a closed pipe, the exit code
 * through bin/callbill.js) stays with `runCli`; test/golden/cli.test.ts checks that both
 * print the same. For the run, `opts.env` is also set in process.env (the --jobs chunk size
 * is read from there) and the folder is changed; both are put back after it, and a run that
 * leaves a signal listener or an exit code behind fails.
 */
export async function runCliInProcess(args: readonly string[], opts: { env?: NodeJS.ProcessEnv; cwd?: string } = {}): Promise<CliOutcome> {
  loadMain(); // a stale build fails here, before anything is changed
  const stdout = new FakeStream(false);
  const stderr = new FakeStream(false);
  stdout.columns = stderr.columns = undefined;
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', CI: '1', ...opts.env };
  const savedEnv = Object.fromEntries(Object.keys(opts.env ?? {}).map((k) => [k, process.env[k]]));
  const savedCwd = process.cwd();
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const listeners = signals.map((s) => process.listenerCount(s));
  const exitCode = process.exitCode;
  let code: number;
  try {
    for (const [k, v] of Object.entries(opts.env ?? {})) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    process.chdir(opts.cwd ?? ROOT);
    code = await callMain(args, stdout, stderr, env, () => Date.now());
  } finally {
    process.chdir(savedCwd);
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
  const left = signals.filter((s, i) => process.listenerCount(s) !== listeners[i]);
  if (left.length > 0) throw new Error(`callbill ${args.join(' ')}: left a listener for ${left.join(', ')} behind`);
  if (process.exitCode !== exitCode) throw new Error(`callbill ${args.join(' ')}: set process.exitCode to ${String(process.exitCode)}`);
  return { code, stdout: stdout.text, stderr: stderr.text };
}

/** A run of the built CLI taking longer than this is taken for a hang. */
const HANG_MS = 180_000;

/**
 * Runs `node bin/callbill.js` with a heap cap and a time limit; a blow-up or a hang shows as a
 * bad exit. The limit only catches hangs: it is minutes, far above any run's time even on a
 * very busy machine (no test depends on speed).
 */
export function runSubprocess(args: readonly string[], opts: { timeoutMs?: number; heapMb?: number; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Outcome> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`--max-old-space-size=${opts.heapMb ?? 256}`, builtCli(), ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, opts.timeoutMs ?? HANG_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) stderr += `\nFUZZ: killed after ${opts.timeoutMs ?? HANG_MS} ms (a hang?)`;
      resolve({ code: code ?? (signal ? -2 : -1), stdout, stderr, ms: Date.now() - t0 });
    });
  });
}

