import type { ServiceReport } from '../../statistics/service-report';
import { batched } from '../chunks';
import { csvLine, numberCell, textCell } from '../csv-cell';
import { FIGURE_KEYS, figuresText } from './figures-text';
import type { FiguresText } from './figures-text';

const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

const REPORT_DAY_HEADER = ['customer_id', 'customer_name', 'date', 'weekday', 'channel', ...FIGURE_KEYS] as const;
const REPORT_HOUR_HEADER = ['customer_id', 'customer_name', 'hour', 'channel', ...FIGURE_KEYS] as const;

function figureCells(f: FiguresText): string[] {
  // a figure with no contact to stand on is an empty cell (null in JSON)
  return FIGURE_KEYS.map((k) => numberCell(f[k] === null ? '' : String(f[k])));
}

/**
 * `report --format csv`: one tidy row per (customer, channel, day), or with `--by hour`
 * per (customer, channel, hour of the day), the form a pivot table wants. Names are
 * formula-safe cells (SPEC §5); figures stay numbers.
 */
export function* reportCsvChunks(r: ServiceReport, by: 'day' | 'hour'): Generator<string> {
  yield* batched(rows(r, by));
}

function* rows(r: ServiceReport, by: 'day' | 'hour'): Generator<string> {
  yield csvLine(by === 'day' ? [...REPORT_DAY_HEADER] : [...REPORT_HOUR_HEADER]);
  for (const c of r.customers) {
    const who = [textCell(c.customerId), textCell(c.customerName)];
    if (by === 'day') {
      for (const d of c.days) yield csvLine([...who, d.date, WEEKDAYS[d.weekday]!, d.channel, ...figureCells(figuresText(d.figures))]);
    } else {
      for (const h of c.hours) yield csvLine([...who, String(h.hour), h.channel, ...figureCells(figuresText(h.figures))]);
    }
  }
}
