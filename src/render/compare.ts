import type { CodeDifference, Comparison, CustomerDifference } from '../compare/compare-invoices';
import type { Dec } from '../money/decimal';
import { formatMoney } from '../money/round';
import { csvLine, numberCell, textCell } from './csv-cell';
import type { Painter } from './table';
import { terminalSafe } from './terminal-safe';

/** One side of a comparison: which price list, which period, what was read. */
export interface CompareSide {
  path: string;
  sha256: string;
  period: { start: string; end: string } | null;
  recordsRead: number;
  recordsBilled: number;
  recordsRejected: number;
  recordsOutsidePeriod: number;
}

export interface CompareRun {
  comparison: Comparison;
  a: CompareSide;
  b: CompareSide;
}

const pct = (d: Dec | null): string | null => (d === null ? null : d.toFixed(2));

function sideJson(s: CompareSide): Record<string, unknown> {
  return {
    path: s.path,
    sha256: s.sha256,
    period: s.period,
    records_read: s.recordsRead,
    records_billed: s.recordsBilled,
    records_rejected: s.recordsRejected,
    records_outside_period: s.recordsOutsidePeriod,
  };
}

/** `compare --format json`: amounts as exact strings with the currency's minor digits, like invoices. */
export function renderCompareJson(run: CompareRun): string {
  const c = run.comparison;
  const m = (d: Dec) => formatMoney(d, c.minor);
  const lines = (ls: CodeDifference[]) => ls.map((l) => ({ code: l.code, a: m(l.a), b: m(l.b), difference: m(l.difference), difference_percent: pct(l.percent) }));
  const doc = {
    currency: c.currency,
    a: sideJson(run.a),
    b: sideJson(run.b),
    customers: c.customers.map((x) => ({
      customer_id: x.customerId,
      customer_name: x.customerName,
      total_a: m(x.totalA),
      total_b: m(x.totalB),
      difference: m(x.difference),
      difference_percent: pct(x.percent),
      tax_rule_a: x.taxRuleA,
      tax_rule_b: x.taxRuleB,
      lines: lines(x.lines),
    })),
    totals: {
      total_a: m(c.totals.totalA),
      total_b: m(c.totals.totalB),
      difference: m(c.totals.difference),
      difference_percent: pct(c.totals.percent),
      lines: lines(c.totals.lines),
    },
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

const COMPARE_HEADER = ['customer_id', 'customer_name', 'code', 'amount_a', 'amount_b', 'difference', 'difference_percent'];

/**
 * `compare --format csv`: one row per customer and line code (and `tax`), then the
 * customer's `total` row; the totals of all customers come last with an empty
 * customer_id (a usage row never has one). Filter `code = total` for one row per customer.
 */
export function renderCompareCsv(run: CompareRun): string {
  const c = run.comparison;
  const m = (d: Dec) => numberCell(formatMoney(d, c.minor));
  let out = csvLine(COMPARE_HEADER.map(textCell));
  const block = (id: string, name: string, x: Pick<CustomerDifference, 'totalA' | 'totalB' | 'difference' | 'percent' | 'lines'>): void => {
    for (const l of x.lines) out += csvLine([textCell(id), textCell(name), textCell(l.code), m(l.a), m(l.b), m(l.difference), numberCell(pct(l.percent) ?? '')]);
    out += csvLine([textCell(id), textCell(name), textCell('total'), m(x.totalA), m(x.totalB), m(x.difference), numberCell(pct(x.percent) ?? '')]);
  };
  for (const x of c.customers) block(x.customerId, x.customerName, x);
  block('', 'all customers', c.totals);
  return out;
}

function pad(s: string, n: number, right = false): string {
  const len = [...s].length;
  if (len >= n) return s;
  return right ? ' '.repeat(n - len) + s : s + ' '.repeat(n - len);
}

/** `compare --format table`: per customer its totals, then the difference per line code. */
export function renderCompareTable(run: CompareRun, p: Painter): string {
  const c = run.comparison;
  const m = (d: Dec) => formatMoney(d, c.minor);
  const signed = (d: Dec) => (d.isPositive() && !d.isZero() ? `+${m(d)}` : m(d));
  const percent = (d: Dec | null) => (d === null ? 'n/a' : `${d.isPositive() && !d.isZero() ? '+' : ''}${d.toFixed(2)}%`);
  const period = (s: CompareSide) => (s.period ? `${s.period.start} to ${s.period.end}` : 'no records');
  const samePeriod = period(run.a) === period(run.b);
  const out: string[] = [];
  out.push(p.heading(`Price lists compared, ${c.currency}${samePeriod ? `, period ${period(run.a)}` : ''}`));
  out.push(`  A  ${terminalSafe(run.a.path)}${samePeriod ? '' : `, period ${period(run.a)}`}`);
  out.push(`  B  ${terminalSafe(run.b.path)}${samePeriod ? '' : `, period ${period(run.b)}`}`);
  out.push('');

  const rows: Array<{ kind: 'head' | 'code'; cells: string[]; diff: Dec }> = [];
  const ruleChanges = new Map<number, string>();
  const add = (label: string, x: Pick<CustomerDifference, 'totalA' | 'totalB' | 'difference' | 'percent' | 'lines'>) => {
    rows.push({ kind: 'head', cells: [label, m(x.totalA), m(x.totalB), signed(x.difference), percent(x.percent)], diff: x.difference });
    for (const l of x.lines) rows.push({ kind: 'code', cells: [`  ${l.code}`, m(l.a), m(l.b), signed(l.difference), percent(l.percent)], diff: l.difference });
  };
  for (const x of c.customers) {
    add(terminalSafe(`${x.customerId} ${x.customerName !== x.customerId ? `(${x.customerName})` : ''}`.trim()), x);
    // SPEC §11: a change of tax rule is a difference even when the amounts are equal
    if (x.taxRuleA !== null && x.taxRuleB !== null && x.taxRuleA !== x.taxRuleB) {
      ruleChanges.set(rows.length - 1, terminalSafe(`  tax rule changes: A ${x.taxRuleA}; B ${x.taxRuleB}`));
    }
  }
  add('All customers', c.totals);
  const header = ['customer / line code', 'A', 'B', 'B − A', '%'];
  const w = header.map((h) => [...h].length);
  for (const r of rows) r.cells.forEach((cell, i) => (w[i] = Math.max(w[i]!, [...cell].length)));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, w[i]!, i > 0)).join('  ');
  out.push(p.label(line(header)));
  rows.forEach((r, i) => {
    if (r.kind === 'head' && i > 0) out.push('');
    const text = line(r.cells);
    const painted = r.diff.isZero() ? text : r.diff.isNegative() ? p.good(text) : p.bad(text);
    out.push(r.kind === 'head' ? p.heading(painted) : r.diff.isZero() ? p.dim(text) : painted);
    const rule = ruleChanges.get(i);
    if (rule !== undefined) out.push(p.bad(rule));
  });
  out.push('');
  out.push(p.dim('Totals include tax; B − A is positive where B bills more. Line amounts are the sums of each code\'s invoice lines.'));
  const counts = (s: CompareSide) => `${s.recordsRead} read, ${s.recordsBilled} billed, ${s.recordsRejected} rejected, ${s.recordsOutsidePeriod} outside the period`;
  // the lists may read local times and --period in different timezones: then the counts can differ
  if (counts(run.a) === counts(run.b)) out.push(p.dim(`Records: ${counts(run.a)}`));
  else out.push(p.dim(`Records under A: ${counts(run.a)}; under B: ${counts(run.b)}`));
  return out.join('\n') + '\n';
}
