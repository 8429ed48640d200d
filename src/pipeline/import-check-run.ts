import { ImportHeaderError, renderImportPreview } from '../import';
import type { MappedRecord } from '../import';
import { readProfiledInput } from '../io/read-profiled';
import { DataError, fsErrorText, InputError } from '../errors';
import { Zone } from '../time/zone';
import { checkInputs, loadImportProfile } from './load-inputs';

class Enough extends Error {}

/** import-check has no price list: a `local` timestamp of a `between` is read in UTC for the preview (docs/decisions.md). */
const PREVIEW_ZONE = new Zone('UTC');

/**
 * `import-check --import NAME [file]`: validates the profile and shows the first `max`
 * rows of each file as callbill reads them, so a user can see that the mapping is
 * right before billing.
 */
export async function runImportCheck(files: readonly string[], importName: string, max: number): Promise<string> {
  const profile = loadImportProfile(importName)!;
  // a profile without `source:` says nothing after OK, rather than an empty "OK — "
  const source = profile.source.trim();
  let out = `import profile ${profile.name} (${profile.origin}): OK${source !== '' ? ` — ${source}` : ''}\n`;
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
    out += `\n${file}: the first ${rows.length === 1 ? 'row' : `${rows.length} rows`} as callbill reads ${rows.length === 1 ? 'it' : 'them'}\n`;
    out += renderImportPreview(rows, max);
  }
  return out;
}
