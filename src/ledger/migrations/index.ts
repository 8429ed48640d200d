import { sql as initial } from './0001-initial';
import { sql as extras } from './0002-extras';

/** A forward migration: run in order, each in the transaction that sets `user_version` to `version`. */
export interface Migration {
  version: number;
  sql: string;
}

/** Numbered migrations, applied in order by `PRAGMA user_version`. Append only. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, sql: initial },
  { version: 2, sql: extras },
];
