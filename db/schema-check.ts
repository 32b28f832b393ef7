/**
 * Whether a file marked as a Vakt database really has the schema of its
 * version: the tables, indexes, triggers and views that the migrations up to
 * that version create (worked out once per version on an in-memory database).
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { migrateTo } from './migrate.js';

const OBJECTS = `SELECT type || ' ' || name AS o FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`;
const expected = new Map<number, string[]>();

function schemaOf(version: number): string[] {
  let list = expected.get(version);
  if (!list) {
    const mem = new Database(':memory:');
    try {
      migrateTo(mem, version);
      list = (mem.prepare(OBJECTS).all() as { o: string }[]).map((r) => r.o);
    } finally {
      mem.close();
    }
    expected.set(version, list);
  }
  return list;
}

/** The objects of schema `version` that `db` lacks, as "table tickets", "index tickets_queue", ... */
export function missingSchemaObjects(db: BetterSqlite3.Database, version: number): string[] {
  const present = new Set((db.prepare(OBJECTS).all() as { o: string }[]).map((r) => r.o));
  return schemaOf(version).filter((o) => !present.has(o));
}
