import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputError } from '../../src/errors';
import { commitStaged, FolderLock } from '../../src/io/atomic-write';
import type { StagedFile } from '../../src/io/atomic-write';
import { OutputPlan } from '../../src/io/output-plan';
import { hostTag } from '../../src/io/temp-files';

/**
 * Putting a set of outputs in place: every target is checked before the first rename,
 * and a rename that fails all the same puts back the files already replaced.
 */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-commit-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function staged(name: string, content: string): StagedFile {
  const tmp = join(dir, `.callbill-tmp-${process.pid}-000000-9-${name}`);
  writeFileSync(tmp, content);
  return { tmp, path: join(dir, name) };
}

describe('commitStaged', () => {
  it('a target that became a folder during the run: refused before the first rename, nothing replaced', () => {
    writeFileSync(join(dir, 'a.csv'), 'old a\n');
    const set = [staged('a.csv', 'new a\n'), staged('b.csv', 'new b\n')];
    mkdirSync(join(dir, 'b.csv')); // as --balances-out on a folder, found only at the end
    expect(() => commitStaged(set)).toThrow(/b\.csv: is a folder now; no output was changed/);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a\n');
  });

  it('a rename that fails after all: the files already replaced are put back, new ones removed', () => {
    writeFileSync(join(dir, 'a.csv'), 'old a\n');
    const set = [staged('a.csv', 'new a\n'), staged('n.csv', 'new n\n'), staged('c.csv', 'new c\n')];
    unlinkSync(set[2]!.tmp); // the last rename finds no file to rename
    expect(() => commitStaged(set)).toThrow(OutputError);
    expect(readFileSync(join(dir, 'a.csv'), 'utf8')).toBe('old a\n');
    expect(existsSync(join(dir, 'n.csv'))).toBe(false);
    expect(readdirSync(dir).filter((f) => !f.startsWith('.callbill-tmp-')).sort()).toEqual(['a.csv']);
    // no backup and no lock left behind
    expect(readdirSync(dir).filter((f) => f.includes('-old-') || f === '.callbill-lock')).toEqual([]);
  });

  it('a lock left by a process that is gone is taken over; the folder is unlocked afterwards', () => {
    writeFileSync(join(dir, '.callbill-lock'), `999999999 ${hostTag()}\n`);
    const l = FolderLock.acquire(dir);
    expect(readFileSync(join(dir, '.callbill-lock'), 'utf8')).toBe(`${process.pid} ${hostTag()}\n`);
    l.release();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('OutputPlan', () => {
  it('a run that fails leaves neither temporary files nor the folders it created', () => {
    const plan = OutputPlan.prepare({ folders: [{ option: '--out', path: join(dir, 'x', 'y') }], files: [{ option: '--out', path: join(dir, 'x', 'y', 'invoices.csv') }], inputs: [] });
    plan.stage(join(dir, 'x', 'y', 'invoices.csv')).write('partial');
    expect(readdirSync(join(dir, 'x', 'y'))).toHaveLength(1);
    plan.abort();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('commits every staged file and leaves only them', () => {
    const plan = OutputPlan.prepare({ files: [{ option: '--rejects', path: join(dir, 'r.csv') }, { option: '--balances-out', path: join(dir, 'b.csv') }], inputs: [] });
    plan.stage(join(dir, 'r.csv')).write('r\n');
    plan.stage(join(dir, 'b.csv')).write('b\n');
    plan.commit();
    plan.abort(); // after a commit: removes nothing
    expect(readdirSync(dir).sort()).toEqual(['b.csv', 'r.csv']);
    expect(readFileSync(join(dir, 'r.csv'), 'utf8')).toBe('r\n');
  });
});
