/**
 * The server's one SQL dialect (PostgreSQL) behind a tiny interface, over a
 * pg Pool (production, DATABASE_URL) or over embedded PGlite (default, data in
 * `<data-dir>/pg`). bigint columns come back as JS numbers (all our bigints
 * are epoch ms or counters, well inside 2^53).
 */
import pg from 'pg';
import type { PGlite as PGliteType } from '@electric-sql/pglite';

export interface QueryResult<R> {
  rows: R[];
  rowCount: number;
}

export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
  /** Runs a script of several statements (no parameters). */
  exec(sql: string): Promise<void>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres error code of an error from either driver (e.g. 23505 unique_violation). */
export function pgCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

const INT8 = 20;

export function createPgDb(connectionString: string, options: { max?: number } = {}): Db {
  const pool = new pg.Pool({
    connectionString,
    max: options.max ?? 40,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {
    /* idle client errors (server restart): the next query reconnects */
  });
  const wrap = (c: { query: pg.Pool['query'] }): Queryable => ({
    async query<R>(sql: string, params: unknown[] = []) {
      const r = await c.query(sql, params as unknown[]);
      return { rows: r.rows as R[], rowCount: r.rowCount ?? 0 };
    },
    async exec(sql: string) {
      await c.query(sql);
    },
  });
  const base = wrap(pool);
  return {
    kind: 'postgres',
    query: base.query,
    exec: base.exec,
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client as unknown as { query: pg.Pool['query'] }));
        await client.query('COMMIT');
        return out;
      } catch (e) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw e;
      } finally {
        client.release();
      }
    },
    async close() {
      await pool.end();
    },
  };
}

/** Embedded PostgreSQL (PGlite). `dataDir` null: in memory. */
export async function createPgliteDb(dataDir: string | null): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const opts = { parsers: { [INT8]: (v: string) => Number(v) } };
  const db: PGliteType = dataDir ? await PGlite.create(dataDir, opts) : await PGlite.create(opts);
  const wrap = (c: Pick<PGliteType, 'query' | 'exec'>): Queryable => ({
    async query<R>(sql: string, params: unknown[] = []) {
      const r = await c.query<R>(sql, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? r.rows.length };
    },
    async exec(sql: string) {
      await c.exec(sql);
    },
  });
  const base = wrap(db);
  return {
    kind: 'pglite',
    query: base.query,
    exec: base.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    async close() {
      await db.close();
    },
  };
}

/** PostgreSQL when `databaseUrl` is set, else PGlite in `pgliteDir`. */
export async function openDb(opts: { databaseUrl?: string | null; pgliteDir: string | null }): Promise<Db> {
  if (opts.databaseUrl) return createPgDb(opts.databaseUrl);
  return createPgliteDb(opts.pgliteDir);
}
