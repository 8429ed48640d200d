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

/** The ledger is busy: another run holds it too long, or committed while this one computed (75, SPEC §7). */
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
