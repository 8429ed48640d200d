import { runInProcess } from '../helpers/cli';

/** commander's own messages echo what was typed: they go through the same escaping as every other message. */
describe('commander errors are terminal-safe', () => {
  const EVIL = 'x\u001b[2J\u001b]0;pwned\u0007y\u202e';
  it.each([
    ['an unknown command', [EVIL]],
    ['an unknown option', ['invoice', `--${EVIL}`, 'u.csv']],
    ['an invalid --format choice', ['invoice', '--format', EVIL, 'u.csv']],
    ['an unknown command suggestion', ['invoic\u001b[31m']],
  ])('%s', async (_what, args) => {
    const r = await runInProcess(args);
    expect(r.code).toBe(64);
    expect(r.stderr).toMatch(/^callbill: /);
    expect(r.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
    // shown escaped, not dropped
    expect(r.stderr).toContain('\\u001b');
  });
});
