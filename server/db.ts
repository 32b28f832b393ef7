/**
 * The server's one SQL dialect (PostgreSQL) behind a tiny interface, over a
 * pg Pool (production, DATABASE_URL) or over embedded PGlite (default, data in
 * `<data-dir>/pg`). bigint columns come back as JS numbers (all our bigints
 * are epoch ms or counters, well inside 2^53).
 */
import { createHash } from 'node:crypto';
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

/** A connection inside `Db.transaction`. */
export interface TxQueryable extends Queryable {
  /**
   * Queues a statement whose answer nobody reads (SAVEPOINT, RELEASE SAVEPOINT, an INSERT or
   * UPDATE): on PostgreSQL it is sent in one round trip with the next statement (BEGIN is queued
   * the same way), or now when a parameter cannot be written as a literal; on PGlite it runs now. An error it
   * raises surfaces on that next statement, so a caller that must know which change failed sends
   * the queue (`queryAll([])`) before it moves on.
   */
  defer(sql: string, params?: unknown[]): Promise<void>;
  /** Runs several statements in order, in one round trip on PostgreSQL when their parameters can be written as literals. */
  queryAll(stmts: { sql: string; params?: unknown[] }[]): Promise<QueryResult<Record<string, unknown>>[]>;
  /**
   * Runs `sql` as the transaction's last statement and COMMITs, in one round trip on PostgreSQL (the
   * statement and COMMIT go in one simple-protocol message, the parameters as EXECUTE's arguments,
   * see `simpleText`), so nothing between them waits on this process's event loop: locks the
   * statement takes are held only while PostgreSQL executes it and commits. Nothing may be queried
   * on `tx` after it. On PGlite (one connection, no concurrency) it is a plain query and the
   * transaction commits as usual.
   */
  queryAndCommit<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

export interface Db extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  /** Runs `fn` in one transaction (READ COMMITTED); commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: TxQueryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Postgres error code of an error from either driver (e.g. 23505 unique_violation). */
export function pgCode(e: unknown): string | undefined {
  const c = (e as { code?: unknown } | null)?.code;
  return typeof c === 'string' ? c : undefined;
}

const INT8 = 20;

function inlineValue(v: unknown): string | null {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'string') return pg.escapeLiteral(v);
  if (typeof v === 'number') return Number.isFinite(v) ? pg.escapeLiteral(String(v)) : null;
  if (typeof v === 'bigint' || typeof v === 'boolean') return pg.escapeLiteral(String(v));
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || (typeof x === 'number' && Number.isFinite(x)))) {
    return pg.escapeLiteral(`{${v.map((x) => `"${String(x).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`);
  }
  return null;
}

/**
 * Statement names by SQL text, so PostgreSQL parses and plans each statement once per connection
 * (bounded: the server's statements are a fixed set; anything past the bound runs unprepared).
 */
const names = new Map<string, string>();
/**
 * Longer texts are not prepared: the push's last statement grows with its number of mutations, and
 * each of its sizes prepared on each connection would hold PostgreSQL memory for little gain.
 */
const MAX_PREPARED_TEXT = 4_000;
function statementName(sql: string): string | null {
  if (sql.length > MAX_PREPARED_TEXT) return null;
  let n = names.get(sql);
  if (n === undefined) {
    if (names.size >= 2000) return null;
    n = createHash('sha1').update(sql).digest('hex').slice(0, 24);
    names.set(sql, n);
  }
  return n;
}

/** Per connection: the names it has PREPAREd, and those a failed message may or may not have (never PREPAREd again). */
interface Prepared {
  done: Set<string>;
  unsure: Set<string>;
}
const preparedOf = new WeakMap<object, Prepared>();

/** Names of statements prepared for one message only (never reused: a failed message may leave one behind). */
let oneOff = 0;

/**
 * A statement for a simple-protocol message, parameters by construction: the SQL text goes in a
 * PREPARE exactly as written, the values only as the quoted literals of EXECUTE's argument list
 * (pg.escapeLiteral; typed by the prepared statement, as bound parameters are), so no value is ever
 * spliced into SQL text. A statement this connection keeps (see statementName) is PREPAREd once,
 * the PREPARE going first in the same message; any other is prepared for this message only and
 * DEALLOCATEd after it (`oneOff`). Null when a value cannot be written as a literal (the caller
 * then binds parameters as usual).
 */
