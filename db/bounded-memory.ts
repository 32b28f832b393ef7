/**
 * SQLite's memory while it copies or rebuilds a whole file (issue 19: the first start after an upgrade
 * peaked at 290 MB on the 550 MB benchmark store). The app's connection keeps a 32 MB page cache and its
 * temporary files in memory (db/store.ts); both are right for its queries and wrong for these:
 * - `VACUUM INTO` gives the copy a page cache of the source's size and fills both: +70 MB for the
 *   pre-migration backup of that store, +5 MB with SQLite's default 2 MB cache, and faster;
 * - `CREATE INDEX` sorts in temporary files, which `temp_store = MEMORY` keeps in RAM: +170 MB for an
 *   index over the 1M events, +6 MB with them on disk, as fast.
 */
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's default page cache (2 MB), in `PRAGMA cache_size` units (negative: KiB). */
export const BOUNDED_CACHE_SIZE = -2000;

// Connections running inside withSmallCache: a nested call (the upgrade's backup, inside withBoundedMemory) finds the cache small already.
const small = new WeakSet<BetterSqlite3.Database>();

/** Runs `fn` with the page cache at SQLite's default size; the connection's own size is back after. The one place that sets it. */
export function withSmallCache<T>(db: BetterSqlite3.Database, fn: () => T): T {
  if (small.has(db)) return fn();
  const cache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${BOUNDED_CACHE_SIZE}`);
  small.add(db);
  try {
    return fn();
  } finally {
    small.delete(db);
    db.pragma(`cache_size = ${cache}`);
  }
}

/**
 * Runs `fn` (migrations: whole-table rewrites, index builds) with a small page cache and temporary files
 * on disk, then sets the connection's own settings back and hands what SQLite holds back to the allocator.
 * Changing `temp_store` drops the connection's TEMP tables: call it with none (at open, before any).
 */
export function withBoundedMemory<T>(db: BetterSqlite3.Database, fn: () => T): T {
  const temp = db.pragma('temp_store', { simple: true }) as number;
  db.pragma('temp_store = FILE');
  try {
    return withSmallCache(db, fn);
  } finally {
    db.pragma(`temp_store = ${temp}`);
    db.pragma('shrink_memory');
  }
}
