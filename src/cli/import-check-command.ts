import { UsageError } from '../errors';
import { runImportCheck } from '../pipeline/import-check-run';
import type { CommandIO } from './io';

export interface ImportCheckOptions {
  import?: string;
  rows: string;
}

/** `callbill import-check --import NAME [file]`: the first rows of each export as callbill reads them. */
export async function importCheckCommand(files: string[], o: ImportCheckOptions, _io: CommandIO): Promise<string> {
  if (o.import === undefined) throw new UsageError('import-check needs --import NAME|FILE');
  const max = Number(o.rows);
  if (!/^[1-9][0-9]{0,5}$/.test(o.rows)) throw new UsageError(`--rows: expected a whole number from 1, found ${JSON.stringify(o.rows)}`);
  return runImportCheck(files, o.import, max);
}
