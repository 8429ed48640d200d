/**
 * Each built-in profile against its sample export: the canonical rows must be
 * exactly fixtures/import/<profile>/expected-canonical.csv, which was written
 * by hand from the platform layouts (src/import/SOURCES.md), not by this code.
 */
import { execFileSync } from 'node:child_process';
import { LISBON } from './helpers';
import * as path from 'node:path';
import { applyProfile, BUILTIN_PROFILES, loadProfile } from '../../src/import';
import { collect, okRow, readExpected, readRaw, readRawText } from './helpers';

const root = path.resolve(__dirname, '..', '..');
const fixture = (...p: string[]) => path.join(root, 'fixtures', 'import', ...p);

const SAMPLES: Record<string, string> = {
  asterisk: 'Master.csv',
  freeswitch: 'Master.csv',
  connect: 'contact-records.csv',
  twilio: 'calls.csv',
  five9: 'call-log.csv',
};

describe('built-in profiles', () => {
  test('are the five documented ones', () => {
    expect([...BUILTIN_PROFILES]).toEqual(['asterisk', 'connect', 'five9', 'freeswitch', 'twilio']);
  });

  test.each(Object.keys(SAMPLES))('%s maps its sample export to expected-canonical.csv', async (name) => {
    const profile = loadProfile(name);
    const mapped = await collect(applyProfile(profile, readRaw(fixture(name, SAMPLES[name]!), profile), LISBON));
    const errors = mapped.filter((r) => !r.ok);
    expect(errors).toEqual([]);
    const actual = mapped.map((r) => (r.ok ? r.row : null));
    expect(actual).toEqual(await readExpected(fixture(name, 'expected-canonical.csv')));
  });

  test('freeswitch also reads the compiled-in default template, with its blank before the last quote', async () => {
    // mod_cdr_csv.c default_template: ..."${bleg_uuid}", "${accountcode}"\n: 13 fields.
    const line =
      '"Maria Silva","351912345678","2100","public","2026-10-01 09:10:00","2026-10-01 09:10:12","2026-10-01 09:16:42",' +
      '"402","390","NORMAL_CLEARING","5f0c1d2e-7a41-4a6b-9c1d-3e2f00000001","5f0c1d2e-7a41-4a6b-9c1d-3e2f000000b1", "ACME"\n';
    const profile = loadProfile('freeswitch');
    const [r] = await collect(applyProfile(profile, readRawText(line, profile), LISBON));
    expect(okRow(r)).toEqual({
      record_id: '5f0c1d2e-7a41-4a6b-9c1d-3e2f00000001',
      customer_id: 'ACME',
      channel: 'voice',
      started_at: '2026-10-01T09:10:00',
      duration_seconds: '390',
      response_seconds: '12',
      status: 'answered',
      diversion: 'none',
      destination: '',
      diverted_seconds: '',
    });
    // Without the profile's ltrim, csv-parse rejects the line.
    await expect(collect(readRawText(line, { csv: { ltrim: false } }))).rejects.toThrow(/Invalid Opening Quote/);
  });

  test('asterisk reads Master.csv without uniqueid and userfield (the cdr.conf defaults)', async () => {
    const profile = loadProfile('asterisk');
    const line =
      '"GLOBEX","351220999888","2201","globex-inbound",""""" <351220999888>","PJSIP/trunk-00000007","PJSIP/agent202-00000008",' +
      '"Dial","PJSIP/agent202,20","2026-10-02 11:05:00",,"2026-10-02 11:05:03",3,0,"BUSY","DOCUMENTATION"\n';
    const [r] = await collect(applyProfile(profile, readRawText(line, profile), LISBON));
    expect(okRow(r)).toMatchObject({
      record_id: '2026-10-02 11:05:00|PJSIP/trunk-00000007|PJSIP/agent202-00000008',
      customer_id: 'GLOBEX',
      started_at: '2026-10-02T11:05:00',
      duration_seconds: '0',
      response_seconds: '3',
      status: 'abandoned',
    });
  });

  test('src/import/builtin-profiles.ts embeds the current YAML files', () => {
    // tsc copies no YAML into dist/: the compiled code reads the embedded copies.
    expect(() =>
      execFileSync(process.execPath, [path.join(root, 'test', 'tools', 'embed-import-profiles.js'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
