import { accessSync, constants, fstatSync, lstatSync, mkdirSync, realpathSync, rmdirSync, statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fsErrorText, OutputError } from '../errors';
import { commitStaged, removeTemps, stickyForbids } from './atomic-write';
import type { StagedFile } from './atomic-write';
import { RejectSpool } from './reject-spool';
import { StreamedFile } from './streamed-file';
import { removeStaleTemps, tempPath } from './temp-files';

/** An output the command line asks for: `option` names it in messages (`--rejects`, `--out`). */
export interface OutputRequest {
  option: string;
  path: string;
}

/** A file the run reads: `what` names it in messages ("the usage file", "the price list"). */
export interface InputRequest {
  what: string;
  path: string;
}

interface Target {
  option: string;
  /** As given on the command line. */
  path: string;
  /** A regular file (new or existing), renamed over; or a character device / FIFO, written in place. */
  kind: 'file' | 'device';
  /** Regular: the real path (a symbolic link stays a link; the file it points to is replaced). Device: as given. */
  dest: string;
  /** Same key, same file: device and inode when it exists, else the real folder and the name. */
  key: string;
  /** The null device: any number of outputs may be thrown away into it. */
  discard: boolean;
}

/**
 * Every output of a run, checked before anything is read (SPEC §6, 73) and put in place
 * together at the end (atomic-write.ts `commitStaged`):
 * - an output is never an input (usage files, price list, balances, import profile, any
 *   other file read), compared by device and inode, so a symbolic or hard link is caught;
 * - no two outputs share a file, and none is the file standard output is redirected to;
 * - a folder is never a target; a character device or FIFO is written in place, never
 *   renamed over; any other kind of file (a disk device, a socket) is refused;
 * - the folder of each file exists and is writable, an existing file may be replaced;
 * - `--out` folders are created now, and removed again when the run fails;
 * - temporary files a killed run left in those folders are removed.
 */
export class OutputPlan {
  private readonly staged: StreamedFile[] = [];
  private readonly spools: RejectSpool[] = [];
  private readonly byPath = new Map<string, Target>();
  private committed = false;
  private readonly onSignal: (sig: NodeJS.Signals) => void;

  private constructor(
    private readonly targets: Target[],
    /** Folders this run created, deepest first, for `abort` to remove. */
    private readonly created: string[],
  ) {
    for (const t of targets) this.byPath.set(t.path, t);
    // an interrupted run leaves neither its temporary files nor the folders it created
    this.onSignal = (sig) => {
      this.abort();
      process.kill(process.pid, sig);
    };
    for (const sig of SIGNALS) process.once(sig, this.onSignal);
  }

