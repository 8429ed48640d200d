import type { Plan } from '../pricing/types';
import { inactiveMessage, isActiveOn } from '../pricing/activity';
import type { ExtrasColumn, ExtrasColumnMap, ExtrasRow } from '../usage/extras-record';
import { mapExtrasHeader, parseExtrasRow } from '../usage/extras-record';
import type { RowProblem } from '../usage/usage-record';
import { isProblem, POINT_NUMBERS } from '../usage/usage-record';
import { DecimalMark } from '../usage/decimal-mark';
import type { Delimiter } from '../io/delimiter';
import type { RatingContext } from './rate-record';
import type { Period } from '../time/period';
import type { RejectedRow } from './usage-fold';
import { detach } from './usage-fold';

/** One customer's requests for services, summed per (plan version, service) in exact thousandths. */
export interface ExtrasAcc {
  customerId: string;
  plan: Plan;
  /** version index → service code → quantity (thousandths). */
  versions: Map<number, Map<string, bigint>>;
  /** Rows billed (the notice about customers not listed counts them). */
  rows: number;
}

export interface ExtrasState {
  customers: Map<string, ExtrasAcc>;
  /** Instants of the earliest and latest billed rows (NaN when none): the span without --period. */
  firstMs: number;
  lastMs: number;
}

export interface ExtrasCounts {
  read: number;
  billed: number;
  rejected: number;
  outside: number;
  /** With a ledger: rows of a month already issued for their customer (SPEC §7). */
  late: number;
}

/** What was made of one extras row (explain shows it). */
export type ExtrasOutcome =
  | { kind: 'billed'; row: ExtrasRow; plan: Plan; versionIndex: number }
  | { kind: 'outside'; row: ExtrasRow }
  | { kind: 'late'; row: ExtrasRow }
  | { kind: 'rejected'; problem: RowProblem };

export interface ExtrasFoldOptions {
  period: Period | null;
  keepRejects: number;
  /** The ledger's rule (SPEC §7): a row of a month already issued for its customer is late, counted and not billed. */
  late?: (customerId: string, ms: number) => boolean;
  onRow?: (input: number, line: number, outcome: ExtrasOutcome) => void;
}

function emptyExtrasState(): ExtrasState {
  return { customers: new Map(), firstMs: NaN, lastMs: NaN };
}

/**
 * The fold over extras rows (SPEC §8): check each row, drop the ones outside the
 * period (counted), price-check the rest against the version in effect on their date
 * and add their quantities to the state. Pure: the shell feeds it rows with the usage
 * files' reader. Rows do not depend on each other, so their order changes nothing.
 */
export class ExtrasFold {
  readonly state: ExtrasState = emptyExtrasState();
  readonly counts: ExtrasCounts = { read: 0, billed: 0, rejected: 0, outside: 0, late: 0 };
  readonly rejects: RejectedRow[] = [];
  readonly headers: string[][] = [];
  readonly rowsPerInput: number[] = [];
  private columns: ExtrasColumnMap | null = null;
  private width = 0;
  private fields: string[] = [];
  private readonly get = (c: ExtrasColumn): string => {
    const i = this.columns![c];
    return i >= 0 ? (this.fields[i] ?? '') : '';
  };

  constructor(private readonly ctx: RatingContext, private readonly opts: ExtrasFoldOptions) {}

  /** The file's numbers: its decimal mark (decimal-mark.ts). */
  private num: DecimalMark = POINT_NUMBERS;

  header(input: number, header: string[], delimiter: Delimiter = ','): Array<{ column: number; message: string }> {
    this.num = delimiter === ',' ? POINT_NUMBERS : new DecimalMark(delimiter);
    this.headers[input] = header;
    this.rowsPerInput[input] ??= 0;
    const h = mapExtrasHeader(header);
    if (!h.ok) {
      this.columns = null;
      return h.problems;
    }
    this.columns = h.columns;
    this.width = header.length;
    return [];
  }

  row(input: number, line: number, fields: string[]): void {
    this.counts.read++;
    this.rowsPerInput[input] = (this.rowsPerInput[input] ?? 0) + 1;
    if (fields.length !== this.width) {
      this.reject(input, line, fields, { column: '(row)', message: `expected ${this.width} fields like the header, found ${fields.length}`, value: '' });
      return;
    }
    this.fields = fields;
    const r = parseExtrasRow(this.get, this.ctx.zone, input, line, this.num, this.ctx.dates);
    if (isProblem(r)) {
      this.reject(input, line, fields, r);
      return;
    }
    if (this.opts.late?.(r.customerId, r.ms)) {
      this.counts.late++;
      this.opts.onRow?.(input, line, { kind: 'late', row: r });
      return;
    }
    const p = this.opts.period;
    if (p && (r.ms < p.startMs || r.ms >= p.endMs)) {
      this.counts.outside++;
      this.opts.onRow?.(input, line, { kind: 'outside', row: r });
      return;
    }
    const plan = this.ctx.plan(r.customerId);
    if (!plan) {
      this.reject(input, line, fields, { column: 'customer_id', message: this.ctx.unknownCustomer(r.customerId), value: r.customerId });
      return;
    }
    const customer = this.ctx.prices.customers.get(r.customerId);
    if (!isActiveOn(customer, r.localDate)) {
      this.reject(input, line, fields, { column: 'date', message: inactiveMessage(r.customerId, r.localDate, customer?.activeFrom ?? null, customer?.activeUntil ?? null), value: r.dateText });
      return;
    }
    const version = this.ctx.versionAt(plan, r.ms);
    if (!version) {
      this.reject(input, line, fields, { column: 'date', message: `earlier than the first version of plan ${plan.name} (effective from ${plan.versions[0]!.effectiveFrom})`, value: r.dateText });
      return;
    }
    if (!version.services.has(r.service)) {
      const known = [...version.services.keys()];
      this.reject(input, line, fields, {
        column: 'service',
        message: `plan ${plan.name} (from ${version.effectiveFrom}) has no service ${JSON.stringify(r.service)}${known.length ? ` (it has: ${known.join(', ')})` : ' (it has no services)'}`,
        value: r.service,
      });
      return;
    }
    let acc = this.state.customers.get(r.customerId);
    if (!acc) {
      acc = { customerId: r.customerId, plan, versions: new Map(), rows: 0 };
      this.state.customers.set(r.customerId, acc);
    }
    let byService = acc.versions.get(version.index);
    if (!byService) {
      byService = new Map();
      acc.versions.set(version.index, byService);
    }
    byService.set(r.service, (byService.get(r.service) ?? 0n) + r.thousandths);
    acc.rows++;
    if (!(r.ms >= this.state.firstMs)) this.state.firstMs = r.ms;
    if (!(r.ms <= this.state.lastMs)) this.state.lastMs = r.ms;
    this.counts.billed++;
    this.opts.onRow?.(input, line, { kind: 'billed', row: r, plan, versionIndex: version.index });
  }

  private reject(input: number, line: number, fields: string[], p: RowProblem): void {
    this.counts.rejected++;
    this.opts.onRow?.(input, line, { kind: 'rejected', problem: p });
    if (this.rejects.length < this.opts.keepRejects) this.rejects.push({ input, line, column: p.column, message: p.message, value: detach(p.value), fields: fields.map(detach) });
  }
}
