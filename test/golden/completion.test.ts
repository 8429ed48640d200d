import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCliInProcess } from '../helpers/cli';
import type { CliOutcome } from '../helpers/cli';

/**
 * `callbill completion bash|zsh|fish` (docs/reference.md §1.14): made from the commander
 * definitions at run time. The commands and options expected here are read from the
 * built CLI's --help texts, not from the generator, so a command added to the CLI must
 * appear in every script without an edit to the generator.
 */
async function help(args: string[]): Promise<string> {
  const r = await runCliInProcess([...args, '--help']);
  expect(r.code).toBe(0);
  return r.stdout;
}

function commandsIn(text: string): string[] {
  const part = text.split(/^Commands:$/m)[1] ?? '';
  return [...part.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

function optionsIn(text: string): string[] {
  const part = text.split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? '';
  return part
    .split('\n')
    .filter((l) => /^ {2}-/.test(l))
    .flatMap((l) => [...l.trim().split(/\s{2,}/)[0]!.matchAll(/(?:^|[\s,])(--?[A-Za-z][A-Za-z-]*)/g)].map((m) => m[1]!));
}

/** Every command path with its options, from the --help texts. */
async function cliTree(): Promise<Array<{ path: string[]; options: string[] }>> {
  const top = await help([]);
  const out: Array<{ path: string[]; options: string[] }> = [{ path: [], options: optionsIn(top) }];
  for (const c of commandsIn(top)) {
    const text = await help([c]);
    out.push({ path: [c], options: optionsIn(text) });
    for (const s of commandsIn(text)) out.push({ path: [c, s], options: optionsIn(await help([c, s])) });
  }
  return out;
}

let tree: Array<{ path: string[]; options: string[] }>;
beforeAll(async () => {
  tree = await cliTree();
});

describe.each(['bash', 'zsh', 'fish'])('callbill completion %s', (shell) => {
  let r: CliOutcome;
  beforeAll(async () => {
    r = await runCliInProcess(['completion', shell]);
  });
  it('prints a script (exit 0, nothing on stderr)', () => {
    expect([r.code, r.stderr]).toEqual([0, '']);
  });
  it('names every command and every option of the CLI', () => {
    expect(tree.length).toBeGreaterThan(10);
    const missing: string[] = [];
    for (const { path, options } of tree) {
      for (const p of path) if (!new RegExp(`(^|[\\s"'])${p}([\\s"']|$)`, 'm').test(r.stdout)) missing.push(p);
      for (const o of options) {
        // fish writes -l prices and -s p for --prices and -p
        const inFish = o.startsWith('--') ? ` -l ${o.slice(2)}` : ` -s ${o.slice(1)}`;
        if (shell === 'fish' ? !r.stdout.includes(inFish) : !r.stdout.includes(o)) missing.push(`${path.join(' ')} ${o}`);
      }
    }
    expect(missing).toEqual([]);
  });
});

test('bash accepts the bash script (bash -n), and it completes commands, options and choices', async () => {
  const script = (await runCliInProcess(['completion', 'bash'])).stdout;
  const dir = mkdtempSync(join(tmpdir(), 'callbill-completion-'));
  try {
    const file = join(dir, 'callbill.bash');
    writeFileSync(file, script);
    const syntax = spawnSync('bash', ['-n', file], { encoding: 'utf8' });
    expect([syntax.status, syntax.stderr]).toEqual([0, '']);
    const complete = (words: string[]): string => {
      const r = spawnSync('bash', ['-c', `source ${JSON.stringify(file)}; COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}; _callbill_complete; echo "\${COMPREPLY[*]}"`], { encoding: 'utf8' });
      expect(r.stderr).toBe('');
      return r.stdout.trim();
    };
    expect(complete(['callbill', 'inv'])).toBe('invoice');
    expect(complete(['callbill', 'ledger', 'sh'])).toBe('show');
    expect(complete(['callbill', 'invoice', '--for'])).toBe('--format');
    expect(complete(['callbill', 'invoice', '--format', ''])).toBe('table csv json');
    expect(complete(['callbill', 'check', '--cu'])).toBe('--customers');
    expect(complete(['callbill', 'completion', ''])).toBe('bash zsh fish');
    // a file is expected: nothing from the script, the shell completes file names
    expect(complete(['callbill', 'invoice', '-p', ''])).toBe('');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
