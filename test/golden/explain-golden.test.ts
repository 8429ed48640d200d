/**
 * Golden tests of issue #7 (explain, compare): the built CLI on the folders of
 * fixtures/explain/, stdout compared byte for byte with the expected files there,
 * stderr and exit codes as written in explain-cases.ts. The figures are worked by
 * hand in each folder's README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CASES, GOLDEN_CASES } from './explain-cases';
import { ROOT, runCli } from '../helpers/run-cli';

describe('golden runs on fixtures/explain', () => {
  it.each(GOLDEN_CASES.map((c) => [`${c.folder.split('/').pop()}: ${c.name}`, c] as const))('%s', (_label, c) => {
    const r = runCli(c.args);
    expect(r.stderr).toBe(c.stderr);
    expect(r.code).toBe(c.exit);
    expect(r.stdout).toBe(readFileSync(join(ROOT, c.folder, 'expected', `${c.name}.out`), 'utf8'));
  });
  it.each(ERROR_CASES.map((c) => [c.name, c] as const))('%s: message on stderr, nothing on stdout', (_label, c) => {
    const r = runCli(c.args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(c.stderr);
    expect(r.code).toBe(c.exit);
  });
});

