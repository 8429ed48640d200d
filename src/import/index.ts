/**
 * Import profiles: reading platform exports (Asterisk, FreeSWITCH, Amazon
 * Connect, Twilio, Five9, or any CSV described by a profile YAML) as usage
 * rows in the SPEC §2 columns. See the README section on import profiles for the format.
 *
 * The core reads the CSV (csv-parse, with `profile.csv` options and without
 * column names), hands the raw records of one file to `applyProfile`, and
 * treats each `{ ok: true }` row exactly as a row of a callbill usage file.
 */
export type { CanonicalRow, ImportProfile, MappedRecord, RawRecord } from './types';
export { BUILTIN_PROFILES, loadProfile } from './load-profile';
export { applyProfile, ImportHeaderError, ProfileMapper } from './apply-profile';
export { renderImportPreview } from './render-import-preview';
