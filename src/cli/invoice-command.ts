import { join } from 'node:path';
import { mkdirSync, statSync } from 'node:fs';
import { DataError, OutputError, UsageError } from '../errors';
import { buildInvoices } from '../invoice/build-invoices';
import type { Invoice, InvoiceRun } from '../invoice/types';
import { writeFilesAtomically } from '../io/atomic-write';
import { ZERO } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { csvLine, numberCell, roundTripCell } from '../render/csv-cell';
import { renderInvoicesCsv, renderLinesCsv } from '../render/csv';
import { renderJson } from '../render/json';
import { renderRejectsCsv } from '../render/rejects-csv';
import { renderTable } from '../render/table';
import { terminalSafe } from '../render/terminal-safe';
import { addDays } from '../time/dates';
import { dayOfIsoDate } from '../time/zone';
import { colorWanted, painter } from './colors';
import { foldInputs, loadBalances, loadPrices, newContext, parseIssueDate, parsePeriod, rejectLine, rejectsError, spanPeriod } from './run-usage';

export interface InvoiceOptions {
  prices: string;
  period?: string;
  format: string;
  detail?: boolean;
  out?: string;
  balancesIn?: string;
  balancesOut?: string;
  rejects?: string;
  issueDate?: string;
  color: boolean;
  quiet?: boolean;
}

export interface CommandIO {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
  now: () => number;
}

const FORMATS = ['table', 'csv', 'json'] as const;

export function checkFormat(f: string): (typeof FORMATS)[number] {
  if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`--format: expected table, csv or json, found ${JSON.stringify(f)}`);
  return f as (typeof FORMATS)[number];
}

/** `callbill invoice`: the main job. Everything is computed before anything is written. */
export async function invoiceCommand(files: string[], o: InvoiceOptions, io: CommandIO): Promise<string> {
  const format = checkFormat(o.format);
  if (o.detail && format !== 'csv') throw new UsageError('--detail goes with --format csv');
  if (o.out !== undefined) checkOutDir(o.out);
  const loaded = loadPrices(o.prices);
  const { prices } = loaded;
  const ctx = newContext(prices);
  const period = o.period !== undefined ? parsePeriod(o.period, ctx.zone) : null;
  const issueDate = parseIssueDate(o.issueDate, ctx.zone, io.now());
  if (!isValidIsoDate(addDays(issueDate, prices.paymentTermsDays))) {
    throw new UsageError(`--issue-date: ${issueDate} plus the price list's payment_terms_days (${prices.paymentTermsDays}) falls after 9999-12-31`);
  }
  const opening = loadBalances(o.balancesIn, prices);

  const { fold, inputs } = await foldInputs(files, ctx, { period, keepAllRejects: o.rejects !== undefined });
  const c = fold.counts;
  if (c.rejected > 0 && o.rejects === undefined) {
    throw rejectsError(fold.rejects, c.rejected, files, 'nothing was written (give --rejects FILE to set them aside and bill the good rows)');
  }
  if (period && c.billed === 0 && c.rejected === 0) {
    // name every input, so the message points at the file to look at
    const details = inputs.map((i) => `${i.path}: no record of ${period.label} (${i.records === 0 ? 'no records at all, only a header' : `${i.records} record${i.records === 1 ? '' : 's'} read, all outside the month`})`);
    throw new DataError(`no record of ${period.label} in the inputs (${c.read} read, ${c.outside} outside the period): is this the right file or month?`, details);
  }
  const effective = period ?? spanPeriod(fold.state.firstMs, fold.state.lastMs, ctx.zone);
  const invoices = effective ? buildInvoices(fold.state, prices, { period: effective, periodGiven: period !== null, issueDate, openingBalances: opening }) : [];
  const run: InvoiceRun = {
    invoices,
    totals: totalsOf(invoices),
    control: {
      recordsRead: c.read,
      recordsBilled: c.billed,
      recordsRejected: c.rejected,
      recordsOutsidePeriod: c.outside,
      inputs,
      priceList: { path: loaded.path, sha256: loaded.sha256 },
    },
  };

  const files_: Array<{ path: string; content: string }> = [];
  if (o.out !== undefined) {
    files_.push({ path: join(o.out, 'invoices.json'), content: renderJson(run) });
    files_.push({ path: join(o.out, 'invoices.csv'), content: renderInvoicesCsv(run) });
    files_.push({ path: join(o.out, 'invoice-lines.csv'), content: renderLinesCsv(run) });
  }
  if (o.rejects !== undefined) {
    files_.push({ path: o.rejects, content: renderRejectsCsv(fold.rejects, fold.headers, files, (r) => rejectLine(r, files).replace(/^[^ ]+ /, '')) });
  }
  if (o.balancesOut !== undefined) {
    files_.push({ path: o.balancesOut, content: renderBalances(invoices, opening, prices.currency.minor) });
  }
  writeFilesAtomically(files_);

  if (c.rejected > 0 && !o.quiet) io.stderr.write(`callbill: ${c.rejected} bad usage row${c.rejected === 1 ? '' : 's'} written to ${terminalSafe(o.rejects ?? '')}\n`);
  switch (format) {
    case 'json':
      return renderJson(run);
    case 'csv':
      return o.detail ? renderLinesCsv(run) : renderInvoicesCsv(run);
    case 'table':
      return renderTable(run, await painter(colorWanted(o.color, io.stdout, io.env)));
  }
}

function isValidIsoDate(s: string): boolean {
  return dayOfIsoDate(s) !== undefined;
}

function checkOutDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
    if (!statSync(dir).isDirectory()) throw new Error('not a folder');
  } catch (e) {
    throw new OutputError(`${dir}: cannot create the output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
}

export function totalsOf(invoices: readonly Invoice[]): InvoiceRun['totals'] {
  const t: InvoiceRun['totals'] = new Map();
  for (const inv of invoices) {
    const e = t.get(inv.currency) ?? { minor: inv.minor, subtotal: ZERO, tax: ZERO, total: ZERO };
    t.set(inv.currency, { minor: inv.minor, subtotal: e.subtotal.plus(inv.subtotal), tax: e.tax.plus(inv.tax), total: e.total.plus(inv.total) });
  }
  return t;
}

/**
 * `--balances-out` (SPEC §4.4): every invoiced customer with a non-zero closing
 * balance, and every customer with an opening row (kept even when it drops to 0,
 * and carried unchanged when the run did not invoice it). Ids are spreadsheet-safe
 * and read back exactly by --balances-in (roundTripCell / unprefixCell).
 */
export function renderBalances(invoices: readonly Invoice[], opening: ReadonlyMap<string, Dec>, minor: number): string {
  const closing = new Map<string, Dec>();
  for (const [id, b] of opening) closing.set(id, b);
  for (const inv of invoices) {
    if (!inv.diversion.closing.isZero() || opening.has(inv.customerId)) closing.set(inv.customerId, inv.diversion.closing);
  }
  let out = csvLine(['customer_id', 'diversion_balance']);
  for (const id of [...closing.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    out += csvLine([roundTripCell(id), numberCell(formatMoney(closing.get(id)!, minor))]);
  }
  return out;
}
