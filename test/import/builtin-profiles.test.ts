/**
 * Each built-in profile against its sample export: the canonical rows must be
 * exactly fixtures/import/<profile>/expected-canonical.csv, which was written
 * by hand from the platform layouts (src/import/SOURCES.md), not by this code.
 */
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { applyProfile, BUILTIN_PROFILES, loadProfile } from '../../src/import';
import { collect, readExpected, readRaw } from './helpers';

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
    const mapped = await collect(applyProfile(profile, readRaw(fixture(name, SAMPLES[name]!), profile)));
    const errors = mapped.filter((r) => !r.ok);
    expect(errors).toEqual([]);
    const actual = mapped.map((r) => (r.ok ? r.row : null));
    expect(actual).toEqual(await readExpected(fixture(name, 'expected-canonical.csv')));
  });

  test('src/import/builtin-profiles.ts embeds the current YAML files', () => {
    // tsc copies no YAML into dist/: the compiled code reads the embedded copies.
    expect(() =>
      execFileSync(process.execPath, [path.join(root, 'scripts', 'embed-import-profiles.js'), '--check'], { stdio: 'pipe' }),
    ).not.toThrow();
  });
});
