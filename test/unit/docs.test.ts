/**
 * The documentation stays readable and inside the repository: README.md stays short,
 * README and docs/ link only to files that exist in the repository, nothing the user
 * sees cites the specification kept outside it, every "docs/reference.md §N" that a
 * message or a page cites is a section of the reference, and the pages carry no notes
 * about how the work was organised.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

const root = path.resolve(__dirname, '..', '..');
const rel = (file: string): string => path.relative(root, file);

function walk(dir: string, keep: (file: string) => boolean): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(file, keep));
    else if (keep(file)) out.push(file);
  }
  return out.sort();
}

const read = (file: string): string => readFileSync(file, 'utf8');
const pages = [path.join(root, 'README.md'), ...walk(path.join(root, 'docs'), (f) => f.endsWith('.md'))];

/** Markdown without fenced code blocks and inline code, where a `](` is not a link. */
function prose(markdown: string): string {
  return markdown.replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, '').replace(/`[^`\n]*`/g, '');
}

/** Targets of inline links and images, and of reference definitions. */
function linkTargets(markdown: string): string[] {
  const text = prose(markdown);
  const out: string[] = [];
  for (const m of text.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push(m[1]!);
  for (const m of text.matchAll(/^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)) out.push(m[1]!);
  return out;
}

/** Text of every string literal and template piece in a TypeScript file: what can reach a user. */
function stringsOf(file: string): Array<{ text: string; line: number }> {
  const text = read(file);
  const out: Array<{ text: string; line: number }> = [];
  if (!/SPEC|reference\.md/.test(text)) return out; // nothing to find: spare the parse
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const visit = (node: ts.Node): void => {
    if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node) || ts.isTemplateHead(node) || ts.isTemplateMiddle(node) || ts.isTemplateTail(node)) {
      out.push({ text: node.text, line: source.getLineAndCharacterOfPosition(node.getStart()).line + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return out;
}

const sourceFiles = walk(path.join(root, 'src'), (f) => f.endsWith('.ts'));
/** Files shipped as text that users read: profiles, notes beside the source, price lists, the schema. */
const shippedText = [
  ...walk(path.join(root, 'src'), (f) => /\.(ya?ml|md|json)$/.test(f)),
  ...walk(path.join(root, 'price-lists'), () => true),
  ...walk(path.join(root, 'schema'), () => true),
];

/** "§4.4" for each heading "### §4.4 …" of the reference. */
function referenceSections(): Set<string> {
  const text = read(path.join(root, 'docs', 'reference.md'));
  return new Set([...text.matchAll(/^#{2,4} (§\d+(?:\.\d+)*)\s/gm)].map((m) => m[1]!));
}

describe('README.md', () => {
  it('is under 15 KB', () => {
    expect(statSync(path.join(root, 'README.md')).size).toBeLessThan(15_000);
  });

  it('says how to install and test, and links every page of docs/', () => {
    const readme = read(path.join(root, 'README.md'));
    expect(readme).toContain('npm install && npx callbill invoice --period 2026-10 --extras fixtures/example-2026-10/extras.csv fixtures/example-2026-10/voice.csv fixtures/example-2026-10/chat.csv');
    expect(readme).toContain('npm test');
    expect(readme).toContain('npm link');
    const linked = new Set(linkTargets(readme).map((t) => path.normalize(t.split('#')[0]!)));
    for (const page of pages.slice(1)) expect([rel(page), linked.has(rel(page))]).toEqual([rel(page), true]);
  });
});

describe('README.md and docs/', () => {
  it('link only to files that exist inside the repository', () => {
    const bad: string[] = [];
    for (const page of pages) {
      for (const target of linkTargets(read(page))) {
        if (/^(https?:|mailto:)/i.test(target) || target.startsWith('#')) continue;
        const file = decodeURIComponent(target.split('#')[0]!.split('?')[0]!);
        const resolved = path.resolve(path.dirname(page), file);
        if (path.isAbsolute(file) || /^[a-z][a-z0-9+.-]*:/i.test(file)) bad.push(`${rel(page)}: ${target} is an absolute path or another scheme`);
        else if (resolved !== root && !resolved.startsWith(root + path.sep)) bad.push(`${rel(page)}: ${target} points outside the repository`);
        else if (!existsSync(resolved)) bad.push(`${rel(page)}: ${target} does not exist`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('carry no notes about how the work was organised (issue numbers, the lead)', () => {
    const bad: string[] = [];
    for (const page of pages) {
      read(page)
        .split('\n')
        .forEach((line, i) => {
          if (/issue\s*#|\bthe lead\b/i.test(line)) bad.push(`${rel(page)}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(bad).toEqual([]);
  });
});

describe('what users read cites the repository, not the specification outside it', () => {
  it('no message in src/ cites SPEC', () => {
    const bad: string[] = [];
    for (const file of sourceFiles) {
      for (const s of stringsOf(file)) if (/\bSPEC\b/.test(s.text)) bad.push(`${rel(file)}:${s.line}: ${s.text.slice(0, 100)}`);
    }
    expect(bad).toEqual([]);
  });

  it('no shipped profile, note, price list or schema cites SPEC or a path outside the repository', () => {
    const bad: string[] = [];
    for (const file of shippedText) {
      read(file)
        .split('\n')
        .forEach((line, i) => {
          if (/\bSPEC\b|\.\.\/shared\b/.test(line)) bad.push(`${rel(file)}:${i + 1}: ${line.trim().slice(0, 100)}`);
        });
    }
    expect(bad).toEqual([]);
  });

  it('every "docs/reference.md §N" cited by a message, a shipped file or a page is a section of the reference', () => {
    const sections = referenceSections();
    expect(sections.size).toBeGreaterThan(20);
    const cited: Array<{ where: string; section: string }> = [];
    const collect = (where: string, text: string, pattern: RegExp): void => {
      for (const m of text.matchAll(pattern)) cited.push({ where, section: m[1]! });
    };
    const inRepo = /docs\/reference\.md\)? (§\d+(?:\.\d+)*)/g;
    for (const file of sourceFiles) for (const s of stringsOf(file)) collect(`${rel(file)}:${s.line}`, s.text, inRepo);
    for (const file of shippedText) collect(rel(file), read(file), inRepo);
    for (const page of pages) {
      collect(rel(page), read(page), inRepo);
      // within docs/: "reference §2.3", "[reference](reference.md) §2"
      collect(rel(page), read(page), /\breference(?:\]\(reference\.md\))? (§\d+(?:\.\d+)*)/g);
    }
    expect(cited.length).toBeGreaterThan(5);
    expect(cited.filter((c) => !sections.has(c.section)).map((c) => `${c.where}: ${c.section}`)).toEqual([]);
  });
});

describe("the README's example bill", () => {
  it('is the start and the totals of the example month as its golden table has them, lines in order', () => {
    // the golden file is the hand-checked bill of the shipped example (issue date 2026-11-01)
    const golden = read(path.join(root, 'test', 'golden', 'expected', 'example-2026-10.table.txt')).split('\n');
    const readme = read(path.join(root, 'README.md'));
    const start = readme.indexOf('```\nACME-2026-10  ');
    expect(start).toBeGreaterThan(0);
    const block = readme.slice(start + 4, readme.indexOf('```', start + 4)).split('\n').filter((l) => l !== '' && l !== '  …');
    expect(block.length).toBeGreaterThan(8);
    let at = -1;
    const missing: string[] = [];
    for (const line of block) {
      const i = golden.indexOf(line, at + 1);
      if (i < 0) missing.push(line);
      else at = i;
    }
    expect(missing).toEqual([]);
  });
});
