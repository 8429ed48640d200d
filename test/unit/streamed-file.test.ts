import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OutputError } from '../../src/errors';
import { writeFilesAtomically } from '../../src/io/atomic-write';
import { StreamedFile } from '../../src/io/streamed-file';

const dir = () => mkdtempSync(join(tmpdir(), 'callbill-streamed-'));

describe('StreamedFile: streamed, yet complete or absent (SPEC §6)', () => {
  it('writes in pieces to a temporary name, renamed with the other outputs', () => {
    const d = dir();
    const f = StreamedFile.open(join(d, 'rated.csv'), 'rated');
    const row = 'x'.repeat(999) + '\n';
    for (let i = 0; i < 1000; i++) f.write(row); // about 1 MB: several flushes
    expect(readdirSync(d)).toEqual([expect.stringMatching(/^\.callbill-tmp-\d+-[0-9a-f]{6}-\d+-rated-rated\.csv$/)]);
    writeFilesAtomically([{ path: join(d, 'other.csv'), content: 'a\n' }], [f.finish()]);
    expect(readdirSync(d).sort()).toEqual(['other.csv', 'rated.csv']);
    expect(readFileSync(join(d, 'rated.csv'), 'utf8')).toBe(row.repeat(1000));
    f.abort(); // after the rename: nothing to remove, the output stays
    expect(readdirSync(d).sort()).toEqual(['other.csv', 'rated.csv']);
  });
  it('abort removes the temporary file', () => {
    const d = dir();
    const f = StreamedFile.open(join(d, 'rated.csv'), 'rated');
    f.write('a\n');
    f.abort();
    expect(readdirSync(d)).toEqual([]);
  });
  it('when another output cannot be written, the streamed one is removed too', () => {
    const d = dir();
    writeFileSync(join(d, 'not-a-folder'), '');
    const f = StreamedFile.open(join(d, 'rated.csv'), 'rated');
    f.write('a\n');
    expect(() => writeFilesAtomically([{ path: join(d, 'not-a-folder', 'x.csv'), content: '' }], [f.finish()])).toThrow(OutputError);
    expect(readdirSync(d)).toEqual(['not-a-folder']);
  });
  it('a folder that does not exist is an OutputError at open', () => {
    expect(() => StreamedFile.open(join(dir(), 'no', 'rated.csv'), 'rated')).toThrow(OutputError);
  });
});
