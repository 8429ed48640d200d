import type { Readable } from 'node:stream';
import { DataError } from '../errors';
import { ProfileMapper } from '../import';
import type { ImportProfile, MappedRecord } from '../import';
import type { Zone } from '../time/zone';
import { readRecords } from './read-usage';
import type { Delimiter } from './delimiter';
import type { InputResult } from './read-usage';

/**
 * Reads one platform export (issue #8) through an import profile: the file's raw
 * records, read as a usage file is (readRecords: hashed, checked as UTF-8, lines
 * as in the file), are mapped one by one into rows in the SPEC §2 columns.
 * Single-threaded: a profile with `dedupe` holds rows until the end of the file.
 * `local` is the price list's timezone, in which `local` timestamps are read.
 */
export async function readProfiledInput(
  path: string,
  profile: ImportProfile,
  local: Zone,
  onMapped: (m: MappedRecord) => void,
  onHeader: (fields: string[]) => void,
  onBytes?: (n: number) => void,
  /** Opens the input (default: the file, or stdin for `-`); explain replays stdin from memory. */
  open?: (path: string) => Readable,
  /** The file's name in messages (default: its path). */
  name: string = path,
  /** --delimiter; else the profile's `delimiter:`, else found from the first line. */
  delimiter: Delimiter | null = null,
): Promise<InputResult> {
  // made at the first record, when the delimiter (and so the decimal mark's rules) is known
  let mapper: ProfileMapper | null = null;
  const r = await readRecords(
    path,
    (line, fields, d) => {
      if (mapper === null) {
        mapper = new ProfileMapper(profile, local, d);
        onHeader(profile.hasHeader ? fields : [...profile.columnNames]);
      }
      const m = mapper.push({ fields, line });
      if (m) onMapped(m);
    },
    { onBytes, open, name, ltrim: profile.csv.ltrim, delimiter: delimiter ?? profile.delimiter },
  );
  for (const m of (mapper as ProfileMapper | null)?.finish() ?? []) onMapped(m);
  if (r.records === 0 && profile.hasHeader) throw new DataError(`${name}:1: empty file: a header row is required`);
  return { sha256: r.sha256, bytes: r.bytes };
}
