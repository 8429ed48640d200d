import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RejectSpool } from '../../src/io/reject-spool';
import type { RejectedRow } from '../../src/rating/usage-fold';

const row = (input: number, line: number): RejectedRow => ({ input, line, column: 'c', message: 'm', value: 'v', fields: [`${input}:${line}`] });
const places = (rows: Iterable<RejectedRow>) => [...rows].map((r) => `${r.input}:${r.line}`);

describe('RejectSpool', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'cb-spool-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the rows back in the order added while they come in order', () => {
    const s = RejectSpool.create(dir);
    [row(0, 2), row(0, 5), row(1, 3)].forEach((r) => s.add(r));
    expect(places(s.rows())).toEqual(['0:2', '0:5', '1:3']);
    s.remove();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('merges rows added after unordered() into their input and line places, as the rows kept in memory are sorted', () => {
    const s = RejectSpool.create(dir);
    [row(0, 2), row(0, 5), row(1, 3)].forEach((r) => s.add(r));
    s.unordered();
    // duplicate copies decided at the end of the run, in the order of each id's first copy
    [row(1, 9), row(0, 3), row(1, 1), row(0, 1)].forEach((r) => s.add(r));
    expect(places(s.rows())).toEqual(['0:1', '0:2', '0:3', '0:5', '1:1', '1:3', '1:9']);
    // and again: the spool may be read more than once
    expect(places(s.rows())).toEqual(['0:1', '0:2', '0:3', '0:5', '1:1', '1:3', '1:9']);
    s.remove();
  });
});
