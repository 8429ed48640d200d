/**
 * The few error classes of callbill, each carrying its exit code of SPEC §6
 * (BSD sysexits.h) as `exitCode`; src/cli/ turns them into the process's exit.
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

function formatDiagnostic(d: Diagnostic): string {
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
  IOERR: 74,
  TEMPFAIL: 75,
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

/** Writing failed part-way: a full disk, a closed or failing standard output (74). */
export class WriteError extends CallbillError {
  readonly exitCode = EXIT.IOERR;
}

/**
 * Busy; try again (75): an output folder is being written by another run, or the ledger
 * is held by another run too long or was committed to while this run computed.
 */
export class BusyError extends CallbillError {
  readonly exitCode = EXIT.TEMPFAIL;
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
const QUOTE_LIMIT = 80;

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

/** What the system's error codes mean, in words a finance user can act on. */
const ERRNO_WORDS: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EFBIG: 'the file is too large',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on this machine',
  ENAMETOOLONG: 'the name is too long',
  ELOOP: 'too many symbolic links',
  EBUSY: 'busy',
  EIO: 'input/output error (a damaged disk or a lost connection?)',
  EXDEV: 'cannot move a file to another file system',
  ENXIO: 'no such device',
  EPIPE: 'the reading end was closed',
  EAGAIN: 'temporarily unavailable',
};

/**
 * The reason a file operation failed, in words with the system's code after them:
 * `no such file or folder (ENOENT)`. A code without words here takes the system's
 * own description; an error without a code, its message.
 */
export function fsErrorText(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e ? (e as { code: unknown }).code : undefined;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code !== 'string' || !/^E[A-Z0-9]+$/.test(code)) return message;
  const words = ERRNO_WORDS[code] ?? new RegExp(`^${code}: ([^,]+)`).exec(message)?.[1] ?? 'a system error';
  return `${words} (${code})`;
}
