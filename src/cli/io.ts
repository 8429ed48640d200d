import * as os from 'node:os';
import { UsageError } from '../errors';
import { writeStdout } from '../io/stdout';
import { shownValue } from '../render/terminal-safe';

/** What a command may touch of the process: its streams, its environment and the clock. */
export interface CommandIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  now: () => number;
  /** The command line as given (recorded in the audit of --out). */
  argv?: readonly string[];
}

/** Writes to standard output and resolves once it has taken the text; a failed write is a WriteError (74). */
export function writeOut(stream: NodeJS.WriteStream, s: string): Promise<void> {
  return writeStdout(stream, [s]);
}

/**
 * `--jobs N`: a whole number from 1; the default is every core the process may use.
 * More threads than the machine can run at once only cost memory (each holds the
 * price list and the rating code): N is capped there, and `notice` is told so.
 */
export function parseJobs(text: string | undefined, notice?: (message: string) => void): number {
  const cores = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
  if (text === undefined) return cores;
  if (!/^[0-9]{1,4}$/.test(text) || Number(text) < 1) throw new UsageError(`--jobs: expected a whole number of threads from 1, found ${shownValue(text)}`);
  const n = Number(text);
  if (n <= cores) return n;
  notice?.(`callbill: --jobs ${n}: using ${cores}, the threads this machine can run at once\n`);
  return cores;
}
