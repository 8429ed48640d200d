import { ImportHeaderError, renderImportPreview } from '../import';
import type { MappedRecord } from '../import';
import { readProfiledInput } from '../io/read-profiled';
import { DataError, fsErrorText, InputError, UsageError } from '../errors';
import { Zone } from '../time/zone';
import type { CommandIO } from './invoice-command';
import { checkInputs, loadImportProfile } from './run-usage';

export interface ImportCheckOptions {
  import?: string;
  rows: string;
}

class Enough extends Error {}

/** import-check has no price list: a `local` timestamp of a `between` is read in UTC for the preview (docs/decisions.md). */
const PREVIEW_ZONE = new Zone('UTC');

/**
 * `callbill import-check --import NAME [file]`: validates the profile and shows the
 * first rows of the file as callbill reads them, so a user can see that the mapping
 * is right before billing (issue #8).
 */
export async function importCheckCommand(files: string[], o: ImportCheckOptions, _io: CommandIO): Promise<string> {
  if (o.import === undefined) throw new UsageError('import-check needs --import NAME|FILE');
  const max = Number(o.rows);
  if (!/^[1-9][0-9]{0,5}$/.test(o.rows)) throw new UsageError(`--rows: expected a whole number from 1, found ${JSON.stringify(o.rows)}`);
  const profile = loadImportProfile(o.import)!;
  let out = `import profile ${profile.name} (${profile.origin}): OK — ${profile.source}\n`;
  checkInputs(files);
  for (const file of files) {
    const rows: MappedRecord[] = [];
    try {
      await readProfiledInput(
        file,
        profile,
        PREVIEW_ZONE,
        (m) => {
          rows.push(m);
          if (rows.length >= max) throw new Enough();
        },
        () => undefined,
      );
    } catch (e) {
      if (e instanceof Enough) {
        // enough rows shown
      } else if (e instanceof ImportHeaderError) {
        // located like invoice's (foldInputs): file:line, found by the fuzzer without its file name
        throw new DataError(`${file}:${e.message.replace(/^line (\d+): /, '$1: ')}`);
      } else if ((e as NodeJS.ErrnoException).code && !(e instanceof DataError)) {
        throw new InputError(`${file}: cannot read the export: ${fsErrorText(e)}`);
      } else throw e;
    }
    out += `\n${file}: the first ${rows.length} row${rows.length === 1 ? '' : 's'} as callbill reads them\n`;
    out += renderImportPreview(rows, max);
  }
  return out;
}
