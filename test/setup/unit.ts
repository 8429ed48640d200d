/**
 * The unit project: tests of callbill's code in this process. The time limit of every test
 * and hook is generous on purpose: CI may share a busy machine, and no test depends on speed
 * (`npm run bench` measures it). A test that truly hangs still fails.
 */
jest.setTimeout(120_000);
