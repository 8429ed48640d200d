/**
 * The field delimiter of a CSV input (docs/reference.md §2): found from the header
 * line — comma, semicolon or tab, whichever separates it — unless `--delimiter` (or
 * an import profile's `delimiter:`) says. Excel in much of Europe saves "CSV" with
 * semicolons; spreadsheet "text" exports use tabs.
 */
import { UsageError } from '../errors';
import { looksLikeYaml } from '../usage/usage-record';

/** The field delimiters callbill reads: comma, semicolon, tab. */
export type Delimiter = ',' | ';' | '\t';

const DELIMITERS: readonly Delimiter[] = [',', ';', '\t'];

/** How a delimiter is named in messages: `,` `;` and `tab`. */
export function delimiterName(d: Delimiter): string {
  return d === '\t' ? 'tab' : d;
}

/** Plural words for messages: "commas", "semicolons", "tabs". */
export function delimiterWords(d: Delimiter): string {
  return d === ',' ? 'commas' : d === ';' ? 'semicolons' : 'tabs';
}

/** `,` `;` `tab` (also `\t` and a real tab character, as a shell may pass it) → the delimiter; null when not one. */
export function parseDelimiterName(text: string): Delimiter | null {
  const t = text.trim().toLowerCase();
  if (text === '\t' || t === 'tab' || t === '\\t') return '\t';
  if (t === ',' || t === 'comma') return ',';
  if (t === ';' || t === 'semicolon') return ';';
  return null;
}

/** `--delimiter <,|;|tab>` (exit 64 when it is none of them). */
export function delimiterOption(text: string | undefined): Delimiter | null {
  if (text === undefined) return null;
  const d = parseDelimiterName(text);
  if (d === null) throw new UsageError(`--delimiter: expected , or ; or tab, found ${JSON.stringify(text)}`);
  return d;
}

export type Detected = { ok: true; delimiter: Delimiter } | { ok: false; message: string };

/**
 * The delimiter of the first line of `text` (a byte-order mark and empty lines before
 * it skipped): the one of `,` `;` tab that occurs most often in it outside quotes; when
 * the line has `;` or tabs, a comma between two digits is not counted (a decimal comma
 * in the first row of a header-less export). None at all, or two as often as each
 * other, is a problem that says what was tried.
 */
export function detectDelimiter(text: string): Detected {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
  const counts = new Map<Delimiter, number>(DELIMITERS.map((d) => [d, 0]));
  // commas between two digits: decimal commas when the line also has ; or tabs (the first line of a header-less export is data)
  let digitCommas = 0;
  let quoted = false;
  for (; i < n; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) break;
    else if (!quoted && (c === ',' || c === ';' || c === '\t')) {
      counts.set(c, counts.get(c)! + 1);
      if (c === ',' && isDigit(text.charCodeAt(i - 1)) && isDigit(text.charCodeAt(i + 1))) digitCommas++;
    }
  }
  if (counts.get(';')! + counts.get('\t')! > 0) counts.set(',', counts.get(',')! - digitCommas);
  const ranked = [...DELIMITERS].sort((a, b) => counts.get(b)! - counts.get(a)!);
  const best = ranked[0]!;
  const top = counts.get(best)!;
  if (top === 0) {
    // a YAML file (a price list given as usage) has one "column": read it as such, so that the
    // header's check names it for what it is instead of asking for a delimiter
    if (looksLikeYaml(firstLineOf(text))) return { ok: true, delimiter: ',' };
    return {
      ok: false,
      message:
        'the header line has no comma, semicolon or tab between column names (tried , ; and tab); ' +
        'if the columns are separated by another character, save the file as CSV, or give --delimiter (docs/reference.md §2)',
    };
  }
  const tie = ranked.filter((d) => counts.get(d) === top);
  if (tie.length > 1) {
    return {
      ok: false,
      message: `the header line has as many ${tie.map(delimiterWords).join(' as ')} (${top} each): say which separates the columns with --delimiter (docs/reference.md §2)`,
    };
  }
  return { ok: true, delimiter: best };
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function firstLineOf(text: string): string {
  const t = text.replace(/^\uFEFF/, '').replace(/^[\r\n]+/, '');
  const end = t.search(/[\r\n]/);
  return end < 0 ? t : t.slice(0, end);
}

/**
 * Where the first line of `text` ends (the index of its LF outside quotes, a byte-order
 * mark and leading empty lines skipped), or -1 when the text does not hold it whole yet.
 */
export function firstLineEnd(text: string): number {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const n = text.length;
  while (i < n && (text.charCodeAt(i) === 10 || text.charCodeAt(i) === 13)) i++;
  let quoted = false;
  for (; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) quoted = !quoted;
    else if (c === 10 && !quoted) return i;
  }
  return -1;
}
