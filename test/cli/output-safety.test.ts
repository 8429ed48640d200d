import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { P_YAML, U_HEAD } from '../attack/helpers';
import { BIN, runCliInProcess } from '../helpers/cli';

/**
 * Output files never destroy a file (SPEC §6, 73/74): a failing standard output is an
 * error, an output is never an input or another output, devices and FIFOs are written
 * in place and never replaced, every target is checked before the first rename, a
 * failed run leaves no folder it created, a killed run's temporary files are cleaned by
 * the next run, and two runs into one folder never mix their files. Runs the built CLI.
 */

const PRICES = P_YAML;
const HEADER = U_HEAD;
const USAGE = `${HEADER}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr2,ACME,voice,2026-10-01T09:15:00Z,abc\n`;

let dir: string;
const p = (...names: string[]) => join(dir, ...names);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-outsafe-'));
  writeFileSync(p('P.yaml'), PRICES);
  writeFileSync(p('U.csv'), USAGE);
  // about 150 KiB of CSV on stdout: more than a pipe or a small disk takes at once
  const rows = [HEADER];
  for (let i = 0; i < 1500; i++) rows.push(`r${i},C${String(i).padStart(5, '0')},voice,2026-10-0${1 + (i % 9)}T09:15:00Z,${60 + i}\n`);
  writeFileSync(p('big.csv'), rows.join(''));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

const CB = ['invoice', '-q', '-p', 'P.yaml', '--period', '2026-10', '--issue-date', '2026-11-01'];

