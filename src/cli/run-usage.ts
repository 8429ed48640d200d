import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { DataError, InputError, UsageError } from '../errors';
import { parseBalances } from '../io/read-balances';
import { readUsageInput } from '../io/read-usage';
import { utf8Text } from '../io/utf8';
import { readProfiledInput } from '../io/read-profiled';
import { ImportHeaderError } from '../import';
import type { ImportProfile } from '../import';
import { COLUMNS } from '../usage/usage-record';
import type { Dec } from '../money/decimal';
import { parsePriceList } from '../pricing/parse-price-list';
import type { PriceList } from '../pricing/types';
import type { Period, RatedRecord } from '../rating/rate-record';
import { RatingContext } from '../rating/rate-record';
import type { Readable } from 'node:stream';
import type { FoldOptions, RejectedRow } from '../rating/usage-fold';
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

/** The price list; `shownAs` names it in messages and control figures (verify: the recorded path). */
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
  const name = shownAs ?? path;
  const buf = readInputFile(path, 'the balances file');
  return { balances: parseBalances(utf8Text(buf, name), name, prices), path: name, sha256: createHash('sha256').update(buf).digest('hex') };
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
  /** Rows an import profile replaced by a later copy of the same record (Connect): not records. */
  superseded: number;
  /** The name of each input number of the fold's rows and rejects. */
  names: string[];
}

export interface FoldRunOptions {
  period: Period | null;
  /** How the inputs are named in messages, control figures and rejects (default: their paths; verify: the recorded ones). */
  names?: readonly string[];
  keepAllRejects: boolean;
  onRated?: (rr: RatedRecord) => void;
  onRejected?: FoldOptions['onRejected'];
  /** Sees each header and row before the fold does (explain looks for one record id). */
  onHeader?: (input: number, fields: string[]) => void;
  onRow?: (input: number, line: number, fields: string[]) => void;
  onBytes?: (n: number) => void;
  /** Opens an input (default: the file, or stdin for `-`); explain reads stdin once and replays it. */
  open?: (path: string) => Readable;
  /** Read every input through this import profile (issue #8). */
  profile?: ImportProfile;
  /** More folds that see every header and row too (compare: one fold per price list, one read). */
  alsoInto?: readonly UsageFold[];
}

/**
 * The name of each input number of a fold's rows: the files as given, and with an
 * import profile the same names again for the rows it mapped (see foldInputs).
 * Known before reading, so what sees rows as they are rated (--rated) can name them.
 */
export function inputNames(paths: readonly string[], profile: ImportProfile | undefined): string[] {
  return profile ? [...paths, ...paths] : [...paths];
}

/** Reads every input in order through one fold. */
export async function foldInputs(paths: readonly string[], ctx: RatingContext, opts: FoldRunOptions): Promise<FoldResult> {
  checkInputs(paths);
  const names = inputNames(opts.names ?? paths, opts.profile);
  const fold = new UsageFold(ctx, {
    period: opts.period,
    inputNames: names,
    keepRejects: opts.keepAllRejects ? Infinity : MAX_REPORTED,
    onRated: opts.onRated,
    onRejected: opts.onRejected,
  });
  const folds = [fold, ...(opts.alsoInto ?? [])];
  const inputs: FoldResult['inputs'] = [];
  let superseded = 0;
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const name = names[i] ?? path;
    const { onHeader, onRow } = opts;
    let r;
    try {
      if (opts.profile) {
        // rows the profile mapped are checked, and rejected, in the SPEC §2 columns as read: they go
        // under a second input number whose header is those columns (same file name)
        const mapped = paths.length + i;
        for (const f of folds) f.mappedHeader(mapped, [...COLUMNS]);
        onHeader?.(mapped, [...COLUMNS]);
        for (const f of folds) f.mappedHeader(i, []);
        r = await readProfiledInput(
          path,
          opts.profile,
          (m) => {
            superseded += m.superseded?.length ?? 0;
            if (m.ok) {
              const cells = COLUMNS.map((c) => m.row[c]);
              onRow?.(mapped, m.line, cells);
              for (const f of folds) f.mappedRow(mapped, m.line, cells, cells);
            } else {
              onRow?.(i, m.line, m.fields);
              for (const f of folds) f.mappedRow(i, m.line, m.fields, null, { column: m.column, message: m.message, value: m.value });
            }
          },
          (header) => {
            onHeader?.(i, header);
            for (const f of folds) f.mappedHeader(i, header);
          },
          opts.onBytes,
          opts.open,
          name,
        );
      } else {
        const sink = {
          header: (input: number, fields: string[]) => {
            onHeader?.(input, fields);
            for (const f of folds.slice(1)) f.header(input, fields);
            return fold.header(input, fields);
          },
          row: (input: number, line: number, fields: string[]) => {
            onRow?.(input, line, fields);
            for (const f of folds) f.row(input, line, fields);
          },
        };
        r = await readUsageInput(path, i, sink, opts.onBytes, opts.open, name);
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${name}: cannot read usage file (${code})`);
      if (e instanceof ImportHeaderError) throw new DataError(`${name}:${e.message.replace(/^line (\d+): /, '$1: ')}`);
      throw e;
    }
    inputs.push({ path: name, sha256: r.sha256, records: (fold.recordsPerInput[i] ?? 0) + (fold.recordsPerInput[paths.length + i] ?? 0) });
  }
  return { fold, inputs, superseded, names };
}

/**
 * A --period month the inputs hold no record of (README decision: 65, not an empty bill).
 * Every input is named with what it holds, so the message points at the file to look at.
 */
export function noRecordOfPeriod(period: Period, inputs: FoldResult['inputs'], c: { read: number; outside: number }): DataError {
  const details = inputs.map((i) => `${i.path}: no record of ${period.label} (${i.records === 0 ? 'no records at all, only a header' : `${i.records} record${i.records === 1 ? '' : 's'} read, all outside the month`})`);
  return new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`, details);
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

/** `--import NAME|FILE`: a built-in profile or a profile YAML (exit 78 when invalid, 66 when unreadable). */
export function loadImportProfile(nameOrPath: string | undefined): ImportProfile | undefined {
  if (nameOrPath === undefined) return undefined;
  const { loadProfile } = require('../import') as typeof import('../import');
  return loadProfile(nameOrPath);
}

/** A notice for rows an import profile folded into a later copy of the same record. */
export function supersededNotice(n: number): string | null {
  return n > 0 ? `callbill: ${n} earlier cop${n === 1 ? 'y' : 'ies'} of records replaced by a later copy (import profile de-duplication); they are not counted as records\n` : null;
}
