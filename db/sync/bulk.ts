/**
 * The first sync of a store as a bulk load (issue 19, docs/sync.md "Initial sync"): while pages of a
 * store that has never pulled keep coming, the secondary indexes of the tables a pull fills are
 * dropped and built once, in the transaction of the last page, from the SQL SQLite recorded for them
 * (so the migrations stay their one definition). What is dropped is recorded in `meta` in the same
 * transaction as the drop; a store reopened with that record (the load was killed) gets its indexes
 * back at once and syncs on as usual from its cursor, which only ever advanced with committed pages.
 * Unique indexes stay: they are constraints, not speed.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { withBoundedMemory } from '../bounded-memory.js';
import type { Ctx } from '../context.js';
import { json } from '../context.js';

/** The `meta` key holding the dropped indexes while a bulk load runs. */
export const BULK_LOAD_KEY = 'sync.bulk_load';

/** The tables a pull fills. */
const TABLES = ['tickets', 'ticket_events', 'sync_tickets'];

interface Dropped {
  name: string;
  sql: string;
}

export class BulkLoad {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      record: db.prepare(`SELECT value FROM meta WHERE key = ?`),
      save: db.prepare(`INSERT INTO meta (key, value) VALUES (?, ?)`),
      deferrable: db.prepare(
        `SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE %'
           AND tbl_name IN (${TABLES.map(() => '?').join(', ')}) ORDER BY name`,
      ),
    };
  }

  /** Whether a bulk load is under way (its indexes are dropped). */
  active(): boolean {
    return this.s.record.get(BULK_LOAD_KEY) !== undefined;
  }

  /** Drops the deferred indexes and records them; inside the transaction of the load's first page. */
  begin(): void {
    const dropped = this.s.deferrable.all(...TABLES) as Dropped[];
    this.s.save.run(BULK_LOAD_KEY, json(dropped));
    for (const d of dropped) this.ctx.db.exec(`DROP INDEX "${d.name.replaceAll('"', '""')}"`);
  }

  /** Whether `page` ends a load under way (its transaction builds the indexes). */
  ending(page: { more?: boolean }): boolean {
    return !page.more && this.active();
  }

  /**
   * Runs `fn` (the last page's transaction) with SQLite's memory bounded (db/bounded-memory.ts): its
   * `CREATE INDEX` sorts in temporary files on disk, not in RAM (with the store's `temp_store = MEMORY`
   * the last page over 1M events added 67-95 MB to the peak RSS). Outside any transaction: the temp store
   * cannot change inside one.
   */
  bounded<T>(fn: () => T): T {
    return withBoundedMemory(this.ctx.db, fn);
  }

  /** Builds the recorded indexes again and ends the load; inside the transaction of its last page. */
  finish(): void {
    restoreBulkIndexes(this.ctx.db);
  }

  /** A load that did not end (the process was killed): its indexes back, in one transaction . */
  recover(): boolean {
    if (!this.active()) return false;
    // at open, outside any transaction
    this.bounded(() => this.ctx.tx(() => this.finish()));
    return true;
  }
}

/**
 * The recorded indexes built again and the record removed: at the end of a load, and before migrations
 * run on a store whose load did not end, so a migration that changes one of them finds it (db/migrate.ts,
 * inside the migrations' transaction). False when no load was recorded.
 */
export function restoreBulkIndexes(db: BetterSqlite3.Database): boolean {
  if (!db.prepare(`SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'`).get()) return false;
  const row = db.prepare(`SELECT value FROM meta WHERE key = ?`).get(BULK_LOAD_KEY) as { value: string } | undefined;
  if (!row) return false;
  for (const d of JSON.parse(row.value) as Dropped[]) db.exec(d.sql);
  db.prepare(`DELETE FROM meta WHERE key = ?`).run(BULK_LOAD_KEY);
  return true;
}
