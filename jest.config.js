'use strict';
/**
 * Two projects, run together by `npm test` (after the build and the type-check of the tests):
 *  - unit: tests of callbill's modules in this process (and a few of its built main(), run
 *          in this process with fake streams);
 *  - cli:  tests of the BUILT command line (dist/ and bin/callbill.js, from `npm run build`):
 *          golden files, --jobs, crash safety, fuzzing with a heap cap. A run judged only
 *          by its exit code, output and files runs the built main() in this process
 *          (runCliInProcess, test/helpers/cli.ts; test/golden/cli.test.ts checks that it
 *          prints what the shipped bin prints); what needs a real process (standard input,
 *          signals, a closed or full standard output, kills, concurrent runs, the heap cap)
 *          and the threaded runs of test/golden/jobs.test.ts start `node bin/callbill.js`.
 *          Its global set-up checks once that the build exists, starts and is newer than
 *          every file under src/; nothing here builds.
 * `npx jest --selectProjects unit` is the quick loop; `--selectProjects cli` the slow one.
 * test/golden/ and test/cli/ hold tests of the built CLI and belong to the cli project; a
 * suite elsewhere that starts the built CLI must be listed in CLI_SUITES: the helpers that
 * start it refuse to run in the unit project (test/helpers/run-cli.ts), so a misplaced
 * suite fails loudly.
 *
 * No test depends on speed: timeouts are generous (test/setup/*.ts) because CI may run on a
 * very busy machine; speed is measured by `npm run bench`.
 */
const CLI_SUITES = [
  'test/golden/**/*.test.ts',
  'test/cli/**/*.test.ts',
  'test/fuzz/fuzz.test.ts',
  'test/property/cli-invariants.test.ts',
  'test/import/builtin-profiles.test.ts',
  'test/bench/generate.test.ts',
  'test/documents/documents-cli.test.ts',
  'test/documents/documents-browser.test.ts',
];

const shared = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/tsconfig.json' }] },
};

/** @type {import('jest').Config} */
module.exports = {
  // two cores: one suite per core; the subprocess suites mostly wait on their child
  maxWorkers: '100%',
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/test/**/*.test.ts', ...CLI_SUITES.map((g) => `!**/${g}`)],
      setupFilesAfterEnv: ['<rootDir>/test/setup/unit.ts'],
    },
    {
      ...shared,
      displayName: 'cli',
      testMatch: CLI_SUITES.map((g) => `<rootDir>/${g}`),
      globalSetup: '<rootDir>/test/setup/built-cli.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/cli.ts'],
    },
  ],
};
