/** Server migration tests: a PGlite database built up to an older server schema, and the plan of a query on it. */
import { createPgliteDb } from '../../../server/db.js';
import type { Db } from '../../../server/db.js';
import { LATEST_SERVER_SCHEMA, MIGRATIONS } from '../../../server/migrations.js';

/** A fresh PGlite database at server schema `n` (its migrations applied and recorded, as an older server left it). */
export async function databaseAt(n: number): Promise<Db> {
  const db = await createPgliteDb(null);
  await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
  await upTo(db, n);
  return db;
}

/** The versions a server applies to a database at schema `n - 1`: n up to the latest (a newer migration adds itself). */
export const versionsFrom = (n: number): number[] => Array.from({ length: LATEST_SERVER_SCHEMA - n + 1 }, (_, i) => n + i);

/** Applies and records the migrations after the database's schema up to `n` (a server of schema `n` starting on it). */
export async function upTo(db: Db, n: number): Promise<void> {
  const r = await db.query<{ v: number | null }>('SELECT max(version)::int AS v FROM schema_migrations');
  const from = r.rows[0]?.v ?? 0;
  for (const m of MIGRATIONS.filter((x) => x.version > from && x.version <= n)) {
    await db.exec(m.sql);
    await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [m.version, m.name]);
  }
}

/**
 * The `EXPLAIN` of `sql`, one line per step, with sequential scans off: a test's
 * tables are tiny, so the planner would read them whole; this asks whether the
 * index CAN serve the query, as it will once the table is large.
 */
export async function explainPg(db: Db, sql: string, params: unknown[] = []): Promise<string> {
  await db.exec('SET enable_seqscan = off');
  try {
    const r = await db.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
    return r.rows.map((x) => x['QUERY PLAN']).join('\n');
  } finally {
    await db.exec('SET enable_seqscan = on');
  }
}
