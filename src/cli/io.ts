import * as os from 'node:os';
import { UsageError } from '../errors';
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

/** Writes to a stream and resolves once it has taken the text. */
export function writeOut(stream: NodeJS.WriteStream, s: string): Promise<void> {
  return new Promise((resolve) => {
    stream.write(s, () => resolve());
  });
}

/** `--jobs N`: a whole number from 1; the default is every core the process may use. */
export function parseJobs(text: string | undefined): number {
  if (text === undefined) {
    return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  }
  if (!/^[0-9]{1,4}$/.test(text) || Number(text) < 1) throw new UsageError(`--jobs: expected a whole number of threads from 1, found ${shownValue(text)}`);
  return Number(text);
}
