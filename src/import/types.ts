/**
 * Types of the import-profile module: what the core gives it (raw csv-parse
 * records) and what it gets back (rows in the SPEC §2 usage columns).
 */

import { COLUMNS } from '../usage/usage-record';
import type { Delimiter } from '../io/delimiter';

/** The SPEC §2 usage columns, as strings ('' = empty), ready for the usage reader. */
export interface CanonicalRow {
  record_id: string;
  customer_id: string;
  channel: string;
  started_at: string;
  duration_seconds: string;
  response_seconds: string;
  status: string;
  diversion: string;
  destination: string;
  diverted_seconds: string;
}

/** The SPEC §2 columns in their documented order (also the order of every rendering): the usage reader's own list. */
export const CANONICAL_COLUMNS = COLUMNS satisfies readonly (keyof CanonicalRow)[];

export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

/** One csv-parse record; `line` is the 1-based line where it starts. */
export interface RawRecord {
  fields: string[];
  line: number;
}

export type MappedRecord =
  | {
      ok: true;
      row: CanonicalRow;
      line: number;
      /**
       * Only with a `dedupe` rule: lines of earlier copies of this record that
       * this one replaced (they produce no record of their own). Lets the core
       * account for every row read (SPEC §6).
       */
      superseded?: number[];
    }
  | {
      ok: false;
      line: number;
      /** The raw fields of the row, for `--rejects`. */
      fields: string[];
      /** The SOURCE column (header name, profile name of a position, or `column N`). */
      column: string;
      message: string;
      value: string;
      /** As on the ok variant. */
      superseded?: number[];
    };

/** How the reader must call csv-parse for a source (some exports bend RFC 4180). */
export interface CsvReadOptions {
  /**
   * Trim blanks before a field, so `"a", "b"` parses: FreeSWITCH's compiled-in
   * cdr_csv template writes a blank before its last quoted field.
   * Pass it to csv-parse as `ltrim`.
   */
  ltrim: boolean;
}

/** Where a source column is found: by header name, or by 1-based position. */
export type ColumnRef =
  | { kind: 'name'; name: string }
  | { kind: 'position'; position: number; label: string };

export type DurationUnit = 'seconds' | 'milliseconds' | 'hh:mm:ss';

/** `local` = no offset emitted: the core reads it in the price list's zone (SPEC §2). */
export type Zone = { kind: 'local' } | { kind: 'utc' } | { kind: 'offset'; minutes: number; text: string };

export type TimestampFormat =
  | { kind: 'iso' }
  | { kind: 'rfc2822' }
  | { kind: 'epoch'; scale: 'seconds' | 'milliseconds' }
  | { kind: 'pattern'; text: string; steps: PatternStep[] };

/**
 * One step of a compiled date pattern such as `DD/MM/YYYY HH:MM:SS` or `MM/DD/YYYY h:MM AM`:
 * a literal character, a number (`hour12`: 1 to 12, with `ampm`), `AM`/`PM`, or a UTC
 * offset (`Z`: `Z`, `+01:00`, `+0100`, `+01`).
 */
export type PatternStep =
  | { kind: 'literal'; code: number }
  | { kind: 'number'; part: 'year' | 'month' | 'day' | 'hour' | 'hour12' | 'minute' | 'second'; maxDigits: number; minDigits: number }
  | { kind: 'ampm' }
  | { kind: 'offset' };

export interface TimestampSettings {
  format: TimestampFormat;
  zone: Zone;
}

/** Where a field's raw value comes from. */
export type FieldSource =
  | { kind: 'column'; ref: ColumnRef }
  | { kind: 'join'; refs: ColumnRef[]; separator: string }
  | { kind: 'value'; value: string }
  | { kind: 'sum'; plus: ColumnRef[]; minus: ColumnRef[] }
  | { kind: 'between'; start: ColumnRef; end: ColumnRef };

/** A validated field mapping (one target column of SPEC §2). */
export interface FieldSpec {
  target: CanonicalColumn;
  source: FieldSource;
  /** Exact (case-insensitive) value map, already case-folded: UPPER(source) → target value. */
  map: Map<string, string> | null;
  /** Longest-prefix map, longest first. */
  prefixes: Array<[string, string]> | null;
  /** Used when the value is empty, or not matched by `map`/`prefixes`. */
  defaultValue: string | null;
  /** For duration targets. */
  unit: DurationUnit;
  /** For started_at, and for `between`. */
  timestamps: TimestampSettings;
}

export interface RowCondition {
  ref: ColumnRef;
  /** Case-folded values; the row matches when its value is one of them. */
  in: Set<string> | null;
  /** When set, the row matches when the value is (true) or is not (false) empty. */
  empty: boolean | null;
}

export interface DedupeSpec {
  key: ColumnRef[];
  latest: ColumnRef;
  timestamps: TimestampSettings;
}

/** A validated profile; `applyProfile` binds it to a file's header and compiles it once. */
export interface ImportProfile {
  /** Profile name (`asterisk`, or the `name:` of a user file, else its base name). */
  name: string;
  /** The export this profile reads, as its `source:` line says (`Asterisk cdr_csv Master.csv`). */
  source: string;
  /** false for header-less exports such as Asterisk Master.csv. */
  hasHeader: boolean;
  /** Where the profile was read from: `builtin:asterisk` or the file path. */
  origin: string;
  /** csv-parse options the reader must use for files of this source. */
  csv: CsvReadOptions;
  /** The field delimiter of the source's files (`delimiter:`); null: found from the first line. */
  delimiter: Delimiter | null;
  /** For header-less files: names given to positions 1..n by `columns:` (may be empty). */
  columnNames: readonly string[];
  /** Mappings of the SPEC §2 fields present in the profile (absent optional fields stay ''). */
  fields: readonly FieldSpec[];
  /** Rows that are the onward leg of a forwarded call, with the fields that replace `fields` for them. */
  forwarded: { when: RowCondition[]; fields: readonly FieldSpec[] } | null;
  /** De-duplication (buffers rows by key: for sources that deliver a record more than once). */
  dedupe: DedupeSpec | null;
}
