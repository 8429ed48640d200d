import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError } from '../../src/errors';
import { parsePriceList } from '../../src/pricing/parse-price-list';
import { foldInputs, newContext } from '../../src/pipeline/fold-inputs';
import { runInProcess } from '../helpers/cli';
import { folder, P_YAML, U_HEAD } from './helpers';

/** A record id in two files with different contents: the bill must not depend on the order of the files. */
describe('conflicting duplicates with --rejects are decided order-free', () => {
  const A = `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr2,ACME,voice,2026-10-01T10:00:00Z,120\n`;
  const B = `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,6000\nr3,ACME,voice,2026-10-02T10:00:00Z,60\n`;

  async function run(order: string[], jobs = '1') {
    const dir = folder({ 'P.yaml': P_YAML, 'a.csv': A, 'b.csv': B });
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const r = await runInProcess(['invoice', '-q', '-p', 'P.yaml', '--period', '2026-10', '--format', 'json', '--issue-date', '2026-11-01', '--jobs', jobs, '--rejects', 'rej.csv', ...order]);
      return { ...r, rejects: readFileSync(join(dir, 'rej.csv'), 'utf8') };
    } finally {
      // back to where jest started: a later suite in this worker may read paths relative to it
      process.chdir(cwd);
    }
  }

  it('rejects every copy, naming the other place, and bills the same whatever the order', async () => {
    const ab = await run(['a.csv', 'b.csv']);
    const ba = await run(['b.csv', 'a.csv']);
    expect(ab.code).toBe(0);
    expect(ba.code).toBe(0);
    type Doc = { invoices: Array<{ subtotal: string; lines: Array<{ seconds: number | null }> }>; control: { records_read: number; records_billed: number; records_rejected: number } };
    const [dab, dba] = [JSON.parse(ab.stdout) as Doc, JSON.parse(ba.stdout) as Doc];
    // r2 (120 s) and r3 (60 s) billed: 180 s × 0.85 / 60 = 2.55; r1 is on no invoice
    expect(dab.invoices[0]!.subtotal).toBe('2.55');
    expect(dab.control).toMatchObject({ records_read: 4, records_billed: 2, records_rejected: 2 });
    // identical invoices (the control block names the files in the order given)
    expect(dab.invoices).toEqual(dba.invoices);
    expect(ab.rejects).toBe(
      'record_id,customer_id,channel,started_at,duration_seconds,source,error\n' +
        'r1,ACME,voice,2026-10-01T09:15:00Z,60,a.csv:2,"record_id: duplicate record id, also at b.csv:2; every copy is rejected (""r1"")"\n' +
        'r1,ACME,voice,2026-10-01T09:15:00Z,6000,b.csv:2,"record_id: duplicate record id, also at a.csv:2; every copy is rejected (""r1"")"\n',
    );
  });

  it('three copies in one file: all rejected, each naming the two others', async () => {
    const dir = folder({ 'P.yaml': P_YAML, 'u.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr1,ACME,voice,2026-10-01T09:15:00Z,60\nr9,ACME,voice,2026-10-01T09:15:00Z,60\nr1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
    const r = await runInProcess(['invoice', '-q', '-p', join(dir, 'P.yaml'), '--period', '2026-10', join(dir, 'u.csv')]);
    expect(r.code).toBe(65);
    const u = join(dir, 'u.csv');
    expect(r.stderr.split('\n').slice(0, 3)).toEqual([
      `${u}:2: record_id: duplicate record id, also at ${u}:3, ${u}:5; every copy is rejected ("r1")`,
      `${u}:3: record_id: duplicate record id, also at ${u}:2, ${u}:5; every copy is rejected ("r1")`,
      `${u}:5: record_id: duplicate record id, also at ${u}:2, ${u}:3; every copy is rejected ("r1")`,
    ]);
  });
});

/** A file that changes between the two readings (the check of repeated ids) is refused, never billed twice. */
describe('an input that changes between its two readings', () => {
  it('is refused with 65, "changed while it was read"', async () => {
    const dir = folder({ 'P.yaml': P_YAML, 'u.csv': `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr1,ACME,voice,2026-10-01T09:15:00Z,60\n` });
    const prices = parsePriceList(P_YAML, 'P.yaml');
    const ctx = newContext(prices);
    let err: unknown;
    try {
      await foldInputs([join(dir, 'u.csv')], ctx, {
        period: null,
        keepAllRejects: true,
        // between the readings the file is rewritten: r1 once, and r2 that was not there
        onPass: () => writeFileSync(join(dir, 'u.csv'), `${U_HEAD}r1,ACME,voice,2026-10-01T09:15:00Z,60\nr2,ACME,voice,2026-10-01T09:15:00Z,60\n`),
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DataError);
    expect((err as DataError).exitCode).toBe(65);
    expect((err as DataError).message).toContain('u.csv: changed while it was read');
  });
});
