import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fsErrorText } from '../../src/errors';

/** The error a real call throws, to be described. */
function thrownBy(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

describe('fsErrorText: the reason of a failed file operation, in words', () => {
  const dir = mkdtempSync(join(tmpdir(), 'callbill-errno-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('real errors of the file system, as a finance user reads them', () => {
    writeFileSync(join(dir, 'there.csv'), 'x');
    expect(fsErrorText(thrownBy(() => openSync(join(dir, 'missing.csv'), 'r')))).toBe('no such file or folder (ENOENT)');
    expect(fsErrorText(thrownBy(() => openSync(join(dir, 'there.csv'), 'wx')))).toBe('already exists (EEXIST)');
    expect(fsErrorText(thrownBy(() => openSync(dir, 'w')))).toBe('is a folder (EISDIR)');
    expect(fsErrorText(thrownBy(() => openSync(join(dir, 'there.csv', 'inner.csv'), 'r')))).toBe('a part of the path is not a folder (ENOTDIR)');
  });

  test.each([
    ['EACCES', 'permission denied (EACCES)'],
    ['EPERM', 'not permitted (EPERM)'],
    ['ENOSPC', 'no space left on the device (ENOSPC)'],
    ['EMFILE', 'too many open files (EMFILE)'],
  ])('%s is %j', (code, text) => {
    expect(fsErrorText(Object.assign(new Error(`${code}: whatever, open 'x'`), { code }))).toBe(text);
  });

  test("a code without words here takes the system's description; no code, the message", () => {
    expect(fsErrorText(Object.assign(new Error("ETXTBSY: text file is busy, open 'x'"), { code: 'ETXTBSY' }))).toBe('text file is busy (ETXTBSY)');
    expect(fsErrorText(new Error('stream ended early'))).toBe('stream ended early');
  });
});
