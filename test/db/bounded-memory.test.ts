/**
 * Who sets SQLite's small page cache (db/bounded-memory.ts): `withSmallCache` alone, once, also when
 * a backup runs inside the upgrade's `withBoundedMemory`. Real SQLite; the connection's pragmas are
 * recorded as they are issued, and the settings in force read when the copy's statement is prepared.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { vacuumInto } from '../../db/backup.js';
import { BOUNDED_CACHE_SIZE, withBoundedMemory } from '../../db/bounded-memory.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

afterAll(cleanupTempDirs);

/** A file database with the app's own settings, recording each pragma and the settings in force at each VACUUM. */
function recorded() {
  const dir = tempDir('vakt-bounded-');
  const db = new Database(join(dir, 'vakt.db'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)');
  db.pragma('temp_store = MEMORY');
  db.pragma('cache_size = -32000');
  const pragmas: string[] = [];
  const atVacuum: { cacheSize: number; tempStore: number }[] = [];
  const pragma = db.pragma.bind(db);
  const prepare = db.prepare.bind(db);
  const settings = () => ({ cacheSize: pragma('cache_size', { simple: true }) as number, tempStore: pragma('temp_store', { simple: true }) as number });
  (db as { pragma: unknown }).pragma = (source: string, o?: BetterSqlite3.PragmaOptions) => {
    pragmas.push(source);
    return pragma(source, o);
  };
  (db as { prepare: unknown }).prepare = (sql: string) => {
    if (sql.startsWith('VACUUM')) atVacuum.push(settings());
    return prepare(sql);
  };
  return { db, dir, pragmas, atVacuum, settings };
}

const cachePragmas = (p: string[]) => p.filter((s) => s.startsWith('cache_size'));

it('a backup outside an upgrade copies with the small cache, and the connection has its own back after', () => {
  const { db, dir, atVacuum, settings } = recorded();
  vacuumInto(db, join(dir, 'copy.db'));
  expect(atVacuum).toEqual([{ cacheSize: BOUNDED_CACHE_SIZE, tempStore: 2 }]);
  expect(settings()).toEqual({ cacheSize: -32000, tempStore: 2 });
  db.close();
});

it("the upgrade's backup (inside withBoundedMemory) sets the small cache once, not again for the copy", () => {
  const { db, dir, pragmas, atVacuum, settings } = recorded();
  withBoundedMemory(db, () => vacuumInto(db, join(dir, 'copy.db')));
  expect(atVacuum).toEqual([{ cacheSize: BOUNDED_CACHE_SIZE, tempStore: 1 }]);
  // Before: withSmallCache ran twice, nested (read, set, set back: 6 cache_size pragmas).
  expect(cachePragmas(pragmas)).toEqual(['cache_size', `cache_size = ${BOUNDED_CACHE_SIZE}`, 'cache_size = -32000']);
  expect(settings()).toEqual({ cacheSize: -32000, tempStore: 2 });
  db.close();
});
