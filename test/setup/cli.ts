/**
 * The cli project: tests of the built command line, through its main() in this process or
 * in a subprocess (and other programs started so). Their time limit is larger still: a busy
 * machine can make one run of the CLI on a large file many times slower than on a quiet
 * one, and no test depends on speed.
 * The flag lets the subprocess helpers check that they run here, after the check of the
 * build in test/setup/built-cli.js.
 */
jest.setTimeout(300_000);
(globalThis as { callbillCliProject?: boolean }).callbillCliProject = true;
