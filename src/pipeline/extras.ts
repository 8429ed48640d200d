import type { Readable } from 'node:stream';
import { DataError, InputError } from '../errors';
import { readUsageInput } from '../io/read-usage';
import type { RatingContext } from '../rating/rate-record';
import type { Period } from '../time/period';
import { ExtrasFold } from '../rating/extras-fold';
import type { ExtrasFoldOptions } from '../rating/extras-fold';

export interface ExtrasResult {
  fold: ExtrasFold;
  inputs: Array<{ path: string; sha256: string; rows: number }>;
}

/**
 * SPEC §8 `--extras`: reads each extras file with the usage files' reader (header by
 * name, BOM, CRLF, quoted fields across lines, UTF-8 checks, located problems: the same
 * code, not a second CSV reader) into one ExtrasFold. `-` is standard input.
 */
export async function foldExtras(
  paths: readonly string[],
  ctx: RatingContext,
  opts: { period: Period | null; keepAllRejects: boolean; names?: readonly string[]; onRow?: ExtrasFoldOptions['onRow']; open?: (p: string) => Readable; late?: ExtrasFoldOptions['late'] },
): Promise<ExtrasResult> {
  const fold = new ExtrasFold(ctx, { period: opts.period, keepRejects: opts.keepAllRejects ? Infinity : 50, onRow: opts.onRow, late: opts.late });
  const inputs: ExtrasResult['inputs'] = [];
  for (let i = 0; i < paths.length; i++) {
    const path = paths[i]!;
    const name = opts.names?.[i] ?? path;
    try {
      const r = await readUsageInput(
        path,
        i,
        { header: (input, fields, _line, delimiter) => fold.header(input, fields, delimiter), row: (input, line, fields) => fold.row(input, line, fields) },
        { name, open: opts.open, delimiter: ctx.reading.delimiter },
      );
      inputs.push({ path: name, sha256: r.sha256, rows: fold.rowsPerInput[i] ?? 0 });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code) throw new InputError(`${name}: cannot read extras file (${code})`);
      if (e instanceof DataError) throw e;
      throw e;
    }
  }
  return { fold, inputs };
}
