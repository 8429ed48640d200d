import { copyFileSync, linkSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInProcess } from '../helpers/cli';

/**
 * Issue #6, item 6: the same usage billed twice is an error naming both places,
 * and a --period month with no record says so instead of billing nothing.
 */
const PRICES = `currency: EUR
timezone: UTC
rounding: half-up
default_plan: p
plans:
  p:
    versions:
      - effective_from: 2026-01-01
        voice: { per_minute: 0.60, increment: { first: 1, next: 1 } }
`;
const HEAD = 'record_id,customer_id,channel,started_at,duration_seconds\n';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cb-overlap-'));
  writeFileSync(join(dir, 'prices.yaml'), PRICES);
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const p = (name: string) => join(dir, name);
const invoice = (...args: string[]) => runInProcess(['invoice', '-p', p('prices.yaml'), '--issue-date', '2026-11-01', '--format', 'csv', ...args]);

describe('the same record_id in two files', () => {
  it('every copy is a bad row naming the other place, and nothing is billed without --rejects', async () => {
    writeFileSync(p('calls.csv'), HEAD + 'r1,A,voice,2026-10-01T10:00:00Z,60\nr2,A,voice,2026-10-01T11:00:00Z,60\n');
    writeFileSync(p('chats.csv'), HEAD + 'x9,A,voice,2026-10-02T10:00:00Z,60\nr2,A,voice,2026-10-02T11:00:00Z,60\n');
    const o = await invoice(p('calls.csv'), p('chats.csv'));
    expect(o.code).toBe(65);
    expect(o.stdout).toBe('');
    expect(o.stderr).toBe(
      `${p('calls.csv')}:3: record_id: duplicate record id, also at ${p('chats.csv')}:3; every copy is rejected ("r2")\n` +
        `${p('chats.csv')}:3: record_id: duplicate record id, also at ${p('calls.csv')}:3; every copy is rejected ("r2")\n` +
        'callbill: 2 bad usage rows; nothing was written (give --rejects FILE to set them aside and bill the good rows)\n',
    );
  });

  it('with --rejects: every copy goes to the rejects file naming the other place, none is billed (whatever the file order)', async () => {
    writeFileSync(p('calls.csv'), HEAD + 'r1,A,voice,2026-10-01T10:00:00Z,60\n');
    writeFileSync(p('chats.csv'), HEAD + 'r1,A,voice,2026-10-02T10:00:00Z,120\n');
    const o = await invoice('--rejects', p('rej.csv'), p('calls.csv'), p('chats.csv'));
    expect(o.code).toBe(0);
    // neither copy is billed: no invoice at all
    expect(o.stdout.split('\n')[1]).toBe('');
    expect(readFileSync(p('rej.csv'), 'utf8')).toBe(
      'record_id,customer_id,channel,started_at,duration_seconds,source,error\n' +
        `r1,A,voice,2026-10-01T10:00:00Z,60,${p('calls.csv')}:2,"record_id: duplicate record id, also at ${p('chats.csv')}:2; every copy is rejected (""r1"")"\n` +
        `r1,A,voice,2026-10-02T10:00:00Z,120,${p('chats.csv')}:2,"record_id: duplicate record id, also at ${p('calls.csv')}:2; every copy is rejected (""r1"")"\n`,
    );
  });

  it('counts a duplicate that lies outside --period too (a copy of last month is still a copy)', async () => {
    writeFileSync(p('a.csv'), HEAD + 'r1,A,voice,2026-09-30T10:00:00Z,60\nr2,A,voice,2026-10-01T10:00:00Z,60\n');
    writeFileSync(p('b.csv'), HEAD + 'r1,A,voice,2026-10-05T10:00:00Z,60\n');
    const o = await invoice('--period', '2026-10', p('a.csv'), p('b.csv'));
    expect(o.code).toBe(65);
    expect(o.stderr).toContain(`${p('a.csv')}:2: record_id: duplicate record id, also at ${p('b.csv')}:2; every copy is rejected ("r1")`);
    expect(o.stderr).toContain(`${p('b.csv')}:2: record_id: duplicate record id, also at ${p('a.csv')}:2; every copy is rejected ("r1")`);
  });

  it('a copy of a file under another name: every row is a duplicate naming its twin', async () => {
    writeFileSync(p('oct.csv'), HEAD + 'r1,A,voice,2026-10-01T10:00:00Z,60\nr2,A,voice,2026-10-01T11:00:00Z,60\n');
    copyFileSync(p('oct.csv'), p('oct-copy.csv'));
    const o = await invoice(p('oct.csv'), p('oct-copy.csv'));
    expect(o.code).toBe(65);
    expect(o.stderr.split('\n').slice(0, 4)).toEqual([
      `${p('oct.csv')}:2: record_id: duplicate record id, also at ${p('oct-copy.csv')}:2; every copy is rejected ("r1")`,
      `${p('oct.csv')}:3: record_id: duplicate record id, also at ${p('oct-copy.csv')}:3; every copy is rejected ("r2")`,
      `${p('oct-copy.csv')}:2: record_id: duplicate record id, also at ${p('oct.csv')}:2; every copy is rejected ("r1")`,
      `${p('oct-copy.csv')}:3: record_id: duplicate record id, also at ${p('oct.csv')}:3; every copy is rejected ("r2")`,
    ]);
  });
});

