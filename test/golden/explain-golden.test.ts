/**
 * Golden tests of issue #7 (explain, compare): the built CLI on the folders of
 * fixtures/explain/, stdout compared byte for byte with the expected files there,
 * stderr and exit codes as written in explain-cases.ts. The figures are worked by
 * hand in each folder's README.md.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ERROR_CASES, GOLDEN_CASES } from './explain-cases';
import { ROOT } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';

describe('golden runs on fixtures/explain', () => {
  it.each(GOLDEN_CASES.map((c) => [`${c.folder.split('/').pop()}: ${c.name}`, c] as const))('%s', async (_label, c) => {
    const r = await runCliInProcess(c.args);
    expect(r.stderr).toBe(c.stderr);
    expect(r.code).toBe(c.exit);
    expect(r.stdout).toBe(readFileSync(join(ROOT, c.folder, 'expected', `${c.name}.out`), 'utf8'));
  });
  it.each(ERROR_CASES.map((c) => [c.name, c] as const))('%s: message on stderr, nothing on stdout', async (_label, c) => {
    const r = await runCliInProcess(c.args);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(c.stderr);
    expect(r.code).toBe(c.exit);
  });
});

