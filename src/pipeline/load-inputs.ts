/**
 * Loading a job's inputs other than usage: the price list, the opening balances and
 * an import profile, each with the SHA-256 of its bytes for the audit; and the check
 * that every usage input can be opened before anything is read.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { ConfigError, DataError, fsErrorText, InputError, quoteValue, UsageError } from '../errors';
import { loadProfile } from '../import';
import type { ImportProfile } from '../import';
import { parseBalances } from '../io/read-balances';
import { limitText, readCapped } from '../io/read-capped';
import { utf8Text } from '../io/utf8';
import type { Dec } from '../money/decimal';
import { parsePriceList } from '../pricing/parse-price-list';
import { delimiterOption } from '../io/delimiter';
import type { InputReading } from '../rating/rate-record';
import { DateFormat } from '../usage/date-format';
import type { PriceList } from '../pricing/types';

export interface LoadedPrices {
  prices: PriceList;
  path: string;
  /** The text as read (worker threads parse it again themselves). */
  text: string;
  sha256: string;
}

export interface LoadedBalances {
  balances: Map<string, Dec>;
  /** null when no --balances-in was given. */
  path: string | null;
  sha256: string | null;
}

function readInputFile(path: string, what: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: cannot open ${what}: it is a folder`);
    // capped: a device such as /dev/zero, or a usage export given by mistake, ends promptly with a message
    const buf = readCapped(path);
    if (buf === null) throw new ConfigError([{ file: path, line: 0, column: 0, message: `larger than ${limitText()}: not ${what} (callbill reads at most ${limitText()} of it)` }]);
    return buf;
  } catch (e) {
    if (e instanceof InputError || e instanceof ConfigError) throw e;
    throw new InputError(`${path}: cannot open ${what}: ${fsErrorText(e)}`);
  }
}

/** The price list of a run when no -p is given (docs/reference.md §1.13). */
export const DEFAULT_PRICES = 'price-lists/default.yaml';

/**
 * The price list to read: `-p FILE`, else the environment's `CALLBILL_PRICES`, else
 * price-lists/default.yaml in the current folder. When it did not come from -p and cannot
 * be opened, the message says where the name came from and where it was looked for (a
 * cron job runs in another folder than the one it was tried in); 66.
 */
export function resolvePrices(option: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (option !== undefined) return option;
  const fromEnv = env.CALLBILL_PRICES !== undefined && env.CALLBILL_PRICES !== '';
  const path = fromEnv ? env.CALLBILL_PRICES! : DEFAULT_PRICES;
  try {
    if (statSync(path).isDirectory()) throw Object.assign(new Error('is a folder'), { code: 'EISDIR' });
    closeSync(openSync(path, 'r'));
  } catch (e) {
    const where = isAbsolute(path) ? '' : `, looked for in ${cwd}`;
    const origin = fromEnv ? `the price list named by CALLBILL_PRICES${where}` : `no -p was given and CALLBILL_PRICES is not set, so the default ${DEFAULT_PRICES} was used${where} (the current folder)`;
    throw new InputError(`${path}: cannot open the price list: ${fsErrorText(e)}; ${origin}. Give the price list with -p FILE or set CALLBILL_PRICES to its absolute path`);
  }
  return path;
}

/** The price list file's bytes (exit 66 when it cannot be read). */
export function readPrices(path: string): Buffer {
  return readInputFile(path, 'the price list');
}

function sha256Of(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

/** The price list; `shownAs` names it in messages and control figures (verify: the recorded path). */
export function loadPrices(path: string, shownAs = path, bytes?: Buffer): LoadedPrices {
  const buf = bytes ?? readInputFile(path, 'the price list');
  const text = utf8Text(buf, shownAs);
  let prices: PriceList;
  try {
    prices = parsePriceList(text, shownAs);
  } catch (e) {
    // a usage export given as the price list: one message that names it, not a page of YAML errors
    const csv = e instanceof ConfigError ? csvFirstLine(text) : null;
    if (csv !== null) {
      throw new ConfigError([{ file: shownAs, line: 0, column: 0, message: `this looks like a CSV file, not a YAML price list (its first line is ${quoteValue(csv)}): give the price list with -p FILE, and the usage files after the options` }]);
    }
    throw e;
  }
  let hash: string | null = null;
  return {
    prices,
    path: shownAs,
    text,
    // only `invoice` shows it
    get sha256() {
      return (hash ??= sha256Of(buf));
    },
  };
}

export function loadBalances(path: string | undefined, prices: PriceList): Map<string, Dec> {
  return loadBalancesFile(path, prices).balances;
}

/**
 * The first line of a text that reads as a CSV header: two or more commas, semicolons
 * or tabs and no `key: value` of YAML before them; null otherwise.
 */
function csvFirstLine(text: string): string | null {
  const first = (text.replace(/^\uFEFF/, '').split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim();
  if (/^(#|---|%YAML)/.test(first) || /^[^,;\t"]*:(\s|$)/.test(first)) return null;
  return /[,;\t][^,;\t]*[,;\t]/.test(first) ? first : null;
}

/** `--balances-in`, with the file's SHA-256 for the audit. */
export function loadBalancesFile(path: string | undefined, prices: PriceList, shownAs = path): LoadedBalances {
  if (path === undefined) return { balances: new Map(), path: null, sha256: null };
  const name = shownAs ?? path;
  const buf = readInputFile(path, 'the balances file');
  return { balances: parseBalances(utf8Text(buf, name), name, prices), path: name, sha256: sha256Of(buf) };
}

/** --delimiter and --date-format as given on the command line (docs/reference.md §2). */
export interface ReadingOptions {
  delimiter?: string;
  dateFormat?: string;
}

/**
 * How the run's CSV inputs are written: --delimiter (64 unless `,` `;` or `tab`) and
 * --date-format (64 unless a pattern; not with --import, whose profile says how its
 * timestamps are written).
 */
export function inputReading(o: ReadingOptions & { import?: string }): InputReading {
  const delimiter = delimiterOption(o.delimiter);
  if (o.dateFormat !== undefined) {
    if (o.import !== undefined) throw new UsageError('--date-format is for usage files in the columns of docs/reference.md §2; with --import, the profile\'s timestamps.format says how dates are written');
    DateFormat.of(o.dateFormat); // a pattern that is not one: 64 before anything is read
  }
  return { delimiter, dateFormat: o.dateFormat ?? null };
}

/** `--import NAME|FILE`: a built-in profile or a profile YAML (exit 78 when invalid, 66 when unreadable). */
export function loadImportProfile(nameOrPath: string | undefined): ImportProfile | undefined {
  if (nameOrPath === undefined) return undefined;
  return loadProfile(nameOrPath);
}

/** Fails with 66 before any reading when an input cannot be opened; 64 for stdin given twice. */
export function checkInputs(paths: readonly string[]): void {
  const seen = new Map<string, string>();
  for (const p of paths) {
    if (p === '-') {
      if (seen.has('-')) throw new UsageError('standard input (-) is named twice');
      seen.set('-', p);
      continue;
    }
    let real: string;
    try {
      const st = statSync(p);
      if (st.isDirectory()) throw new InputError(`${p}: cannot open usage file: it is a folder`);
      closeSync(openSync(p, 'r'));
      // the same file under another name: a symlink (same real path) or a hard link (same inode)
      real = st.ino !== 0 ? `inode ${st.dev}:${st.ino}` : realpathSync(p);
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`${p}: cannot open usage file: ${fsErrorText(e)}`);
    }
    const first = seen.get(real);
    if (first !== undefined) throw new DataError(`${p}: the same file as ${first}, given twice; its records would be billed twice`);
    seen.set(real, p);
  }
}
