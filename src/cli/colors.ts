import type { Painter } from '../render/table';
import { PLAIN } from '../render/table';

/**
 * The one module that owns colour. chalk alone does not honour NO_COLOR, so the
 * level is decided here: --no-color, NO_COLOR (any value), a non-TTY stdout → plain.
 * chalk 5 is ESM-only: it is loaded with a native import() only when colour is on.
 */
export function colorWanted(flag: boolean, stream: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  if (!flag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  return Boolean(stream.isTTY);
}

export async function painter(on: boolean): Promise<Painter> {
  if (!on) return PLAIN;
  const { Chalk } = await import('chalk');
  const c = new Chalk({ level: 1 });
  return {
    heading: (s) => c.bold(s),
    label: (s) => c.bold(s),
    money: (s) => c.cyan(s),
    good: (s) => c.green(s),
    bad: (s) => c.red(s),
    dim: (s) => c.dim(s),
  };
}