  /**
   * Checks the outputs against the inputs and each other, and creates the `folders`
   * (the `--out` folders) that do not exist. `files` may lie inside those folders.
   * `stdoutFd`: the descriptor of standard output when it is the real one (a redirection
   * to a regular file is then compared too).
   */
  static prepare(req: { folders?: readonly OutputRequest[]; files: readonly OutputRequest[]; inputs: readonly InputRequest[]; stdoutFd?: number }): OutputPlan {
    const created: string[] = [];
    try {
      const inputs = new Map<string, InputRequest>();
      for (const i of req.inputs) {
        const key = identity(i.path === '-' ? fstatOrNull(0) : statOrNull(i.path));
        if (key && !inputs.has(key)) inputs.set(key, i);
      }
      const stdoutKey = req.stdoutFd === undefined ? null : regularIdentity(fstatOrNull(req.stdoutFd));
      if (stdoutKey && inputs.has(stdoutKey)) {
        const i = inputs.get(stdoutKey)!;
        throw new OutputError(`standard output goes to ${i.what} ${i.path}, which callbill reads; an output may not replace an input (nothing was read or written)`);
      }
      // files outside the folders first: a mistake there creates no folder
      const inFolder = (f: OutputRequest) => (req.folders ?? []).some((d) => resolve(dirname(f.path)) === resolve(d.path));
      const targets: Target[] = [];
      for (const f of req.files.filter((x) => !inFolder(x))) targets.push(resolveTarget(f));
      for (const d of req.folders ?? []) created.unshift(...makeFolder(d));
      for (const f of req.files.filter(inFolder)) targets.push(resolveTarget(f));
      const seen = new Map<string, Target>();
      for (const t of targets) {
        const input = inputs.get(t.key);
        if (input) throw new OutputError(`${t.option} ${t.path}: is ${input.what} ${input.path}, which callbill reads; an output may not replace an input (nothing was read or written)`);
        if (t.key === stdoutKey) throw new OutputError(`${t.option} ${t.path}: is the file standard output goes to; two outputs may not share a file (nothing was read or written)`);
        const first = seen.get(t.key);
        if (first && !(first.discard && t.discard)) {
          throw new OutputError(`${t.option} ${t.path}: is also the file of ${first.option} (${first.path}); two outputs may not share a file (nothing was read or written)`);
        }
        seen.set(t.key, t);
      }
      for (const folder of new Set(targets.map((t) => (t.kind === 'file' ? dirname(t.dest) : tmpdir())))) removeStaleTemps(folder);
      return new OutputPlan(targets, created);
    } catch (e) {
      removeFolders(created);
      throw e;
    }
  }

  /**
   * The writer of one output planned by `prepare`: a temporary file beside it (or, for a
   * device, in the temporary folder), put in place by `commit`. `hashed` keeps its SHA-256.
   */
  stage(path: string, opts: { hashed?: boolean } = {}): StreamedFile {
    const t = this.byPath.get(path);
    if (!t) throw new Error(`output not planned: ${path}`);
    const folder = t.kind === 'file' ? dirname(t.dest) : tmpdir();
    const f = StreamedFile.at(t.dest, tempPath(folder, t.dest), { hashed: opts.hashed, shown: `${t.option} ${t.path}` });
    this.staged.push(f);
    return f;
  }

  /** A spool for the rejected rows bound for `path`, in the same folder (a device's: the temporary folder); removed by `abort`. */
  spool(path: string): RejectSpool {
    const t = this.byPath.get(path);
    if (!t) throw new Error(`output not planned: ${path}`);
    const s = RejectSpool.create(t.kind === 'file' ? dirname(t.dest) : tmpdir());
    this.spools.push(s);
    return s;
  }

  /** Finishes every staged file and puts the set in place (see commitStaged). */
  commit(): StagedFile[] {
    const done: StagedFile[] = [];
    try {
      for (const f of this.staged) {
        const t = [...this.byPath.values()].find((x) => x.dest === f.path)!;
        done.push({ ...f.finish(), device: t.kind === 'device', shown: `${t.option} ${t.path}` });
      }
      commitStaged(done);
      this.committed = true;
      return done;
    } finally {
      removeTemps(done);
    }
  }

  /** Removes every temporary file and spool, and, when nothing was committed, the folders this run created. Safe to call twice. */
  abort(): void {
    for (const sig of SIGNALS) process.removeListener(sig, this.onSignal);
    for (const f of this.staged) f.abort();
    for (const s of this.spools) s.remove();
    if (!this.committed) removeFolders(this.created);
  }
}

const SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

function statOrNull(p: string): Stats | null {
  try {
    return statSync(p);
  } catch {
    return null; // reading it reports the problem (66)
  }
}

function fstatOrNull(fd: number): Stats | null {
  try {
    return fstatSync(fd);
  } catch {
    return null;
  }
}

function identity(st: Stats | null): string | null {
  return st && st.ino !== 0 ? `inode ${st.dev}:${st.ino}` : null;
}

function regularIdentity(st: Stats | null): string | null {
  return st?.isFile() ? identity(st) : null;
}

