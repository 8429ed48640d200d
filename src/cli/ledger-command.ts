import { join } from 'node:path';
import { UsageError } from '../errors';
import { initLedger, openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/ledger';
import { writeFilesAtomically } from '../io/atomic-write';
import { checkOutputsAgainstLedger, ledgerPath, outputPaths } from '../pipeline/ledger-rules';
import { correctMonth } from '../pipeline/correct';
import type { CorrectResult } from '../pipeline/correct';
import { issueHooks } from '../pipeline/issue';
import { renderJsonValue } from '../render/json';
import type { BalanceRow } from '../render/ledger';
import { balancesCsv, balancesJson, balancesTable, documentsCsv, documentsJson, documentsTable, documentTable, exportFiles, runsJson, runsTable } from '../render/ledger';
import { terminalSafe } from '../render/terminal-safe';
import { Zone } from '../time/zone';
import { invoiceCommand } from './invoice-command';
import type { InvoiceOptions } from './invoice-command';
import type { CommandIO } from './io';
import { loadImportProfile, loadPrices } from '../pipeline/load-inputs';
import { parseIssueDate, parsePeriod } from '../time/period';
import { VERSION } from '../version';

/** The thin shell of `issue`, `correct` and `ledger …` (SPEC §7): options in, one pipeline call, text out. */

function withLedger<T>(path: string, f: (l: Ledger) => T): T {
  const l = openLedger(path);
  try {
    return f(l);
  } finally {
    l.close();
  }
}

export async function issueCommand(files: string[], o: InvoiceOptions & { ledger?: string }, io: CommandIO, preview = false): Promise<string> {
  if (o.period === undefined) throw new UsageError(`${preview ? 'invoice --ledger' : 'issue'} needs --period YYYY-MM: the ledger records months`);
  const path = ledgerPath(o.ledger, io.env);
  checkOutputsAgainstLedger(outputPaths(o), path);
  const ledger = openLedger(path);
  try {
    return await invoiceCommand(files, o, io, issueHooks(ledger, { preview, argv: io.argv ?? [], version: VERSION, now: io.now }));
  } finally {
    ledger.close();
  }
}

export interface LedgerInitOptions {
  ledger?: string;
}

export function ledgerInitCommand(o: LedgerInitOptions, io: CommandIO): string {
  const path = ledgerPath(o.ledger, io.env);
  initLedger(path);
  if (!(o as { quiet?: boolean }).quiet) io.stderr.write(`callbill: ledger created at ${terminalSafe(path)}\n`);
  return '';
}

export interface CorrectOptions {
  prices: string;
  period: string;
  customer?: string[];
  dryRun?: boolean;
  format: string;
  rejects?: string;
  issueDate?: string;
  import?: string;
  quiet?: boolean;
  ledger?: string;
}

export async function correctCommand(files: string[], o: CorrectOptions, io: CommandIO): Promise<string> {
  if (o.format !== 'table' && o.format !== 'json') throw new UsageError(`--format: expected table or json, found ${JSON.stringify(o.format)}`);
  const path = ledgerPath(o.ledger, io.env);
  checkOutputsAgainstLedger(outputPaths(o), path);
  const loaded = loadPrices(o.prices);
  const zone = new Zone(loaded.prices.timezone);
  const period = parsePeriod(o.period, zone);
  const issueDate = parseIssueDate(o.issueDate, zone, io.now());
  const profile = loadImportProfile(o.import);
  const ledger = openLedger(path);
  let r: CorrectResult;
  try {
    r = await correctMonth(ledger, {
      files, loaded, period, issueDate, customers: o.customer ?? [], dryRun: Boolean(o.dryRun), setAside: o.rejects !== undefined, profile,
      argv: io.argv ?? [], version: VERSION, now: io.now,
    });
  } finally {
    ledger.close();
  }
  if (o.rejects !== undefined) writeFilesAtomically([{ path: o.rejects, content: r.computed.rejectsCsv }]);
  if (!o.quiet && r.alreadyBilled > 0) {
    io.stderr.write(`callbill: ${r.alreadyBilled} record${r.alreadyBilled === 1 ? ' was' : 's were'} billed on another customer's or month's invoice and ${r.alreadyBilled === 1 ? 'was' : 'were'} skipped\n`);
  }
  const c = r.computed.run.control;
  if (o.format === 'json') {
    return renderJsonValue({
      dry_run: Boolean(o.dryRun),
      documents: r.documents.map((d) => JSON.parse(d.json) as unknown),
      outcomes: r.outcomes.map((x) =>
        x.kind === 'unchanged'
          ? { customer_id: x.customerId, outcome: 'unchanged', invoice: x.original }
          : x.kind === 'corrected'
            ? { customer_id: x.customerId, outcome: 'corrected', credited: x.original.number, credit_note: x.creditNote.number, replacement: x.replacement.number, adjustment: x.adjustment }
            : { customer_id: x.customerId, outcome: 'first invoice', invoice: x.invoice.number, adjustment: x.adjustment },
      ),
      control: {
        records_read: c.recordsRead, records_billed: c.recordsBilled, records_rejected: c.recordsRejected, records_outside_period: c.recordsOutsidePeriod,
        records_already_billed: c.recordsAlreadyBilled ?? 0, records_late: 0,
      },
    });
  }
  const out: string[] = [];
  for (const x of r.outcomes) {
    const id = terminalSafe(x.customerId);
    if (x.kind === 'unchanged') out.push(`${id}: unchanged (${terminalSafe(x.original)})`);
    else if (x.kind === 'corrected') {
      out.push(
        `${id}: credit note ${terminalSafe(x.creditNote.number)} reverses ${terminalSafe(x.original.number)} (total ${x.creditNote.total}); ` +
          `replacement ${terminalSafe(x.replacement.number)} (total ${x.replacement.total}); closing balance ${x.original.closing_balance} → ${x.replacement.closingBalance}` +
          (x.adjustment ? `; adjustment ${x.adjustment} carried into the next invoice` : ''),
      );
    } else out.push(`${id}: first invoice ${terminalSafe(x.invoice.number)} (total ${x.invoice.total})` + (x.adjustment ? `; adjustment ${x.adjustment} carried into the next invoice` : ''));
  }
  if (r.outcomes.length === 0) out.push(`No customer of ${period.label} to correct.`);
  out.push(`Records: ${c.recordsRead} read, ${c.recordsBilled} billed, ${c.recordsRejected} rejected, ${c.recordsOutsidePeriod} outside the period, ${c.recordsAlreadyBilled ?? 0} already billed`);
  if (o.dryRun) out.push('Dry run: nothing was stored.');
  else if (!r.stored) out.push('Nothing to store.');
  return out.join('\n') + '\n';
}

export interface LedgerQueryOptions {
  ledger?: string;
  period?: string;
  customer?: string;
  format: string;
  out?: string;
}

function format(o: LedgerQueryOptions, allowed: readonly string[]): string {
  if (!allowed.includes(o.format)) throw new UsageError(`--format: expected ${allowed.join(', ')}, found ${JSON.stringify(o.format)}`);
  return o.format;
}

export function ledgerInvoicesCommand(o: LedgerQueryOptions, io: CommandIO): string {
  const f = format(o, ['table', 'csv', 'json']);
  if (o.period !== undefined && !/^\d{4}-(0[1-9]|1[0-2])$/.test(o.period)) throw new UsageError(`--period: expected a month YYYY-MM, found ${JSON.stringify(o.period)}`);
  return withLedger(ledgerPath(o.ledger, io.env), (l) => {
    const docs = l.documents().filter((d) => (o.period === undefined || d.period === o.period) && (o.customer === undefined || d.customer_id === o.customer));
    return f === 'json' ? documentsJson(docs) : f === 'csv' ? documentsCsv(docs) : documentsTable(docs);
  });
}

export function ledgerShowCommand(number: string, o: LedgerQueryOptions, io: CommandIO): string {
  const f = format(o, ['table', 'json']);
  return withLedger(ledgerPath(o.ledger, io.env), (l) => {
    const json = l.documentJson(number);
    if (json === null) throw new UsageError(`no document ${terminalSafe(number)} in the ledger (callbill ledger invoices lists them)`);
    return f === 'json' ? json : documentTable(json);
  });
}

function balanceRows(l: Ledger): BalanceRow[] {
  const rows: BalanceRow[] = [];
  // the month after every month: each customer's latest issued invoice, and what is pending
  const parts = l.openingParts('9999-99');
  const { Dec } = require('../money/decimal') as typeof import('../money/decimal');
  for (const c of [...parts.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const p = parts.get(c)!;
    const closing = p.previous ? p.previous.closing : '0';
    const decimals = Math.max(...[closing, ...p.adjustments].map((a) => (a.split('.')[1] ?? '').length));
    const total = p.adjustments.reduce((s, a) => s.plus(a), new Dec(closing));
    rows.push({ customerId: c, balance: total.toFixed(decimals), lastInvoice: p.previous?.number ?? null, period: p.previous?.period ?? null, pendingAdjustments: p.adjustments });
  }
  return rows;
}

export function ledgerBalancesCommand(o: LedgerQueryOptions, io: CommandIO): string {
  const f = format(o, ['table', 'csv', 'json']);
  return withLedger(ledgerPath(o.ledger, io.env), (l) => {
    const rows = balanceRows(l);
    return f === 'json' ? balancesJson(rows) : f === 'csv' ? balancesCsv(rows) : balancesTable(rows);
  });
}

export function ledgerRunsCommand(o: LedgerQueryOptions, io: CommandIO): string {
  const f = format(o, ['table', 'json']);
  return withLedger(ledgerPath(o.ledger, io.env), (l) => (f === 'json' ? runsJson(l.runs()) : runsTable(l.runs())));
}

export function ledgerExportCommand(o: LedgerQueryOptions, io: CommandIO): string {
  if (o.out === undefined) throw new UsageError('ledger export needs --out DIR');
  const dir = o.out;
  const path = ledgerPath(o.ledger, io.env);
  const names = ['invoices.csv', 'invoice-lines.csv', 'credit-notes.csv', 'balances.csv'];
  checkOutputsAgainstLedger(names.map((n) => join(dir, n)), path);
  const files = withLedger(path, (l) =>
    exportFiles(l.documents(), l.lines(), balanceRows(l), (n) => /"fees_charged": (-?\d+)/.exec(l.documentJson(n) ?? '')?.[1] ?? '0'),
  );
  const { mkdirSync } = require('node:fs') as typeof import('node:fs');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const { OutputError } = require('../errors') as typeof import('../errors');
    throw new OutputError(`${dir}: cannot create the output folder (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  writeFilesAtomically(names.map((n) => ({ path: join(dir, n), content: files[n]! })));
  return '';
}

export async function ledgerBackupCommand(file: string, o: LedgerQueryOptions, io: CommandIO): Promise<string> {
  const path = ledgerPath(o.ledger, io.env);
  checkOutputsAgainstLedger([file], path);
  const l = openLedger(path);
  try {
    await l.backup(file);
  } finally {
    l.close();
  }
  return '';
}