function simpleText(state: Prepared, queued: readonly string[], sql: string, params: readonly unknown[], prepares: Map<string, string>): Statement | null {
  const lits: string[] = [];
  for (const p of params) {
    const l = inlineValue(p);
    if (l === null) return null;
    lits.push(l);
  }
  const args = lits.length ? `(${lits.join(', ')})` : '';
  const h = statementName(sql);
  if (h === null || state.unsure.has(h)) {
    const name = `o_${++oneOff}`;
    return { texts: [`PREPARE ${name} AS ${sql}`, `EXECUTE ${name}${args}`, `DEALLOCATE ${name}`], result: 1, oneOff: name };
  }
  const name = `x_${h}`;
  if (!state.done.has(h) && !queued.includes(h)) prepares.set(h, `PREPARE ${name} AS ${sql}`);
  return { texts: [`EXECUTE ${name}${args}`], result: 0 };
}

/** DEALLOCATEs each one-off statement that is still prepared (one statement each: some may be gone already). */
async function dropOneOffs(client: pg.PoolClient, names: readonly string[]): Promise<void> {
  for (const n of names) await client.query(`DEALLOCATE ${n}`).catch(() => undefined);
}

/** The texts of one statement in a message, which of them answers it, and its one-off name. */
interface Statement {
  texts: string[];
  result: number;
  oneOff?: string;
}

