/**
 * A store killed in the middle of its first sync's bulk load (its secondary indexes dropped, recorded in
 * `meta`) and then upgraded: the indexes come back before the migrations run, so a migration that
 * changes one of them finds it (it failed "no such index" when they came back only after migrating).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { LATEST_VERSION, migrateTo, schemaVersion } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { BULK_LOAD_KEY } from '../../db/sync/bulk.js';
import { cleanupTempDirs, testStore } from '../db/helpers.js';

afterEach(cleanupTempDirs);

it('a migration that changes an index a killed bulk load had dropped runs, with the index as recorded', () => {
  const { store, dataDir } = testStore();
  store.close();
  const db = new Database(join(dataDir, 'vakt.db'));
  try {
    // What BulkLoad.begin does in the first page's transaction, and no last page.
    const dropped = db.prepare(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %' AND tbl_name = 'tickets'`).all() as {
      name: string;
      sql: string;
    }[];
    expect(dropped.map((d) => d.name)).toContain('tickets_contract');
    db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`).run(BULK_LOAD_KEY, JSON.stringify(dropped));
    for (const d of dropped) db.exec(`DROP INDEX "${d.name}"`);

    const next = {
      version: LATEST_VERSION + 1,
      name: 'widen-contract-index',
      up: (d: Database.Database) => d.exec(`DROP INDEX tickets_contract; CREATE INDEX tickets_contract ON tickets(contract_id, id)`),
    };
    migrateTo(db, LATEST_VERSION + 1, [...migrations, next]);
    expect(schemaVersion(db)).toBe(LATEST_VERSION + 1);
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'tickets'`).all() as { name: string }[]).map((r) => r.name);
    for (const d of dropped) expect(indexes).toContain(d.name);
    expect(db.prepare(`SELECT value FROM meta WHERE key = ?`).get(BULK_LOAD_KEY)).toBeUndefined();
  } finally {
    db.close();
  }
});
