import { inputReading } from './load-inputs';
import type { ReadingOptions } from './load-inputs';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { DataError } from '../errors';
import type { Cell, CustomerFigures, Explanation, RowFacts } from '../explain/explain-record';
import { explainBilled, explainOutside, explainRejected } from '../explain/explain-record';
import type { ImportProfile } from '../import';
import { compareIds } from '../invoice/build-invoices';
import { ZERO } from '../money/decimal';
import type { RatedRecord } from '../rating/rate-record';
import { customerAcc } from '../rating/usage-state';
import { supersededNotice } from '../render/rejected-rows';
import { shownValue } from '../render/terminal-safe';
import { parseIssueDate, parsePeriod, spanPeriod } from '../time/period';
import type { Period } from '../time/period';
import type { ColumnMap, ColumnName, RowProblem } from '../usage/usage-record';
import { isProblem, mapHeader, parseUsageRow } from '../usage/usage-record';
import { DecimalMark } from '../usage/decimal-mark';
import type { FoldResult } from './fold-inputs';
import { foldInputs, inputNames, newContext } from './fold-inputs';
import { loadBalances, loadImportProfile, loadPrices } from './load-inputs';

export interface ExplainRequest extends ReadingOptions {
  files: string[];
  prices: string;
  period?: string;
  /** The record_id asked about, trimmed, not empty. */
  record: string;
  balancesIn?: string;
  import?: string;
  /** A notice for stderr (the caller decides whether it shows). */
  notice: (text: string) => void;
  /** The clock: the invoice number's {year} is today's (the issue date `invoice` would use). */
  now: number;
}

export interface ExplainResult {
  explanation: Explanation;
  /** Rejected rows of the inputs other than those with this record_id. */
  otherRejected: number;
}

/** A row whose record_id is the one asked about, and what the fold made of it. */
interface Sighting {
  input: number;
  line: number;
  fields: string[];
  outcome: { kind: 'pending' } | { kind: 'billed'; rr: RatedRecord } | { kind: 'rejected'; problem: RowProblem };
}

/** Rows with the asked id beyond this many are counted, not kept: a file can repeat an id any number of times. */
const MAX_SIGHTINGS = 20;

/**
 * `explain`: how one record was rated. The inputs are read twice, in
 * flat memory: the first pass folds the period exactly as `invoice` does and
 * finds the record; the second, only when tiers or the diversion ledger need
 * it, sums the customer's records that come before it (by started_at, then
 * record_id). Standard input is read once into memory and replayed.
 */
export async function runExplain(o: ExplainRequest): Promise<ExplainResult> {
  const files = o.files;
  const wanted = o.record;
  const { prices } = loadPrices(o.prices);
  const ctx = newContext(prices, inputReading(o));
  const period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
  const opening = loadBalances(o.balancesIn, prices);
  const profile = loadImportProfile(o.import);
  const names = inputNames(files, profile);
  const open = files.includes('-') ? await replayStdin() : undefined;

  const headers: string[][] = [];
  const idColumn: number[] = [];
  const sightings: Sighting[] = [];
  let extraSightings = 0;
  let current: Sighting | null = null;
  const sightingAt = (input: number, line: number): Sighting | undefined =>
    current && current.input === input && current.line === line ? current : sightings.find((x) => x.input === input && x.line === line);
  const first = await foldInputs(files, ctx, {
    period,
    keepAllRejects: false,
    open,
    profile,
    onHeader: (input, fields) => {
      headers[input] = fields;
      const h = mapHeader(fields);
      idColumn[input] = h.ok ? h.columns.record_id : -1;
    },
    onRow: (input, line, fields) => {
      current = null;
      const at = idColumn[input] ?? -1;
      if (at < 0 || (fields[at] ?? '').trim() !== wanted) return;
      if (sightings.length >= MAX_SIGHTINGS) {
        extraSightings++;
        return;
      }
      current = { input, line, fields, outcome: { kind: 'pending' } };
      sightings.push(current);
    },
    // a record whose id may repeat is decided after every input is read: look it up by its place
    onRated: (rr) => {
      const s = sightingAt(rr.record.input, rr.record.line);
      if (s) s.outcome = { kind: 'billed', rr };
    },
    onRejected: (input, line, problem) => {
      const s = sightingAt(input, line);
      if (s) s.outcome = { kind: 'rejected', problem };
    },
  });
  const counts = first.fold.counts;
  const notice = supersededNotice(first.superseded);
  if (notice) o.notice(notice);
  if (sightings.length === 0) {
    throw new DataError(`no record with record_id ${shownValue(wanted)} in ${files.join(', ')} (${counts.read} row${counts.read === 1 ? '' : 's'} read)`);
  }

  const place = (s: Sighting): string => `${names[s.input] ?? '?'}:${s.line}`;
  const chosen = sightings.find((s) => s.outcome.kind === 'billed') ?? sightings[0]!;
  const header = headers[chosen.input] ?? [];
  const columns = mapHeader(header);
  const columnMap: ColumnMap | null = columns.ok ? columns.columns : null;
  const cellOf = (c: ColumnName): string => {
    const i = columnMap ? columnMap[c] : -1;
    return i >= 0 ? (chosen.fields[i] ?? '') : '';
  };
  const others = sightings.filter((s) => s !== chosen).map((s) => `${place(s)}: ${outcomeText(s)}`);
  if (extraSightings > 0) others.push(`… and ${extraSightings} more row${extraSightings === 1 ? '' : 's'} with this record_id`);
  const row: RowFacts = { recordId: wanted, source: place(chosen), cells: cellsOf(header, chosen.fields), sameIdElsewhere: others, cell: cellOf };
  const effective: Period | null = period ?? spanPeriod(first.fold.state.firstMs, first.fold.state.lastMs, ctx.zone);

  let explanation: Explanation;
  const outcome = chosen.outcome;
  if (outcome.kind === 'billed') {
    const figures = await customerFigures(files, ctx, period, outcome.rr, first, open, profile);
    figures.opening = opening.get(outcome.rr.record.customerId) ?? ZERO;
    figures.openingGiven = opening.has(outcome.rr.record.customerId);
    explanation = explainBilled(row, outcome.rr, prices, ctx, effective!, period !== null, figures, parseIssueDate(undefined, ctx.zone, o.now));
  } else {
    // re-read the row on its own for its start time (the fold does not keep it)
    // (its start only: numbers with either decimal mark are taken, and --date-format as the fold read it)
    const parsed = columnMap ? parseUsageRow(cellOf, ctx.zone, chosen.input, chosen.line, new DecimalMark(';'), profile ? null : ctx.dates) : null;
    const start = parsed && !isProblem(parsed) ? { given: parsed.startedAt, ms: parsed.startMs } : null;
    if (outcome.kind === 'rejected') {
      explanation = explainRejected(row, outcome.problem, start, ctx);
    } else if (start && period) {
      explanation = explainOutside(row, start, period, ctx);
    } else {
      throw new Error(`record ${wanted} at ${place(chosen)} was neither billed, rejected nor outside the period`);
    }
  }

  const otherRejected = counts.rejected - sightings.filter((s) => s.outcome.kind === 'rejected').length;
  return { explanation, otherRejected };
}

