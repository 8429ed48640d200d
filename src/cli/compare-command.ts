import { UsageError } from '../errors';
import { runCompare } from '../pipeline/compare-run';
import { renderCompareCsv, renderCompareJson, renderCompareTable } from '../render/compare';
import { shownValue } from '../render/terminal-safe';
import { colorWanted, painter } from './colors';
import type { CommandIO } from './io';

export interface CompareOptions {
  prices: string;
  against: string;
  period?: string;
  format: string;
  balancesIn?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
  /** --delimiter, --date-format (docs/reference.md §2). */
  delimiter?: string;
  dateFormat?: string;
}

/** `callbill compare`: the same usage invoiced under price list A (--prices) and B (--against). */
export async function compareCommand(files: string[], o: CompareOptions, io: CommandIO): Promise<string> {
  const format = o.format;
  if (format !== 'table' && format !== 'csv' && format !== 'json') throw new UsageError(`--format: expected table, csv or json, found ${shownValue(format)}`);
  const run = await runCompare({ ...o, files, now: io.now(), notice: (s) => !o.quiet && io.stderr.write(s) });
  switch (format) {
    case 'json':
      return renderCompareJson(run);
    case 'csv':
      return renderCompareCsv(run);
    case 'table':
      return renderCompareTable(run, await painter(colorWanted(o.color, io.stdout, io.env)));
  }
}
