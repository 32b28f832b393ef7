/**
 * Schema migrations. The version lives in PRAGMA user_version; Vakt files are
 * marked with PRAGMA application_id. All pending migrations run in one
 * transaction, after a backup of the file was taken.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { migrations as allMigrations, LATEST_VERSION } from './migrations/index.js';
import type { Migration } from './migrations/index.js';
import { DatabaseTooNewError, MigrationError, NotAVaktDatabaseError } from './errors.js';
import { restoreBulkIndexes } from './sync/bulk.js';

/** 'VAKT' */
export const APPLICATION_ID = 0x56414b54;

export function schemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

export function applicationId(db: BetterSqlite3.Database): number {
  return db.pragma('application_id', { simple: true }) as number;
}

/** Throws unless `db` is empty or a Vakt database we can open (version <= latest). */
export function assertOpenable(db: BetterSqlite3.Database, file: string, latest = LATEST_VERSION): number {
  const version = schemaVersion(db);
  const appId = applicationId(db);
  if (version === 0 && appId === 0) {
    const n = (db.prepare(`SELECT count(*) AS n FROM sqlite_schema`).get() as { n: number }).n;
    if (n > 0) throw new NotAVaktDatabaseError(file, 'it is an SQLite database of another application (tables present, no Vakt mark)');
    return 0;
  }
  if (appId !== APPLICATION_ID) throw new NotAVaktDatabaseError(file, `application_id is 0x${appId.toString(16)}, expected 0x${APPLICATION_ID.toString(16)}`);
  if (version > latest) throw new DatabaseTooNewError(file, version, latest);
  return version;
}

/**
 * Runs migrations from the current version up to `target` in ONE transaction
 * (all or nothing). Does not take a backup; see openStore for that.
 */
export function migrateTo(db: BetterSqlite3.Database, target: number = LATEST_VERSION, list: readonly Migration[] = allMigrations): { from: number; to: number } {
  const from = schemaVersion(db);
  if (target > list.length) throw new MigrationError(`cannot migrate to version ${target}: the latest known is ${list.length}`);
  if (from > target) throw new MigrationError(`database is at version ${from}; cannot go down to ${target}`);
  if (from === target) return { from, to: target };
  list.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration list out of order: position ${i + 1} holds version ${m.version}`);
  });
  const run = db.transaction(() => {
    if (from === 0) db.pragma(`application_id = ${APPLICATION_ID}`);
    // A first sync killed mid bulk load left its indexes dropped (db/sync/bulk.ts): back before a migration may change them.
    else restoreBulkIndexes(db);
    for (const m of list.slice(from, target)) {
      try {
        m.up(db);
      } catch (e) {
        throw new MigrationError(`migration ${String(m.version).padStart(4, '0')}-${m.name} failed: ${(e as Error).message}`);
      }
      db.pragma(`user_version = ${m.version}`);
    }
  });
  run.immediate();
  return { from, to: target };
}

export { LATEST_VERSION };
