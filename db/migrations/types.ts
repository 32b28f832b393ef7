import type BetterSqlite3 from 'better-sqlite3';

export interface Migration {
  /** The schema version this migration produces (1, 2, ...). */
  version: number;
  name: string;
  /** Runs inside the migration transaction; must not COMMIT/BEGIN. */
  up(db: BetterSqlite3.Database): void;
}