function outcomeText(s: Sighting): string {
  switch (s.outcome.kind) {
    case 'billed':
      return 'billed';
    case 'rejected':
      return `rejected: ${s.outcome.problem.column}: ${s.outcome.problem.message}`;
    case 'pending':
      return 'outside the period';
  }
}

function cellsOf(header: readonly string[], fields: readonly string[]): Cell[] {
  const out: Cell[] = header.map((h, i) => ({ column: h.trim(), value: fields[i] ?? '' }));
  for (let i = header.length; i < fields.length; i++) out.push({ column: `(extra ${i - header.length + 1})`, value: fields[i]! });
  return out;
}

/** Orders records as the ledger and the tier count do: started_at, then record_id. */
function before(a: RatedRecord['record'], b: RatedRecord['record']): boolean {
  return a.startMs < b.startMs || (a.startMs === b.startMs && compareIds(a.recordId, b.recordId) < 0);
}

/**
 * The second pass: the customer's records before this one. It runs the same fold
 * (the same duplicate, period and rating checks decide what is billed) and keeps
 * three sums; it is skipped when neither tiers nor a diversion need them.
 */
async function customerFigures(
  files: readonly string[],
  ctx: ReturnType<typeof newContext>,
  period: Period | null,
  target: RatedRecord,
  first: FoldResult,
  open: ((p: string) => Readable) | undefined,
  profile: ImportProfile | undefined,
): Promise<CustomerFigures> {
  const t = target.record;
  const acc = first.fold.state.customers.get(t.customerId) ?? customerAcc(t.customerId, target.plan);
  const fig: CustomerFigures = { acc, secondsBefore: 0, transferCostBefore: 0n, divertedBefore: 0, opening: ZERO, openingGiven: false };
  const terms = t.channel === 'voice' ? target.version.voice : target.version.chat;
  const needTiers = !t.abandoned && terms?.pricing.kind === 'tiers';
  if (!needTiers && !target.diversion) return fig;
  const second = await foldInputs(files, ctx, {
    period,
    keepAllRejects: false,
    open,
    profile,
    onRated: (rr) => {
      const r = rr.record;
      if (r.customerId !== t.customerId || !before(r, t)) return;
      if (rr.version === target.version && r.channel === t.channel) fig.secondsBefore += rr.billableSeconds;
      if (rr.diversion) {
        fig.divertedBefore++;
        if (rr.version === target.version) fig.transferCostBefore += rr.diversion.costMinor;
      }
    },
  });
  // the sums are only right if both passes read the same bytes
  second.inputs.forEach((inp, i) => {
    if (inp.sha256 !== first.inputs[i]?.sha256) throw new DataError(`${inp.path}: changed while it was being read twice; run explain again on a file that is not being written to`);
  });
  return fig;
}

/** Standard input can be read only once: keep it, and hand out a fresh stream per pass. */
async function replayStdin(): Promise<(p: string) => Readable> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin as AsyncIterable<Buffer>) chunks.push(c);
  const all = Buffer.concat(chunks);
  return (p) => (p === '-' ? Readable.from([all]) : createReadStream(p, { highWaterMark: 1 << 20 }));
}
