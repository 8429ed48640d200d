import { UsageError } from '../errors';
import { runExplainExtras } from '../pipeline/explain-extras-run';
import { renderExtrasExplanationJson, renderExtrasExplanationTable } from '../render/explain-extras';
import { runExplain } from '../pipeline/explain-run';
import { renderExplanationJson, renderExplanationTable } from '../render/explain';
import { shownValue } from '../render/terminal-safe';
import { colorWanted, painter } from './colors';
import type { CommandIO } from './io';

export interface ExplainOptions {
  prices: string;
  period?: string;
  record?: string;
  extras?: string[];
  row?: string;
  format: string;
  balancesIn?: string;
  color: boolean;
  quiet?: boolean;
  import?: string;
  /** --delimiter, --date-format (docs/reference.md §2). */
  delimiter?: string;
  dateFormat?: string;
}

/** `callbill explain`: how one record was rated, step by step. */
export async function explainCommand(files: string[], o: ExplainOptions, io: CommandIO): Promise<{ output: string; exitCode: number }> {
  const format = o.format;
  if (format !== 'table' && format !== 'json') throw new UsageError(`--format: expected table or json, found ${shownValue(format)}`);
  if (o.extras !== undefined || o.row !== undefined) {
    // SPEC §8: one row of an extras file, priced as `invoice` prices it
    if (o.extras === undefined || o.row === undefined) throw new UsageError('--extras and --row go together (explain a row of an extras file)');
    if (o.record !== undefined) throw new UsageError('--record explains a usage record; --extras with --row a row of an extras file: give one or the other');
    const e = await runExplainExtras({ prices: o.prices, period: o.period, extras: o.extras, row: o.row, delimiter: o.delimiter, dateFormat: o.dateFormat });
    const output = format === 'json' ? renderExtrasExplanationJson(e) : renderExtrasExplanationTable(e, await painter(colorWanted(o.color, io.stdout, io.env)));
    return { output, exitCode: e.status === 'rejected' ? 65 : 0 };
  }
  if (o.record === undefined) throw new UsageError("required option '--record <id>' not specified (or --extras FILE --row N)");
  if (files.length === 0) throw new UsageError("missing required argument 'usage'");
  const wanted = o.record.trim();
  if (wanted === '') throw new UsageError('--record: expected a record_id, found nothing');
  const { explanation, otherRejected } = await runExplain({ ...o, files, record: wanted, notice: (s) => !o.quiet && io.stderr.write(s), now: io.now() });
  if (otherRejected > 0 && !o.quiet) {
    io.stderr.write(`callbill: note: ${otherRejected} other row${otherRejected === 1 ? ' is' : 's are'} rejected (\`callbill check\` lists them); they are on no invoice and not in these figures\n`);
  }
  const output = format === 'json' ? renderExplanationJson(explanation) : renderExplanationTable(explanation, await painter(colorWanted(o.color, io.stdout, io.env)));
  // a rejected row is bad data, as `invoice` says with 65; the explanation still goes to stdout
  return { output, exitCode: explanation.status === 'rejected' ? 65 : 0 };
}
