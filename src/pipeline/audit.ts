import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Period } from '../time/period';
import { VERSION } from '../version';
import type { InvoiceOutcome } from './compute-invoices';
import type { LoadedBalances, LoadedPrices } from './load-inputs';

/** The options of `invoice` that the audit records, as given on the command line. */
export interface AuditedOptions {
  issueDate?: string;
  rejects?: string;
  balancesOut?: string;
  rated?: string;
  import?: string;
  delimiter?: string;
  dateFormat?: string;
}

/**
 * The audit trail of a run (issue #6): what `invoices.json` under --out records so the run
 * can be checked and reproduced a year later with `callbill verify`. Only the options
 * that change the invoices are recorded as options (the price list, the period, the issue
 * date, the opening balances, whether bad rows were set aside, the import profile, and
 * the inputs in order); --format, --detail, --out, --rated, --quiet and colour change
 * nothing in them.
 */
/**
 * What a ledger run (`issue`, or the preview `invoice --ledger`) took from the ledger, so
 * that `verify` can replay it (docs/ledger.md): the opening balances and carried
 * adjustments, the numbers assigned, the counts of records it skipped, and the last run
 * of the ledger it read (`after_run`): the records it skipped are those billed, and the
 * months those issued, by the runs up to that one.
 */
export interface LedgerAudit {
  path: string;
  after_run: number;
  /** The run `issue` stored (null for the preview, which stores nothing). */
  run: number | null;
  opening_balances: Record<string, string>;
  adjustments: Record<string, string>;
  numbers: string[];
  records_already_billed: number;
  records_late: number;
  extras_late: number;
}

export interface Audit {
  callbill_version: string;
  /** The command that wrote the folder: `invoice`, or `issue` (whose figures depend on the ledger: `ledger`). */
  command: 'invoice' | 'issue';
  ledger?: LedgerAudit;
  /** The command line as given, for people; `options` is what verify replays. */
  argv: string[];
  options: {
    prices: string;
    period: string | null;
    issue_date: string;
    /** false when the issue date was today's (the recorded date is then the one used). */
    issue_date_given: boolean;
    balances_in: string | null;
    /** --rejects given: bad rows were set aside and the good ones billed. */
    set_aside_rejects: boolean;
    /** --import: a built-in profile's name or a profile file (null: usage CSV as SPEC §2). */
    import: string | null;
    /** --delimiter (`,` `;` `tab`) and --date-format: only when given (older audits and runs without them lack them). */
    delimiter?: string;
    date_format?: string;
  };
  /** The profile file's SHA-256 (a built-in profile is fixed by callbill_version). */
  import_profile: { path: string; sha256: string } | null;
  price_list: { path: string; sha256: string };
  inputs: Array<{ path: string; sha256: string; records: number }>;
  /** SPEC §8 --extras files in order (verify replays them); absent in audits written before them. */
  extras: Array<{ path: string; sha256: string; rows: number }>;
  balances_in: { path: string; sha256: string; customers: number } | null;
  /** SHA-256 of the other files this run wrote (invoices.json cannot hold its own). */
  outputs: {
    'invoices.csv': string;
    'invoice-lines.csv': string;
    rejects: { path: string; sha256: string } | null;
    balances_out: { path: string; sha256: string } | null;
    /** The --rated file, streamed as the records were rated: named, not hashed. */
    rated: string | null;
  };
  /** Where local times came from: a year later the time-zone rules may have changed. */
  runtime: { node: string; tz_data: string | null; cwd: string };
}

export function sha256(text: string | Iterable<string>): string {
  return digestOf(typeof text === 'string' ? [text] : text).sha256;
}

/** The SHA-256 and the length in bytes of a text given in pieces. */
function digestOf(chunks: Iterable<string>): { sha256: string; bytes: number } {
  const d = new Digest();
  for (const c of chunks) d.write(c);
  return d.result();
}

/** The same, told the text a piece at a time as it is made (`write` may be handed to a writer as it is). */
export class Digest {
  private readonly h = createHash('sha256');
  private bytes = 0;
  private pending: string[] = [];
  private chars = 0;

  readonly write = (text: string): void => {
    this.pending.push(text);
    this.chars += text.length;
    if (this.chars >= 1 << 16) this.flush();
  };

  private flush(): void {
    const b = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.chars = 0;
    this.bytes += b.length;
    this.h.update(b);
  }

  result(): { sha256: string; bytes: number } {
    this.flush();
    return { sha256: this.h.digest('hex'), bytes: this.bytes };
  }
}

/** The hash of an import profile given as a file (it was read just before, so it is there). */
function profileFile(nameOrPath: string | undefined): Audit['import_profile'] {
  if (nameOrPath === undefined || !(/[\\/]/.test(nameOrPath) || /\.ya?ml$/i.test(nameOrPath))) return null;
  try {
    return { path: nameOrPath, sha256: createHash('sha256').update(readFileSync(nameOrPath)).digest('hex') };
  } catch {
    return null;
  }
}

export function buildAudit(a: {
  argv: readonly string[];
  options: AuditedOptions;
  loaded: LoadedPrices;
  period: Period | null;
  issueDate: string;
  balances: LoadedBalances;
  inputs: ReadonlyArray<{ path: string; sha256: string; records: number }>;
  /** SPEC §8: the --extras files as read. */
  extras: ReadonlyArray<{ path: string; sha256: string; rows: number }>;
  /** The SHA-256 of each file written beside invoices.json (null: not written). */
  outputs: { invoicesCsv: string; linesCsv: string; rejects: string | null; balances: string | null };
  command?: 'invoice' | 'issue';
  ledger?: LedgerAudit;
}): Audit {
  const o = a.options;
  return {
    callbill_version: VERSION,
    command: a.command ?? 'invoice',
    ...(a.ledger ? { ledger: a.ledger } : {}),
    argv: [...a.argv],
    options: {
      prices: a.loaded.path,
      period: a.period?.label ?? null,
      issue_date: a.issueDate,
      issue_date_given: o.issueDate !== undefined,
      balances_in: a.balances.path,
      set_aside_rejects: o.rejects !== undefined,
      import: o.import ?? null,
      ...(o.delimiter !== undefined ? { delimiter: o.delimiter } : {}),
      ...(o.dateFormat !== undefined ? { date_format: o.dateFormat } : {}),
    },
    import_profile: profileFile(o.import),
    price_list: { path: a.loaded.path, sha256: a.loaded.sha256 },
    inputs: a.inputs.map((i) => ({ path: i.path, sha256: i.sha256, records: i.records })),
    extras: a.extras.map((x) => ({ path: x.path, sha256: x.sha256, rows: x.rows })),
    balances_in: a.balances.path === null ? null : { path: a.balances.path, sha256: a.balances.sha256!, customers: a.balances.balances.size },
    outputs: {
      'invoices.csv': a.outputs.invoicesCsv,
      'invoice-lines.csv': a.outputs.linesCsv,
      rejects: o.rejects === undefined || a.outputs.rejects === null ? null : { path: o.rejects, sha256: a.outputs.rejects },
      balances_out: o.balancesOut === undefined || a.outputs.balances === null ? null : { path: o.balancesOut, sha256: a.outputs.balances },
      rated: o.rated ?? null,
    },
    runtime: { node: process.version, tz_data: process.versions.tz ?? null, cwd: process.cwd() },
  };
}