export function createPgDb(connectionString: string, options: { max?: number } = {}): Db {
  const max = options.max ?? (Number(process.env.VAKT_DB_POOL) || 40);
  const pool = new pg.Pool({
    connectionString,
    // Short index lookups: JIT compilation (triggered by a high cost estimate) would only add latency.
    options: '-c jit=off',
    max,
    min: max,
    idleTimeoutMillis: 5 * 60_000,
    types: {
      getTypeParser: ((oid: number, format?: string) => (oid === INT8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser,
    },
  });
  // Connections are opened at start and kept (min = max), so the first burst of requests after a
  // start or a quiet spell does not pay for connection setup (a backend and a SCRAM exchange each).
  for (let i = 0; i < max; i++) {
    pool.connect().then(
      (c) => c.release(),
      () => undefined,
    );
  }
  pool.on('error', () => {
    /* idle client errors (server restart): the next query reconnects */
  });
  const wrap = (c: { query: pg.Pool['query'] }): Queryable => ({
    async query<R>(sql: string, params: unknown[] = []) {
      // Named: each connection parses and plans it once (see statementName).
      const name = statementName(sql);
      const r = await c.query(name ? { name: `n_${name}`, text: sql, values: params } : { text: sql, values: params });
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
    async transaction<T>(fn: (tx: TxQueryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      // Statements that need no answer of their own (BEGIN, SAVEPOINT, RELEASE) wait here and go in one
      // simple-protocol message with the next statement; queryAndCommit adds COMMIT to that message.
      // Each statement of such a message still runs on its own (READ COMMITTED) snapshot, in order.
      const pending: string[] = ['BEGIN'];
      let begun = false;
      let done = false;
      const prep = preparedOf.get(client) ?? { done: new Set<string>(), unsure: new Set<string>() };
      preparedOf.set(client, prep);
      /** Statement names PREPAREd by texts now in `pending`: known to the connection once those are sent. */
      let pendingNames: string[] = [];
      /** One-off statements of this transaction: a failed message may have left some prepared. */
      const oneOffs: string[] = [];
      const send = async (stmts: string[], names: string[] = []): Promise<pg.QueryResult[]> => {
        const all = [...pendingNames, ...names];
        pendingNames = [];
        if (!stmts.length) return [];
        let r: pg.QueryResult | pg.QueryResult[];
        try {
          r = (await client.query(stmts.join('\n;\n'))) as unknown as pg.QueryResult | pg.QueryResult[];
        } catch (e) {
          // Prepared statements are not transactional: some of the PREPAREs of a failed message may have run.
          for (const n of all) prep.unsure.add(n);
          throw e;
        }
        for (const n of all) prep.done.add(n);
        return Array.isArray(r) ? r : [r];
      };
      const flush = async (): Promise<void> => {
        if (!pending.length) return;
        const stmts = pending.splice(0);
        if (stmts[0] === 'BEGIN') begun = true;
        await send(stmts);
      };
      /** Runs the statements (with the pending ones first, in one round trip when their values can be literals). */
      const run = async (stmts: { sql: string; params: unknown[] }[], commit: boolean): Promise<QueryResult<unknown>[]> => {
        if (done) throw new Error('query after queryAndCommit');
        const prepares = new Map<string, string>();
        const texts = stmts.map((q) => simpleText(prep, pendingNames, q.sql, q.params, prepares));
        let out: pg.QueryResult[];
        if (texts.every((t): t is Statement => t !== null)) {
          const pre = pending.splice(0);
          if (pre[0] === 'BEGIN') begun = true;
          for (const t of texts) if (t.oneOff) oneOffs.push(t.oneOff);
          const all = await send([...pre, ...prepares.values(), ...texts.flatMap((t) => t.texts), ...(commit ? ['COMMIT'] : [])], [...prepares.keys()]);
          // each statement's answer: skip the pending texts and PREPAREs, then walk the statements' texts
          let at = pre.length + prepares.size;
          out = texts.map((t) => {
            const r = all[at + t.result] as pg.QueryResult;
            at += t.texts.length;
            return r;
          });
        } else {
          await flush();
          out = [];
          for (const q of stmts) out.push(await client.query(q.sql, q.params));
          if (commit) await client.query('COMMIT');
        }
        if (commit) done = true;
        return out.map((r) => ({ rows: r.rows as unknown[], rowCount: r.rowCount ?? 0 }));
      };
      const tx: TxQueryable = {
        async query<R>(sql: string, params: unknown[] = []) {
          const [r] = await run([{ sql, params }], false);
          return r as QueryResult<R>;
        },
        async exec(sql: string) {
          if (done) throw new Error('query after queryAndCommit');
          await flush();
          await client.query(sql);
        },
        async queryAll(stmts) {
          return run(
            stmts.map((q) => ({ sql: q.sql, params: q.params ?? [] })),
            false,
          ) as Promise<QueryResult<Record<string, unknown>>[]>;
        },
        async defer(sql: string, params: unknown[] = []) {
          if (done) throw new Error('query after queryAndCommit');
          const prepares = new Map<string, string>();
          const st = params.length ? simpleText(prep, pendingNames, sql, params, prepares) : { texts: [sql], result: 0 };
          if (st === null) {
            await run([{ sql, params }], false);
            return;
          }
          if (st.oneOff) oneOffs.push(st.oneOff);
          // A PREPARE in pending is prepared once the pending statements are sent (send() keeps track).
          pending.push(...prepares.values(), ...st.texts);
          pendingNames.push(...prepares.keys());
        },
        async queryAndCommit<R>(sql: string, params: unknown[] = []) {
          const [r] = await run([{ sql, params }], true);
          return r as QueryResult<R>;
        },
      };
      try {
        const out = await fn(tx);
        if (!done && begun) {
          pending.push('COMMIT');
          await flush();
        }
        return out;
      } catch (e) {
        if (begun) await client.query('ROLLBACK').catch(() => undefined);
        // Prepared statements outlive a rollback: drop the one-off ones a failed message left.
        if (oneOffs.length) await client.query(oneOffs.map((n) => `DEALLOCATE ${n}`).join(';\n')).catch(() => dropOneOffs(client, oneOffs));
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
    transaction: (fn) =>
      db.transaction((tx) => {
        const q = wrap(tx);
        return fn({
          ...q,
          async defer(sql: string, params: unknown[] = []) {
            await q.query(sql, params);
          },
          async queryAll(stmts) {
            const out: QueryResult<Record<string, unknown>>[] = [];
            for (const s of stmts) out.push(await q.query(s.sql, s.params ?? []));
            return out;
          },
          queryAndCommit: q.query,
        });
      }),
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
