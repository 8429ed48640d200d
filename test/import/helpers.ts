/** Test helpers: read fixtures with csv-parse as the core will, and collect mapped rows. */
import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { CanonicalRow, ImportProfile, MappedRecord, RawRecord } from '../../src/import';
import { Zone } from '../../src/time/zone';

/** The price list's timezone of the examples: `local` timestamps are read in it. */
export const LISBON = new Zone('Europe/Lisbon');

/** Raw records of a file, as the core's reader hands them over (csv-parse, line of each record). */
export async function* readRaw(file: string, profile: Pick<ImportProfile, 'csv'>): AsyncGenerator<RawRecord> {
  const parser = createReadStream(file).pipe(
    parse({ bom: true, info: true, relax_column_count: true, ltrim: profile.csv.ltrim }),
  );
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    // info.lines is the line where the record ends; fixtures have no multi-line fields.
    yield { fields: item.record, line: item.info.lines };
  }
}

/** Raw records of CSV text, read the same way. */
export async function* readRawText(text: string, profile: Pick<ImportProfile, 'csv'>): AsyncGenerator<RawRecord> {
  const parser = parse(text, { bom: true, info: true, relax_column_count: true, ltrim: profile.csv.ltrim });
  for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
    yield { fields: item.record, line: item.info.lines };
  }
}

/** Raw records from literal rows, lines numbered from 1. */
export async function* rows(...data: string[][]): AsyncGenerator<RawRecord> {
  let line = 1;
  for (const fields of data) yield { fields, line: line++ };
}

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** An expected-canonical.csv (SPEC §2 usage file) as CanonicalRows. */
export async function readExpected(file: string): Promise<CanonicalRow[]> {
  const parser = createReadStream(file).pipe(parse({ bom: true, columns: true }));
  const out: CanonicalRow[] = [];
  for await (const rec of parser as AsyncIterable<CanonicalRow>) out.push(rec);
  return out;
}

/** The row of an ok record, or a readable failure. */
export function okRow(r: MappedRecord | undefined): CanonicalRow {
  if (!r) throw new Error('no record');
  if (!r.ok) throw new Error(`line ${r.line}: ${r.column}: ${r.message} (${r.value})`);
  return r.row;
}
