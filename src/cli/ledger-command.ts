import { join } from 'node:path';
import { UsageError, fsErrorText } from '../errors';
import { initLedger, openLedger } from '../ledger/ledger';
import type { Ledger } from '../ledger/ledger';
import { writeFilesAtomically } from '../io/atomic-write';
import { checkOutputsAgainstLedger, feesCharged, ledgerBalances, ledgerPath, outputPaths, taxNoteOf } from '../pipeline/ledger-rules';
import { runCorrect } from '../pipeline/correct';
import { writeStoredDocument } from '../pipeline/ledger-documents';
import { issueHooks } from '../pipeline/issue';
import { balancesCsv, balancesJson, balancesTable, correctionJson, correctionTable, documentsCsv, documentsInvoicesCsv, documentsLinesCsv, documentsJson, documentsTable, documentTable, exportFiles, runsJson, runsTable } from '../render/ledger';
import { terminalSafe } from '../render/terminal-safe';
import { invoiceCommand } from './invoice-command';
import type { InvoiceOptions } from './invoice-command';
import type { CommandIO } from './io';
import type { Chunks } from '../render/chunks';
import { VERSION } from '../version';
import { unlistedNotice } from '../render/unlisted';

/** The thin shell of `issue`, `correct` and `ledger …` (SPEC §7): options in, one pipeline call, text out. */

function withLedger<T>(path: string, f: (l: Ledger) => T): T {
  const l = openLedger(path);
  try {
    return f(l);
  } finally {
    l.close();
  }
}

export async function issueCommand(files: string[], o: InvoiceOptions & { ledger?: string }, io: CommandIO, preview = false): Promise<Chunks> {
  if (o.period === undefined) throw new UsageError(`${preview ? 'invoice --ledger' : 'issue'} needs --period YYYY-MM: the ledger records months`);
  const path = ledgerPath(o.ledger, io.env);
  const ledger = openLedger(path);
  try {
    // the ledger's files are among the inputs invoice's output plan checks every output against (73)
    // standard output is rendered (lazily, after the ledger is closed) from what was computed, never from the ledger
    return await invoiceCommand(files, o, io, { hooks: issueHooks(ledger, { preview, argv: io.argv ?? [], version: VERSION, now: io.now }), file: path });
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
  detail?: boolean;
  out?: string;
  documents?: string;
  font?: string;
  extras?: string[];
  rejects?: string;
  issueDate?: string;
  import?: string;
  quiet?: boolean;
  ledger?: string;
}

export async function correctCommand(files: string[], o: CorrectOptions, io: CommandIO): Promise<string> {
  if (o.format !== 'table' && o.format !== 'json' && o.format !== 'csv') throw new UsageError(`--format: expected table, csv or json, found ${JSON.stringify(o.format)}`);
  if (o.detail && o.format !== 'csv') throw new UsageError('--detail goes with --format csv');
  if (o.font !== undefined && o.documents === undefined) throw new UsageError('--font goes with --documents');
  if (o.dryRun && o.documents !== undefined) throw new UsageError('--dry-run writes no documents: their numbers are not issued (leave out --documents, or run without --dry-run)');
  const path = ledgerPath(o.ledger, io.env);
  checkOutputsAgainstLedger(outputPaths(o), path);
  const r = await runCorrect(path, { ...o, files, argv: io.argv ?? [], version: VERSION, now: io.now }, (io.stdout as { fd?: number }).fd);
  if (!o.quiet && r.alreadyBilled > 0) {
    io.stderr.write(`callbill: ${r.alreadyBilled} record${r.alreadyBilled === 1 ? ' was' : 's were'} billed on another customer's or month's invoice and ${r.alreadyBilled === 1 ? 'was' : 'were'} skipped\n`);
  }
  if (!o.quiet) io.stderr.write(unlistedNotice(r.unlisted, o.prices));
  if (o.format === 'csv') return o.detail ? documentsLinesCsv(r.documents) : documentsInvoicesCsv(r.documents);
  return o.format === 'json' ? correctionJson(r, Boolean(o.dryRun)) : correctionTable(r, o.period, Boolean(o.dryRun));
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

export async function ledgerShowCommand(number: string, o: LedgerQueryOptions & { documents?: string; font?: string }, io: CommandIO): Promise<string> {
  const f = format(o, ['table', 'json']);
  if (o.font !== undefined && o.documents === undefined) throw new UsageError('--font goes with --documents');
  const path = ledgerPath(o.ledger, io.env);
  const json = withLedger(path, (l) => l.documentJson(number));
  if (json === null) throw new UsageError(`no document ${terminalSafe(number)} in the ledger (callbill ledger invoices lists them)`);
  if (o.documents !== undefined) await writeStoredDocument(path, number, o.documents, o.font, (io.stdout as { fd?: number }).fd);
  return f === 'json' ? json : documentTable(json);
}

export function ledgerBalancesCommand(o: LedgerQueryOptions, io: CommandIO): string {
  const f = format(o, ['table', 'csv', 'json']);
  return withLedger(ledgerPath(o.ledger, io.env), (l) => {
    const rows = ledgerBalances(l);
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
    exportFiles(l.documents(), l.lines(), ledgerBalances(l), (n) => feesCharged(l.documentJson(n) ?? ''), (n) => taxNoteOf(l.documentJson(n) ?? '{}')),
  );
  const { mkdirSync } = require('node:fs') as typeof import('node:fs');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    const { OutputError } = require('../errors') as typeof import('../errors');
    throw new OutputError(`${dir}: cannot create the output folder: ${fsErrorText(e)}`);
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
