/**
 * explain, compare and --rated read platform exports through an import profile
 * (issue #8) exactly like the canonical usage file beside each sample: the same
 * record explains the same way, the same rows are rated, the same totals compared.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { ROOT, runCliInProcess } from '../helpers/cli';

const SAMPLES: Array<[string, string]> = [
  ['asterisk', 'Master.csv'],
  ['freeswitch', 'Master.csv'],
  ['connect', 'contact-records.csv'],
  ['twilio', 'calls.csv'],
  ['five9', 'call-log.csv'],
];
/** List B for compare: the default list with the amended voice price raised (0.90 → 0.95). */
const B = join(mkdtempSync(join(tmpdir(), 'callbill-b-')), 'b.yaml');
writeFileSync(B, readFileSync(join(ROOT, 'price-lists/default.yaml'), 'utf8').replace('per_minute: 0.90', 'per_minute: 0.95'));

/** A diverted record of the canonical file when there is one, else its first record. */
function someRecord(dir: string): string {
  const rows = parse(readFileSync(join(ROOT, dir, 'expected-canonical.csv'), 'utf8'), { columns: true }) as Array<Record<string, string>>;
  return (rows.find((r) => (r.diversion ?? '') !== '' && r.status !== 'abandoned') ?? rows[0]!).record_id!;
}

describe.each(SAMPLES)('--import %s', (profile, file) => {
  const dir = `fixtures/import/${profile}`;
  const q = ['-q', '--period', '2026-10'];
  it('explain: a record explains as in the canonical file (its cells are the mapped SPEC §2 columns)', async () => {
    const id = someRecord(dir);
    const via = await runCliInProcess(['explain', ...q, '--import', profile, '--record', id, '--format', 'json', `${dir}/${file}`]);
    const canon = await runCliInProcess(['explain', ...q, '--record', id, '--format', 'json', `${dir}/expected-canonical.csv`]);
    expect(via.code).toBe(0);
    expect(canon.code).toBe(0);
    const a = JSON.parse(via.stdout), b = JSON.parse(canon.stdout);
    expect(a.source).toMatch(new RegExp(`^${dir}/${file}:\\d+$`));
    for (const k of ['source', 'cells', 'same_id_elsewhere']) {
      delete a[k];
      delete b[k];
    }
    expect(a).toEqual(b);
  });
  it('--rated: the same rows, named after the export', async () => {
    const out = mkdtempSync(join(tmpdir(), 'callbill-rated-import-'));
    expect((await runCliInProcess(['invoice', ...q, '--import', profile, '--rated', join(out, 'via.csv'), `${dir}/${file}`])).code).toBe(0);
    expect((await runCliInProcess(['invoice', ...q, '--rated', join(out, 'canon.csv'), `${dir}/expected-canonical.csv`])).code).toBe(0);
    const read = (f: string) => parse(readFileSync(join(out, f), 'utf8'), { columns: true }) as Array<Record<string, string>>;
    const via = read('via.csv'), canon = read('canon.csv');
    expect(via.every((r) => r.source!.startsWith(`${dir}/${file}:`))).toBe(true);
    const strip = (rs: Array<Record<string, string>>) => rs.map(({ source: _s, started_at: _t, ...rest }) => rest).sort((x, y) => (x.record_id! < y.record_id! ? -1 : 1));
    expect(strip(via)).toEqual(strip(canon));
    expect(via.length).toBeGreaterThan(0);
  });
  it('compare: the same comparison', async () => {
    const via = await runCliInProcess(['compare', ...q, '--import', profile, '--against', B, '--format', 'json', `${dir}/${file}`]);
    const canon = await runCliInProcess(['compare', ...q, '--against', B, '--format', 'json', `${dir}/expected-canonical.csv`]);
    expect(via.code).toBe(0);
    const doc = JSON.parse(via.stdout);
    expect(doc).toEqual(JSON.parse(canon.stdout));
    expect(doc.customers.length).toBeGreaterThan(0);
  });
});