/** The built CLI in the test folder. */
function cb(args: readonly string[], opts: { quiet?: boolean } = {}): Result {
  const base = opts.quiet === false ? CB.filter((a) => a !== '-q') : CB;
  const r = spawnSync(process.execPath, [BIN, ...base, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC' }, maxBuffer: 64 << 20 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The built CLI through a shell, for redirections of its standard output. */
function sh(script: string): Result {
  const r = spawnSync('/bin/sh', ['-c', script], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', TZ: 'UTC', CB: `"${process.execPath}" "${BIN}" ${CB.join(' ')}` } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Plain words: the message names what failed, and a system code (ENOSPC) only ever follows the words for it. */
function plain(stderr: string): void {
  expect(stderr).toMatch(/^callbill: /m);
  for (const m of stderr.matchAll(/\bE[A-Z]{3,}\b/g)) expect(stderr.slice(0, m.index)).toMatch(/[a-z]+ \($/);
}

describe('a failing standard output is an error (74), a closed pipe is not', () => {
  it('exits 74 with a message when standard output is /dev/full', () => {
    const r = sh('eval "$CB --format csv big.csv" > /dev/full');
    expect(r.code).toBe(74);
    expect(r.stderr).toMatch(/standard output/);
    plain(r.stderr);
  });

  it('a closed standard output (>&-) is /dev/null to Node: no crash, exit 0 (see docs/decisions.md)', () => {
    // Node opens /dev/null read-write in place of a closed descriptor before any of callbill
    // runs, exactly as Python's DEVNULL, Node's stdio 'ignore' or systemd do: they cannot be told apart
    const r = sh('eval "$CB --format csv big.csv" >&-');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('still writes to a /dev/null the user chose', () => {
    const r = sh('eval "$CB --format csv big.csv" > /dev/null');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('stays quiet and exits 0 when the reader stops early (| head)', async () => {
    // the pipeline's status is head's: callbill's own goes through a file
    const own = sh('{ eval "$CB --format csv big.csv"; echo $? > status; } | head -1 >/dev/null; cat status');
    expect(own.stdout.trim()).toBe('0');
    expect(own.stderr).toBe('');
  });

  it('exits 74 when standard output is a file on a disk that fills up (a 64 KiB tmpfs, root only)', () => {
    const mnt = p('full');
    mkdirSync(mnt, { recursive: true });
    const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status === 0;
    if (!mounted) {
      console.warn('skipped: cannot mount a tmpfs here (not root, or no mount permission)');
      return;
    }
    try {
      const r = sh('eval "$CB --format csv big.csv" > full/inv.csv');
      expect(r.code).toBe(74);
      expect(r.stderr).toMatch(/standard output/);
      plain(r.stderr);
    } finally {
      spawnSync('umount', [mnt]);
    }
  });
});

describe('--jobs is capped at the threads the machine can run', () => {
  it('says so on stderr, and bills the same', () => {
    const capped = cb(['--jobs', '9999', '--format', 'csv', 'big.csv'], { quiet: false });
    const one = cb(['--jobs', '1', '--format', 'csv', 'big.csv']);
    expect(capped.code).toBe(0);
    expect(capped.stderr).toContain(`--jobs 9999: using ${availableParallelism()}, the threads this machine can run at once`);
    expect(capped.stdout).toBe(one.stdout);
  });

  it('is silent about it with -q', () => {
    expect(cb(['--jobs', '9999', '--format', 'csv', 'big.csv'])).toMatchObject({ code: 0, stderr: '' });
  });
});

/**
 * Runs callbill and checks that it refused with 73 and left every named file as it was.
 * The checks are made by main() before anything is read: its run in this process (the
 * built code, runCliInProcess) is enough; what needs the real standard output stays with cb.
 */
async function refused(args: readonly string[], unchanged: readonly string[], message: RegExp): Promise<Result> {
  const before = unchanged.map((f) => (existsSync(p(f)) ? readFileSync(p(f)) : null));
  const r = await runCliInProcess([...CB, ...args], { cwd: dir, env: { TZ: 'UTC' } });
  expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 73, stdout: '' });
  expect(r.stderr).toMatch(message);
  plain(r.stderr);
  unchanged.forEach((f, i) => expect({ f, bytes: existsSync(p(f)) ? readFileSync(p(f)) : null }).toEqual({ f, bytes: before[i] }));
  return r;
}

describe('an output is never an input (73, before anything is read)', () => {
  it('--rejects onto the usage file', async () => {
    await refused(['--rejects', 'U.csv', 'U.csv'], ['U.csv'], /U\.csv.*the usage file U\.csv/);
  });

  it('--balances-out onto the price list', async () => {
    await refused(['--rejects', 'r.csv', '--balances-out', 'P.yaml', 'U.csv'], ['P.yaml', 'r.csv'], /P\.yaml.*the price list/);
  });

  it('--balances-out onto --balances-in', async () => {
    writeFileSync(p('B.csv'), 'customer_id,diversion_balance\nACME,0.00\n');
    await refused(['--rejects', 'r.csv', '--balances-in', 'B.csv', '--balances-out', 'B.csv', 'U.csv'], ['B.csv', 'r.csv'], /B\.csv.*balances/);
  });

  it('--rated onto the usage file, through a symbolic link and through a hard link', async () => {
    symlinkSync('U.csv', p('sym.csv'));
    linkSync(p('U.csv'), p('hard.csv'));
    await refused(['--rejects', 'r.csv', '--rated', 'sym.csv', 'U.csv'], ['U.csv', 'r.csv'], /sym\.csv/);
    await refused(['--rejects', 'hard.csv', 'U.csv'], ['U.csv', 'r.csv'], /hard\.csv/);
    expect(lstatSync(p('sym.csv')).isSymbolicLink()).toBe(true);
  });

  it('an --out file that is the usage file', async () => {
    mkdirSync(p('o1'));
    writeFileSync(p('o1', 'invoices.csv'), USAGE);
    await refused(['--rejects', 'r.csv', '--out', 'o1', 'o1/invoices.csv'], ['o1/invoices.csv'], /o1\/invoices\.csv/);
  });

  it('--rejects onto the import profile', async () => {
    writeFileSync(p('profile.yaml'), readFileSync(join(BIN, '..', '..', 'src', 'import', 'profiles', 'twilio.yaml')));
    await refused(['--import', 'profile.yaml', '--rejects', 'profile.yaml', 'U.csv'], ['profile.yaml'], /profile\.yaml.*import profile/);
  });

  it('refuses before reading: an invalid price list is not even looked at', async () => {
    writeFileSync(p('bad.yaml'), 'currency: [\n');
    await refused(['-p', 'bad.yaml', '--rejects', 'U.csv', 'U.csv'], ['U.csv'], /U\.csv/);
  });

  it('an output that is the file standard output goes to', () => {
    writeFileSync(p('same-as-stdout.csv'), '');
    const r = sh('eval "$CB --rejects same-as-stdout.csv U.csv" > same-as-stdout.csv');
    expect(r.code).toBe(73);
    expect(r.stderr).toMatch(/same-as-stdout\.csv.*standard output/);
  });
});

describe('two outputs never share a path (73)', () => {
  it('--rejects and --balances-out on one file', async () => {
    await refused(['--rejects', 'same.csv', '--balances-out', 'same.csv', 'U.csv'], ['same.csv'], /same\.csv.*--rejects/);
    expect(existsSync(p('same.csv'))).toBe(false);
  });

  it('--rejects inside --out under a name --out writes', async () => {
    mkdirSync(p('o2'));
    writeFileSync(p('o2', 'invoices.csv'), 'keep me\n');
    await refused(['--rejects', 'o2/invoices.csv', '--out', 'o2', 'U.csv'], ['o2/invoices.csv'], /o2\/invoices\.csv/);
    expect(readdirSync(p('o2'))).toEqual(['invoices.csv']);
  });

  it('--rated and --rejects on one file, named two ways', async () => {
    writeFileSync(p('x.csv'), 'keep me\n');
    await refused(['--rated', 'x.csv', '--rejects', './x.csv', 'U.csv'], ['x.csv'], /x\.csv/);
  });

  it('--balances-out on an --out file that does not exist yet', async () => {
    await refused(['--rejects', 'r.csv', '--out', 'o3', '--balances-out', 'o3/invoice-lines.csv', 'U.csv'], ['r.csv'], /invoice-lines\.csv/);
    expect(existsSync(p('o3'))).toBe(false);
  });
});

describe('devices and FIFOs are written in place, never replaced', () => {
  const reference = () => {
    const r = cb(['--rejects', 'ref-rejects.csv', '--balances-out', 'ref-balances.csv', 'U.csv']);
    expect(r.code).toBe(0);
    return { rejects: readFileSync(p('ref-rejects.csv'), 'utf8'), balances: readFileSync(p('ref-balances.csv'), 'utf8') };
  };

  it('--rejects into a FIFO: the reader gets the rows, the FIFO stays a FIFO', async () => {
    const ref = reference();
    const fifo = p('rejects.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // a reader on the FIFO (as a user's `cat fifo > file` would be)
    const reader = spawn('/bin/sh', ['-c', `cat "${fifo}" > "${p('from-fifo.csv')}"`]);
    const readerDone = new Promise((resolve) => reader.on('exit', resolve));
    const r = await new Promise<Result>((resolve) => {
      const child = spawn(process.execPath, [BIN, ...CB, '--rejects', fifo, 'U.csv'], { cwd: dir, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
      let stdout = '', stderr = '';
      child.stdout.on('data', (b: Buffer) => (stdout += b.toString()));
      child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    // a FIFO replaced by a regular file never gets a writer: its reader would wait for ever
    if (!lstatSync(fifo).isFIFO()) reader.kill();
    await readerDone;
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(p('from-fifo.csv'), 'utf8')).toBe(ref.rejects);
    expect(readdirSync(dir).filter((f) => f.startsWith('.callbill'))).toEqual([]);
  });

  it('--balances-out and --rejects into a character device of its own (a null device made with mknod, root only)', async () => {
    reference();
    const dev = p('null-device');
    if (spawnSync('mknod', [dev, 'c', '1', '3']).status !== 0) {
      console.warn('skipped: cannot make a device node here (not root)');
      return;
    }
    const before = statSync('/dev/null');
    const r = cb(['--rejects', dev, '--balances-out', dev, 'U.csv']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(lstatSync(dev).isCharacterDevice()).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('.callbill'))).toEqual([]);
    // the system's own null device was never involved, and is still one
    const after = statSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.rdev).toBe(before.rdev);
    expect(after.ino).toBe(before.ino);
  });

  it('refuses a FIFO as --out (73)', async () => {
    const fifo = p('out.fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await refused(['--rejects', 'r.csv', '--out', 'out.fifo', 'U.csv'], ['r.csv'], /out\.fifo.*not a folder/);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('every target is checked before anything is written', () => {
  it('--balances-out on a folder fails before --rejects is written (no mixed set)', async () => {
    writeFileSync(p('r-old.csv'), 'old rejects\n');
    mkdirSync(p('a-folder'));
    await refused(['--rejects', 'r-old.csv', '--balances-out', 'a-folder', 'U.csv'], ['r-old.csv'], /a-folder.*is a folder/);
  });

  it('--rejects in a folder that does not exist fails before anything is read or written', async () => {
    await refused(['--rejects', 'no-such-folder/r.csv', '--out', 'o4', 'U.csv'], [], /no-such-folder\/r\.csv/);
    expect(existsSync(p('o4'))).toBe(false);
  });

  it('a read-only existing target is not replaced', async () => {
    if (process.getuid?.() === 0) return; // root writes anyway: nothing to check
    writeFileSync(p('ro.csv'), 'read only\n');
    chmodSync(p('ro.csv'), 0o444);
    await refused(['--rejects', 'ro.csv', 'U.csv'], ['ro.csv'], /ro\.csv/);
  });
});

describe('a failed run leaves no folder it created', () => {
  it('bad rows without --rejects (65): the new --out folders are gone', () => {
    const r = cb(['--out', 'new/deeper/out', 'U.csv']);
    expect(r.code).toBe(65);
    expect(existsSync(p('new'))).toBe(false);
  });

  it('but a folder that was there stays', () => {
    mkdirSync(p('kept'));
    const r = cb(['--out', 'kept/out', 'U.csv']);
    expect(r.code).toBe(65);
    expect(readdirSync(p('kept'))).toEqual([]);
  });
});

describe('temporary files of a killed run are removed by the next run', () => {
  it('removes those of a process that is gone, keeps those of a live one', () => {
    mkdirSync(p('o5'));
    const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(gone.stdout);
    const host = tmpHostTag();
    const stale = `.callbill-tmp-${deadPid}-${host}-0-invoices.csv`;
    const live = `.callbill-tmp-${process.pid}-${host}-0-invoices.csv`;
    const foreign = `.callbill-tmp-${deadPid}-zzzzzz-0-invoices.csv`;
    for (const f of [stale, live, foreign]) writeFileSync(p('o5', f), 'partial');
    writeFileSync(p(`.callbill-tmp-${deadPid}-${host}-1-r.csv`), 'partial');
    const r = cb(['--out', 'o5', '--rejects', 'r.csv', 'U.csv']);
    expect(r.code).toBe(0);
    expect(readdirSync(p('o5')).sort()).toEqual([foreign, live, 'invoice-lines.csv', 'invoices.csv', 'invoices.json'].sort());
    expect(existsSync(p(`.callbill-tmp-${deadPid}-${host}-1-r.csv`))).toBe(false);
  });
});

/** The host part of a temporary file's name: 6 hex digits of the host name's SHA-256. */
function tmpHostTag(): string {
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(hostname()).digest('hex').slice(0, 6);
}

describe('two runs into one --out never mix their files', () => {
  it('each set in the folder comes whole from one run', async () => {
    // two different months of usage: the invoices name the customers of one run only
    const a = [HEADER], b = [HEADER];
    for (let i = 0; i < 20_000; i++) {
      a.push(`a${i},ALPHA${i % 300},voice,2026-10-0${1 + (i % 9)}T09:15:00Z,${60 + (i % 50)}\n`);
      b.push(`b${i},BETA${i % 300},voice,2026-10-0${1 + (i % 9)}T09:15:00Z,${60 + (i % 50)}\n`);
    }
    // one bad row each, so that each run's rejects file names its own customers too
    a.push('a-bad,ALPHA,voice,2026-10-01T09:15:00Z,abc\n');
    b.push('b-bad,BETA,voice,2026-10-01T09:15:00Z,abc\n');
    writeFileSync(p('A.csv'), a.join(''));
    writeFileSync(p('B.csv'), b.join(''));
    const runInto = (input: string) =>
      new Promise<number | null>((resolve) => {
        const child = spawn(process.execPath, [BIN, ...CB, '--out', 'shared', '--rejects', 'shared-rejects.csv', input], { cwd: dir, stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
        child.on('exit', (code) => resolve(code));
      });
    for (let round = 0; round < 12; round++) {
      const codes = await Promise.all([runInto('A.csv'), runInto('B.csv')]);
      expect(codes).toEqual([0, 0]);
      const who = (f: string) => {
        const t = readFileSync(p(f), 'utf8');
        return /ALPHA/.test(t) && !/BETA/.test(t) ? 'A' : /BETA/.test(t) && !/ALPHA/.test(t) ? 'B' : 'mixed';
      };
      const set = ['shared/invoices.json', 'shared/invoices.csv', 'shared/invoice-lines.csv', 'shared-rejects.csv'].map(who);
      expect({ round, set }).toEqual({ round, set: [set[0], set[0], set[0], set[0]] });
      expect(readdirSync(p('shared')).sort()).toEqual(['invoice-lines.csv', 'invoices.csv', 'invoices.json']);
    }
  }, 120_000);
});
