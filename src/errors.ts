/**
 * The few error classes of callbill, each mapped to one exit code of SPEC §6
 * (BSD sysexits.h) in one place: `exitCodeOf` below, used only by src/cli/.
 */

/** A problem located in an input file: `file:line:column: message`. */
export interface Diagnostic {
  file: string;
  /** 1-based; 0 when the problem concerns the whole file. */
  line: number;
  /** 1-based; 0 when no column applies. */
  column: number;
  message: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  if (d.line <= 0) return `${d.file}: ${d.message}`;
  if (d.column <= 0) return `${d.file}:${d.line}: ${d.message}`;
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}

export const EXIT = {
  OK: 0,
  USAGE: 64,
  DATAERR: 65,
  NOINPUT: 66,
  SOFTWARE: 70,
  CANTCREAT: 73,
  CONFIG: 78,
} as const;

export abstract class CallbillError extends Error {
  abstract readonly exitCode: number;
  /** Lines to print on stderr, one per problem. */
  lines(): string[] {
    return [this.message];
  }
}

/** Bad command line (64). */
export class UsageError extends CallbillError {
  readonly exitCode = EXIT.USAGE;
}

/** Usage rows are invalid and no --rejects file was given (65). */
export class DataError extends CallbillError {
  readonly exitCode = EXIT.DATAERR;
  constructor(message: string, readonly details: string[] = []) {
    super(message);
  }
  override lines(): string[] {
    return [...this.details, this.message];
  }
}

/** An input cannot be opened (66). */
export class InputError extends CallbillError {
  readonly exitCode = EXIT.NOINPUT;
}

/** An output cannot be written (73). */
export class OutputError extends CallbillError {
  readonly exitCode = EXIT.CANTCREAT;
}

/** The price list, a balances file or an import profile is invalid (78). */
export class ConfigError extends CallbillError {
  readonly exitCode = EXIT.CONFIG;
  constructor(readonly diagnostics: Diagnostic[], summary?: string) {
    super(summary ?? diagnostics.map(formatDiagnostic).join('\n'));
  }
  override lines(): string[] {
    return this.diagnostics.map(formatDiagnostic);
  }
}

/** How many characters of an input value a message quotes; longer values are cut. */
export const QUOTE_LIMIT = 80;

/**
 * An input value quoted in a message, JSON-style: a value longer than about 80
 * characters is cut with an ellipsis and its full length, so that a wrong file given as
 * the price list cannot put megabytes on stderr. Code points are not split.
 */
export function quoteValue(s: string): string {
  if (s.length <= QUOTE_LIMIT) return jsonQuoted(s);
  const chars = Array.from(s);
  if (chars.length <= QUOTE_LIMIT) return jsonQuoted(s);
  return `${jsonQuoted(chars.slice(0, QUOTE_LIMIT - 3).join(''))}… (${chars.length} characters)`;
}

/** Characters drawn as nothing (zero-width, soft hyphen, tags, bidi controls) or breaking a line: escaped in a quoted value, so it shows what the input holds. */
const UNSEEN = /[\u007f-\u009f\u2028\u2029\p{Default_Ignorable_Code_Point}\p{Bidi_Control}]/gu;

function jsonQuoted(s: string): string {
  return JSON.stringify(s).replace(UNSEEN, (c) => {
    const cp = c.codePointAt(0)!;
    return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  });
}

/** A key of an input shown inside a path (`customers.<key>`): cut like a quoted value, not quoted. */
export function shownKey(s: string): string {
  if (s.length <= QUOTE_LIMIT) return s;
  const chars = Array.from(s);
  if (chars.length <= QUOTE_LIMIT) return s;
  return `${chars.slice(0, QUOTE_LIMIT - 3).join('')}… (${chars.length} characters)`;
}
