import { readdirSync, unlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, join } from 'node:path';

/**
 * Temporary files of callbill's outputs: `.callbill-tmp-<pid>-<host>-<n>-<name>`, in the
 * folder of the file they will replace. The process id and a tag of the host name say
 * whose they are, so that a later run can remove those of a run that was killed (its
 * process is gone) without touching those of a run still going, here or on another
 * machine sharing the folder. A user may remove any of them when no callbill runs.
 */
const TEMP_PREFIX = '.callbill-tmp-';

let hostTagValue: string | null = null;
export function hostTag(): string {
  if (hostTagValue === null) {
    const { createHash } = require('node:crypto') as typeof import('node:crypto');
    hostTagValue = createHash('sha256').update(hostname()).digest('hex').slice(0, 6);
  }
  return hostTagValue;
}

let counter = 0;

/** A fresh temporary name in `folder` for a file called `name` (cut so the whole name stays under 255 bytes). */
export function tempPath(folder: string, name: string, tag?: string): string {
  const head = `${TEMP_PREFIX}${process.pid}-${hostTag()}-${counter++}${tag ? `-${tag}` : ''}-`;
  let base = basename(name);
  while (Buffer.byteLength(head + base) > 250) base = base.slice(1);
  return join(folder, head + base);
}

const OWNED = /^\.callbill-tmp-(\d+)-([0-9a-f]{6})-/;

/** Whether a process of this machine with this id is running (a process of another user counts). */
export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Removes the temporary files a killed run left in `folder`: only those made on this
 * machine by a process that is gone. Best effort: a file that cannot be removed stays,
 * named so that its owner recognises it. Returns how many were removed.
 */
export function removeStaleTemps(folder: string): number {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    const m = OWNED.exec(name);
    if (!m || m[2] !== hostTag() || processAlive(Number(m[1]))) continue;
    try {
      unlinkSync(join(folder, name));
      removed++;
    } catch {
      // another run removed it first, or we may not: leave it
    }
  }
  return removed;
}
