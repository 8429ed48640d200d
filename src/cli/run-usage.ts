import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { DataError, InputError, UsageError } from '../errors';
import { parseBalances } from '../io/read-balances';
import { readUsageInput } from '../io/read-usage';
import { utf8Text } from '../io/utf8';
import type { Dec } from '../money/decimal';
import { parsePriceList } from '../pricing/parse-price-list';
import type { PriceList } from '../pricing/types';
import type { Period, RatedRecord } from '../rating/rate-record';
import { RatingContext } from '../rating/rate-record';
import type { RejectedRow } from '../rating/usage-fold';
import { UsageFold } from '../rating/usage-fold';
import { shownValue } from '../render/terminal-safe';
import { localDate } from '../time/dates';
import { DAY_MS, daysInMonth, isoDateOfDay, isValidDate, utcMs, Zone } from '../time/zone';

export interface LoadedPrices {
  prices: PriceList;
  path: string;
  sha256: string;
}

function readInputFile(path: string, what: string): Buffer {
  try {
    if (statSync(path).isDirectory()) throw new InputError(`${path}: cannot open ${what}: it is a folder`);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${path}: cannot open ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function loadPrices(path: string, shownAs = path): LoadedPrices {
  const buf = readInputFile(path, 'the price list');
  const prices = parsePriceList(utf8Text(buf, shownAs), shownAs);
  return { prices, path: shownAs, sha256: createHash('sha256').update(buf).digest('hex') };
}

export function loadBalances(path: string | undefined, prices: PriceList): Map<string, Dec> {
  return loadBalancesFile(path, prices).balances;
}

export interface LoadedBalances {
  balances: Map<string, Dec>;
  /** null when no --balances-in was given. */
  path: string | null;
  sha256: string | null;
}

/** `--balances-in`, with the file's SHA-256 for the audit. */
export function loadBalancesFile(path: string | undefined, prices: PriceList, shownAs = path): LoadedBalances {
  if (path === undefined) return { balances: new Map(), path: null, sha256: null };
  const buf = readInputFile(path, 'the balances file');
  return { balances: parseBalances(utf8Text(buf, shownAs ?? path), shownAs ?? path, prices), path: shownAs ?? path, sha256: createHash('sha256').update(buf).digest('hex') };
}

/** `--period YYYY-MM`: the local calendar month in the price list's zone. */
export function parsePeriod(text: string, zone: Zone): Period {
  const m = /^(\d{4})-(\d{2})$/.exec(text);
  const y = Number(m?.[1]), mo = Number(m?.[2]);
  if (!m || !isValidDate(y, mo, 1)) throw new UsageError(`--period: expected a month YYYY-MM, found ${shownValue(text)}`);
  const last = daysInMonth(y, mo);
  const ny = mo === 12 ? y + 1 : y, nmo = mo === 12 ? 1 : mo + 1;
  return {
    startMs: zone.fromLocal(utcMs(y, mo, 1)),
    endMs: zone.fromLocal(utcMs(ny, nmo, 1)),
    start: `${m[1]}-${m[2]}-01`,
    end: `${m[1]}-${m[2]}-${String(last).padStart(2, '0')}`,
    label: text,
  };
}

export function parseIssueDate(text: string | undefined, zone: Zone, now: number): string {
  if (text === undefined) return localDate(zone, now);
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m || !isValidDate(Number(m[1]), Number(m[2]), Number(m[3]))) {
    throw new UsageError(`--issue-date: expected a date YYYY-MM-DD, found ${shownValue(text)}`);
  }
  return text;
}

/** Without --period: one period from the first to the last billed record's local date. */
export function spanPeriod(firstMs: number, lastMs: number, zone: Zone): Period | null {
  if (Number.isNaN(firstMs)) return null;
  const startDay = Math.floor(zone.toLocal(firstMs) / DAY_MS);
  const endDay = Math.floor(zone.toLocal(lastMs) / DAY_MS);
  const start = isoDateOfDay(startDay);
  const end = isoDateOfDay(endDay);
  return {
    startMs: zone.fromLocal(startDay * DAY_MS),
    endMs: zone.fromLocal((endDay + 1) * DAY_MS),
    start,
    end,
    label: `${start}_${end}`,
  };
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
      throw new InputError(`${p}: cannot open usage file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
    }
    const first = seen.get(real);
    if (first !== undefined) throw new DataError(`${p}: the same file as ${first}, given twice; its records would be billed twice`);
    seen.set(real, p);
  }
}

export interface FoldResult {
  fold: UsageFold;
  inputs: Array<{ path: string; sha256: string; records: number }>;
}

export interface FoldRunOptions {
  period: Period | null;
  /** How the inputs are named in messages and control figures (default: their paths). */
  names?: readonly string[];
  keepAllRejects: boolean;
  onRated?: (rr: RatedRecord) => void;
  onBytes?: (n: number) => void;
}

/** Reads every input in order through one fold. */
export async function foldInputs(paths: readonly string[], ctx: RatingContext, opts: FoldRunOptions): Promise<FoldResult> {
  checkInputs(paths);
  const names = opts.names ?? paths;
  const fold = new UsageFold(ctx, {
    period: opts.period,
    inputNames: names,
    keepRejects: opts.keepAllRejects ? Infinity : MAX_REPORTED,
    onRated: opts.onRated,
  });
  const inputs: FoldResult['inputs'] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const name = names[i] ?? path;
    const sink = { header: (input: number, fields: string[]) => fold.header(input, fields), row: (input: number, line: number, fields: string[]) => fold.row(input, line, fields) };
    let r;
    try {
      r = await readUsageInput(path, i, sink, opts.onBytes, undefined, name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${name}: cannot read usage file (${code})`);
      throw e;
    }
    inputs.push({ path: name, sha256: r.sha256, records: fold.recordsPerInput[i] ?? 0 });
  }
  return { fold, inputs };
}

/** SPEC §6: bad rows are listed up to 50, then a count of the rest. */
export const MAX_REPORTED = 50;

export function rejectLine(r: RejectedRow, names: readonly string[]): string {
  const value = r.value === '' ? '' : ` (${shownValue(r.value)})`;
  return `${names[r.input] ?? '?'}:${r.line}: ${r.column}: ${r.message}${value}`;
}

export function rejectsError(rejects: readonly RejectedRow[], total: number, names: readonly string[], hint: string): DataError {
  const details = rejects.slice(0, MAX_REPORTED).map((r) => rejectLine(r, names));
  if (total > MAX_REPORTED) details.push(`... and ${total - MAX_REPORTED} more bad rows`);
  return new DataError(`${total} bad usage row${total === 1 ? '' : 's'}; ${hint}`, details);
}

export function newContext(prices: PriceList): RatingContext {
  return new RatingContext(prices);
}
