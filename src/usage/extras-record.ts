import type { Zone } from '../time/zone';
import { dayOfIsoDate, DAY_MS, isoDateOfDay } from '../time/zone';
import { parseTimestamp } from './timestamp';
import type { RowProblem } from './usage-record';
import { POINT_NUMBERS } from './usage-record';
import type { DecimalMark } from './decimal-mark';
import type { DateFormat } from './date-format';
import { looksLikeYaml } from './usage-record';

/** SPEC §8 `--extras`: one request for a service on request, as read and checked. */
export interface ExtrasRow {
  customerId: string;
  /** `date` as written. */
  dateText: string;
  /** The instant the row is priced at: the local midnight of a date, or the timestamp. */
  ms: number;
  /** The local date of that instant, YYYY-MM-DD. */
  localDate: string;
  service: string;
  /** Quantity in exact thousandths (1 → 1000n; 1.5 → 1500n). */
  thousandths: bigint;
  reference: string;
  input: number;
  line: number;
}

export const EXTRAS_COLUMNS = ['customer_id', 'date', 'service', 'quantity', 'reference'] as const;
export type ExtrasColumn = (typeof EXTRAS_COLUMNS)[number];
const EXTRAS_REQUIRED: readonly ExtrasColumn[] = ['customer_id', 'date', 'service'];
export type ExtrasColumnMap = Record<ExtrasColumn, number>;

/** The extras columns by name, case-insensitively, blanks trimmed, like the usage header (SPEC §2). */
export function mapExtrasHeader(header: readonly string[]): { ok: true; columns: ExtrasColumnMap } | { ok: false; problems: Array<{ column: number; message: string }> } {
  const columns = Object.fromEntries(EXTRAS_COLUMNS.map((c) => [c, -1])) as ExtrasColumnMap;
  const problems: Array<{ column: number; message: string }> = [];
  header.forEach((raw, i) => {
    const name = raw.trim().toLowerCase();
    if (!(EXTRAS_COLUMNS as readonly string[]).includes(name)) return;
    const key = name as ExtrasColumn;
    if (columns[key] >= 0) {
      problems.push({ column: i + 1, message: `column ${key} appears twice in the header (columns ${columns[key] + 1} and ${i + 1})` });
      return;
    }
    columns[key] = i;
  });
  if (EXTRAS_REQUIRED.every((r) => columns[r] < 0) && looksLikeYaml(header.join(','))) {
    return { ok: false, problems: [{ column: 0, message: 'this looks like a YAML file (a price list?), not an extras CSV: give the price list with -p FILE, and the extras file with --extras FILE' }] };
  }
  for (const r of EXTRAS_REQUIRED) {
    if (columns[r] < 0) problems.push({ column: 0, message: `missing required column ${r} of an extras file (the header has: ${header.map((h) => h.trim()).join(', ')})` });
  }
  return problems.length ? { ok: false, problems } : { ok: true, columns };
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const QUANTITY_RE = /^([0-9]{1,9})(?:\.([0-9]{1,3}))?$/;

/** SPEC §8: `quantity` optional (= 1), greater than 0, at most 3 decimals. Thousandths, or a problem. */
function parseQuantity(text: string): bigint | string {
  const t = text.trim();
  if (t === '') return 1000n;
  const m = QUANTITY_RE.exec(t);
  if (!m) return 'expected a number greater than 0 with at most 3 decimals, or nothing (= 1)';
  const v = BigInt(m[1]!) * 1000n + BigInt((m[2] ?? '').padEnd(3, '0') || '0');
  if (v === 0n) return 'must be greater than 0';
  return v;
}

/** Checks one extras row (SPEC §8) and builds it. `get(col)` returns a cell ('' when the file has no such column). */
export function parseExtrasRow(
  get: (c: ExtrasColumn) => string,
  zone: Zone,
  input: number,
  line: number,
  num: DecimalMark = POINT_NUMBERS,
  dates: DateFormat | null = null,
): ExtrasRow | RowProblem {
  const customerId = get('customer_id').trim();
  if (customerId === '') return { column: 'customer_id', message: 'must not be empty', value: '' };
  if (CONTROL.test(customerId)) return { column: 'customer_id', message: 'contains a control character (a damaged export?)', value: customerId };
  const dateText = get('date').trim();
  let ms: number;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(dateText) ? dayOfIsoDate(dateText) : undefined;
  if (day !== undefined) {
    ms = zone.fromLocal(day * DAY_MS);
  } else {
    const t = dates !== null ? dates.instant(dateText, zone) : dateText.length === 10 ? 'expected a local date YYYY-MM-DD or an ISO 8601 date and time' : parseTimestamp(dateText, zone);
    if (typeof t === 'string') return { column: 'date', message: dateText === '' ? 'must not be empty' : `${t} (or a local date YYYY-MM-DD)`, value: dateText };
    ms = t;
  }
  const service = get('service').trim();
  if (service === '') return { column: 'service', message: 'must not be empty', value: '' };
  const qText = num.text(get('quantity').trim());
  if (qText === null) return { column: 'quantity', message: num.problem, value: get('quantity') };
  const q = parseQuantity(qText);
  if (typeof q === 'string') return { column: 'quantity', message: q, value: get('quantity') };
  const localDate = isoDateOfDay(Math.floor(zone.toLocal(ms) / DAY_MS));
  return { customerId, dateText, ms, localDate, service, thousandths: q, reference: get('reference'), input, line };
}
