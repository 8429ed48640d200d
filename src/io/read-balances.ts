import type { Diagnostic } from '../errors';
import { ConfigError, quoteValue } from '../errors';
import { parseDecimalText } from '../money/decimal';
import type { Dec } from '../money/decimal';
import { isWholeMinor } from '../money/round';
import type { PriceList } from '../pricing/types';
import { unprefixCell } from '../render/csv-cell';
import { idProblem } from '../usage/id-text';
import { RecordReader } from './record-reader';
import { DecimalMark } from '../usage/decimal-mark';

/**
 * `--balances-in` (SPEC §4.4): CSV `customer_id,diversion_balance`. Every problem is
 * reported with file:line:column, all at once (exit 78). Pure: the caller reads the text.
 */
export function parseBalances(text: string, file: string, prices: PriceList): Map<string, Dec> {
  const diags: Diagnostic[] = [];
  const out = new Map<string, Dec>();
  const firstLine = new Map<string, number>();
  // the usage files' reader (one CSV reader): the delimiter from the header line, lines as in the file
  const records: Array<{ record: string[]; info: { lines: number } }> = [];
  const reader = new RecordReader((line, record) => records.push({ record, info: { lines: line } }), undefined, false, null);
  reader.write(Buffer.from(text, 'utf8'));
  reader.end();
  if (reader.problem) throw new ConfigError([{ file, line: reader.problem.line, column: 0, message: `not a readable CSV file: ${reader.problem.message}` }]);
  const delimiter = reader.delimiter ?? ',';
  const num = new DecimalMark(delimiter);
  const head = records[0]?.record.map((h) => h.trim().toLowerCase());
  if (!head) throw new ConfigError([{ file, line: 1, column: 0, message: 'empty file: expected the header customer_id,diversion_balance' }]);
  const ci = head.indexOf('customer_id');
  const bi = head.indexOf('diversion_balance');
  if (ci < 0 || bi < 0 || head.length !== 2) {
    throw new ConfigError([{ file, line: records[0]!.info.lines, column: 1, message: `expected the header customer_id,diversion_balance, found ${quoteValue(records[0]!.record.join(delimiter))}` }]);
  }
  const { minor, code } = prices.currency;
  for (const { record, info } of records.slice(1)) {
    const line = info.lines;
    if (record.length !== 2) {
      diags.push({ file, line, column: 1, message: `expected 2 fields, found ${record.length}` });
      continue;
    }
    // --balances-out writes ids spreadsheet-safe ('=X for =X): read them back as they were
    const id = unprefixCell((record[ci] ?? '').trim());
    const written = (record[bi] ?? '').trim();
    if (id === '') {
      diags.push({ file, line, column: ci + 1, message: 'customer_id must not be empty' });
      continue;
    }
    // like a usage row (SPEC §2 decision): an id with a control or invisible character is a damaged file
    const problem = idProblem(unprefixCell(record[ci] ?? ''));
    if (problem !== null) {
      diags.push({ file, line, column: ci + 1, message: `customer_id: ${problem}` });
      continue;
    }
    if (firstLine.has(id)) {
      diags.push({ file, line, column: ci + 1, message: `customer ${quoteValue(id)} appears twice (first at line ${firstLine.get(id)})` });
      continue;
    }
    firstLine.set(id, line);
    if (!prices.customers.has(id) && prices.unlistedCustomers === 'reject') {
      diags.push({ file, line, column: ci + 1, message: prices.defaultPlan === null ? `unknown customer ${quoteValue(id)}, and the price list has no default_plan` : `customer ${quoteValue(id)} is not listed under customers, and the price list says unlisted_customers: reject` });
    }
    // with ; or tab, a decimal comma (decimal-mark.ts)
    const raw = num.text(written);
    if (raw === null) {
      diags.push({ file, line, column: bi + 1, message: `diversion_balance: ${num.problem} (found ${quoteValue(written)})` });
      continue;
    }
    const d = parseDecimalText(raw);
    if (!d.ok) {
      diags.push({ file, line, column: bi + 1, message: `diversion_balance: ${d.reason}` });
      continue;
    }
    if (d.value.isNegative() && !d.value.isZero()) {
      diags.push({ file, line, column: bi + 1, message: `diversion_balance: a prepaid balance cannot be negative (found ${quoteValue(written)})` });
      continue;
    }
    if (!isWholeMinor(d.value, minor)) {
      diags.push({ file, line, column: bi + 1, message: `diversion_balance: ${quoteValue(written)} is not a whole number of ${code} minor units (${minor} decimals)` });
      continue;
    }
    out.set(id, d.value.abs());
  }
  if (diags.length) throw new ConfigError(diags);
  return out;
}
