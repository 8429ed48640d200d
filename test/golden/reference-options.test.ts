/**
 * docs/reference.md documents every command the built CLI has, with the options that
 * command really accepts: each command's section names every option of its --help, the
 * section's option table lists none that --help lacks, and the options-by-command
 * table (§1.8) ticks exactly the options each command accepts.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, runCli } from '../helpers/run-cli';
import { runCliInProcess } from '../helpers/cli';

const reference = readFileSync(path.join(ROOT, 'docs', 'reference.md'), 'utf8');

/** The long names (`--period`, `--no-color`) in an option column of --help, or in a table cell. */
function longOptions(text: string): string[] {
  return [...text.matchAll(/(?:^|[\s,`|(])(--[a-z][a-z-]*)/g)].map((m) => m[1]!);
}

/** The cells of a Markdown table row; `\|` inside a cell is not a separator. */
function cellsOf(row: string): string[] {
  return row.split(/(?<!\\)\|/).slice(1, -1).map((c) => c.trim());
}

/**
 * Each --help text: the commands' own, read in this process before the tests; the
 * top-level one, which names the commands the tests are made for, from `node bin/callbill.js`
 * while the tests are collected.
 */
const helps = new Map<string, string>();
function help(args: string[]): string {
  const text = helps.get(args.join(' '));
  if (text === undefined) throw new Error(`no --help text read for "${args.join(' ')}"`);
  return text;
}
function keep(args: string[], r: { code: number | null; stdout: string; stderr: string }): void {
  expect([args, r.code, r.stderr]).toEqual([args, 0, '']);
  helps.set(args.join(' '), r.stdout);
}
keep([], runCli(['--help']));
beforeAll(async () => {
  for (const command of all) keep([command], await runCliInProcess([command, '--help']));
});

/** The commands of `callbill --help`, without `help`. */
function commands(): string[] {
  const text = help([]).split(/^Commands:$/m)[1] ?? '';
  return [...text.matchAll(/^ {2}([a-z][a-z-]*)\b/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
}

/** The options a command's --help lists, without --help itself. */
function optionsOf(command: string): Set<string> {
  const text = help([command]).split(/^Options:$/m)[1]?.split(/^\S/m)[0] ?? '';
  const lines = text.split('\n').filter((l) => /^ {2}-/.test(l));
  return new Set(lines.flatMap((l) => longOptions(l.trim().split(/\s{2,}/)[0]!)).filter((o) => o !== '--help'));
}

/** The text of the reference section whose heading names the command: "### §1.2 `invoice` — …". */
function sectionOf(command: string): string | undefined {
  const m = new RegExp(`^(#{2,4}) §[0-9.]+ \`${command}\`[^\\n]*\\n([\\s\\S]*?)(?=^#{2,4} |$(?![\\s\\S]))`, 'm').exec(reference);
  return m?.[2];
}

const all = commands();

test('the built CLI lists the commands this test knows to look for', () => {
  expect(all).toEqual(expect.arrayContaining(['invoice', 'check', 'explain', 'compare', 'import-check', 'verify']));
});

describe.each(all)('callbill %s', (command) => {
  it('has a section in docs/reference.md that names every option of its --help, and no other in its option table', () => {
    const section = sectionOf(command);
    expect([command, section !== undefined]).toEqual([command, true]);
    const accepted = optionsOf(command);
    const named = new Set(longOptions(section!));
    expect([...accepted].filter((o) => !named.has(o))).toEqual([]);
    const tableOptions = section!
      .split('\n')
      .filter((l) => /^\| `-/.test(l))
      .flatMap((l) => longOptions(cellsOf(l)[0]!));
    expect(tableOptions.filter((o) => !accepted.has(o))).toEqual([]);
  });
});

test('the options-by-command table of §1.8 ticks exactly what each command accepts', () => {
  const table = /^### §1\.8 [^\n]*\n([\s\S]*?)(?=^#{2,4} )/m.exec(reference)?.[1] ?? '';
  const rows = table.split('\n').filter((l) => l.startsWith('|'));
  const header = cellsOf(rows[0]!).slice(1);
  expect(header.length).toBeGreaterThanOrEqual(6);
  const ticked = new Map<string, Set<string>>(header.map((c) => [c, new Set<string>()]));
  for (const row of rows.slice(2)) {
    const cells = cellsOf(row);
    const option = longOptions(cells[0]!)[0]!;
    header.forEach((command, i) => {
      if (cells[i + 1] !== '') ticked.get(command)!.add(option);
    });
  }
  for (const command of header) {
    expect(all).toContain(command);
    expect([command, [...ticked.get(command)!].sort()]).toEqual([command, [...optionsOf(command)].sort()]);
  }
});

test('README.md has a row for every command in its Commands table', () => {
  const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const table = /^## Commands\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1] ?? '';
  const rows = new Set(table.split('\n').filter((l) => l.startsWith('| `')).map((l) => cellsOf(l)[0]!.replace(/`/g, '')));
  expect(all.filter((c) => !rows.has(c))).toEqual([]);
});