describe('a usage file given twice', () => {
  beforeEach(() => writeFileSync(p('oct.csv'), HEAD + 'r1,A,voice,2026-10-01T10:00:00Z,60\n'));

  it('under the same name is an error naming both, before anything is read (65)', async () => {
    const o = await invoice(p('oct.csv'), p('oct.csv'));
    expect(o.code).toBe(65);
    expect(o.stdout).toBe('');
    expect(o.stderr).toBe(`callbill: ${p('oct.csv')}: the same file as ${p('oct.csv')}, given twice; its records would be billed twice\n`);
  });

  it('through a symbolic link', async () => {
    symlinkSync(p('oct.csv'), p('link.csv'));
    const o = await invoice(p('oct.csv'), p('link.csv'));
    expect(o.code).toBe(65);
    expect(o.stderr).toBe(`callbill: ${p('link.csv')}: the same file as ${p('oct.csv')}, given twice; its records would be billed twice\n`);
  });

  it('through a hard link (found in review: only the real path was compared)', async () => {
    linkSync(p('oct.csv'), p('hard.csv'));
    const o = await invoice(p('hard.csv'), p('oct.csv'));
    expect(o.code).toBe(65);
    expect(o.stderr).toBe(`callbill: ${p('oct.csv')}: the same file as ${p('hard.csv')}, given twice; its records would be billed twice\n`);
  });

  it('with a relative and an absolute name', async () => {
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const o = await runInProcess(['invoice', '-p', 'prices.yaml', '--issue-date', '2026-11-01', 'oct.csv', p('oct.csv')]);
      expect(o.code).toBe(65);
      expect(o.stderr).toBe(`callbill: ${p('oct.csv')}: the same file as oct.csv, given twice; its records would be billed twice\n`);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('a --period month with no record in the inputs', () => {
  it('fails (65) naming each input and what it holds, instead of billing nothing', async () => {
    writeFileSync(p('sep.csv'), HEAD + 'r1,A,voice,2026-09-01T10:00:00Z,60\nr2,A,voice,2026-09-30T23:59:59Z,60\n');
    writeFileSync(p('empty.csv'), HEAD);
    const o = await invoice('--period', '2026-10', '--out', p('out'), p('sep.csv'), p('empty.csv'));
    expect(o.code).toBe(65);
    expect(o.stdout).toBe('');
    expect(o.stderr).toBe(
      `${p('sep.csv')}: no record of 2026-10 (2 records read, all outside the month)\n` +
        `${p('empty.csv')}: no record of 2026-10 (no records at all, only a header)\n` +
        'callbill: no record of 2026-10 in the inputs (2 read, 2 outside the period): is this the right file or month?\n',
    );
  });

  it('a record on the month\'s first instant is in it (no error)', async () => {
    writeFileSync(p('oct.csv'), HEAD + 'r1,A,voice,2026-10-01T00:00:00Z,60\n');
    const o = await invoice('--period', '2026-10', p('oct.csv'));
    expect(o.code).toBe(0);
  });

  it('a month whose only records are bad rows reports the bad rows, not an empty month', async () => {
    writeFileSync(p('oct.csv'), HEAD + 'r1,A,fax,2026-10-01T10:00:00Z,60\n');
    const o = await invoice('--period', '2026-10', p('oct.csv'));
    expect(o.code).toBe(65);
    expect(o.stderr).toBe(`${p('oct.csv')}:2: channel: expected voice or chat ("fax")\ncallbill: 1 bad usage row; nothing was written (give --rejects FILE to set them aside and bill the good rows)\n`);
  });
});

describe('compare, like invoice, names the inputs of an empty --period month (found by the fuzzer)', () => {
  it('65 with each input and what it holds', async () => {
    writeFileSync(p('sep.csv'), HEAD + 'r1,A,voice,2026-09-01T10:00:00Z,60\n');
    const o = await runInProcess(['compare', '-p', p('prices.yaml'), '--against', p('prices.yaml'), '--period', '2026-10', p('sep.csv')]);
    expect([o.code, o.stdout]).toEqual([65, '']);
    expect(o.stderr).toBe(`${p('sep.csv')}: no record of 2026-10 (1 record read, all outside the month)\ncallbill: no record of 2026-10 in the inputs (1 read, 1 outside the period): is this the right file or month?\n`);
  });
});