let nullRdev: number | null | undefined;
function isNullDevice(st: Stats): boolean {
  if (nullRdev === undefined) nullRdev = statOrNull('/dev/null')?.rdev ?? null;
  return st.isCharacterDevice() && nullRdev !== null && st.rdev === nullRdev;
}

function resolveTarget(o: OutputRequest): Target {
  const at = `${o.option} ${o.path}`;
  let l: Stats | null = null;
  try {
    l = lstatSync(o.path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new OutputError(`${at}: cannot be written: ${fsErrorText(e)}`);
  }
  if (l === null) {
    const folder = dirname(o.path);
    checkFolder(at, folder);
    const real = join(realpathSync(folder), basename(o.path));
    return { option: o.option, path: o.path, kind: 'file', dest: real, key: `path ${real}`, discard: false };
  }
  let st: Stats = l;
  if (l.isSymbolicLink()) {
    const s = statOrNull(o.path);
    if (!s) throw new OutputError(`${at}: is a symbolic link to a file that does not exist; give the file itself`);
    st = s;
  }
  if (st.isDirectory()) throw new OutputError(`${at}: is a folder; give a file name`);
  if (st.isCharacterDevice() || st.isFIFO()) {
    return { option: o.option, path: o.path, kind: 'device', dest: o.path, key: identity(st) ?? `path ${o.path}`, discard: isNullDevice(st) };
  }
  if (!st.isFile()) throw new OutputError(`${at}: is ${st.isBlockDevice() ? 'a disk device' : st.isSocket() ? 'a socket' : 'not a regular file'}; callbill writes regular files, character devices and FIFOs only`);
  const real = realpathSync(o.path);
  try {
    accessSync(real, constants.W_OK);
  } catch (e) {
    throw new OutputError(`${at}: may not be replaced: ${fsErrorText(e)}`);
  }
  checkFolder(at, dirname(real));
  if (stickyForbids(dirname(real), st.uid)) throw new OutputError(`${at}: belongs to another user in a folder where only a file's owner may replace it`);
  return { option: o.option, path: o.path, kind: 'file', dest: real, key: identity(st) ?? `path ${real}`, discard: false };
}

function checkFolder(at: string, folder: string): void {
  let st: Stats;
  try {
    st = statSync(folder);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new OutputError(code === 'ENOENT' ? `${at}: the folder ${folder} does not exist` : `${at}: cannot use the folder ${folder}: ${fsErrorText(e)}`);
  }
  if (!st.isDirectory()) throw new OutputError(`${at}: ${folder} is not a folder`);
  try {
    accessSync(folder, constants.W_OK | constants.X_OK);
  } catch (e) {
    throw new OutputError(`${at}: cannot write in the folder ${folder}: ${fsErrorText(e)}`);
  }
}

/** Creates an --out folder (and its parents); returns those it created, deepest first. */
function makeFolder(d: OutputRequest): string[] {
  const at = `${d.option} ${d.path}`;
  const st = statOrNull(d.path);
  if (st) {
    if (!st.isDirectory()) throw new OutputError(`${at}: is not a folder`);
    checkFolder(at, d.path);
    return [];
  }
  let first: string | undefined;
  try {
    first = mkdirSync(d.path, { recursive: true });
  } catch (e) {
    throw new OutputError(`${at}: cannot create the output folder: ${fsErrorText(e)}`);
  }
  const created: string[] = [];
  if (first !== undefined) {
    const top = resolve(first);
    for (let p = resolve(d.path); ; p = dirname(p)) {
      created.push(p);
      if (p === top || dirname(p) === p) break;
    }
  }
  checkFolder(at, d.path);
  return created;
}

/** Removes folders a failed run created, deepest first; one that is not empty stays (with what is in it). */
function removeFolders(created: readonly string[]): void {
  for (const p of created) {
    try {
      rmdirSync(p);
    } catch {
      return;
    }
  }
}
