/** Starts the sync server: opens the database (PostgreSQL or PGlite), migrates, bootstraps, listens. */
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyServerOptions } from 'fastify';
import type { Clock } from '../core/clock.js';
import { buildServer } from './app.js';
import type { ServerOptions } from './app.js';
import { bootstrapIfEmpty, createTenant } from './auth.js';
import type { CreatedTenant } from './auth.js';
import { DataDirBusyError, lockDataDir } from '../db/data-dir-lock.js';
import { systemClock } from '../db/system-time.js';
import { openDb } from './db.js';
import type { Db } from './db.js';
import { migrate } from './migrations.js';
import { localPokes, postgresPokes } from './pokes.js';
import { writeLocalProof } from './admin-local.js';

export interface StartOptions extends Partial<Omit<ServerOptions, 'db' | 'dataDir' | 'clock'>> {
  dataDir: string;
  port: number;
  host?: string;
  databaseUrl?: string | null;
  clock?: Clock;
  /** Create a new tenant + admin token even when tenants exist (named by `bootstrapTenant`). */
  bootstrap?: boolean;
  bootstrapTenant?: string;
  logger?: FastifyServerOptions['logger'];
}

export interface RunningServer {
  url: string;
  port: number;
  db: Db;
  /** Set when this start created a tenant: the admin token, shown once. */
  bootstrapped: CreatedTenant | null;
  close(): Promise<void>;
}

export async function startServer(o: StartOptions): Promise<RunningServer> {
  const clock = o.clock ?? systemClock;
  fs.mkdirSync(o.dataDir, { recursive: true });
  // One process per data dir: a second PGlite on the same files loses data (db/data-dir-lock.ts).
  const lock = takeLock(o.dataDir, Boolean(o.bootstrap), clock);
  const pgDir = path.join(o.dataDir, 'pg');
  let db: Db;
  try {
    db = await openDb({ databaseUrl: o.databaseUrl ?? null, pgliteDir: o.databaseUrl ? null : pgDir });
  } catch (e) {
    lock.release();
    throw e;
  }
  let proof: { hash: string; remove(): void } | null = null;
  try {
    await migrate(db, () => clock.now());
    const bootstrapped = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(7461232)');
      if (o.bootstrap) return createTenant(tx, clock, { name: o.bootstrapTenant ?? 'default' });
      return bootstrapIfEmpty(tx, clock, o.bootstrapTenant ?? 'default');
    });
    // PostgreSQL: pokes cross to the other server processes on the database (LISTEN/NOTIFY).
    let warn = (_msg: string, _err?: unknown): void => undefined;
    const pokes = o.pokes ?? (o.databaseUrl ? await postgresPokes(db, o.databaseUrl, (m, e) => warn(m, e)) : localPokes());
    proof = writeLocalProof(o.dataDir);
    const app = await buildServer({ ...o, pokes, localProofHash: proof.hash, urlChecks: o.urlChecks ?? { tickMs: 60_000 }, db, clock, dataDir: o.dataDir, logger: o.logger ?? false });
    warn = (m, e) => app.log.warn({ err: e }, m);
    app.addHook('onClose', async () => pokes.close());
    const address = await app.listen({ port: o.port, host: o.host ?? '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    return {
      url: address,
      port,
      db,
      bootstrapped,
      async close() {
        try {
          await app.close();
          await db.close();
        } finally {
          proof?.remove();
          lock.release();
        }
      },
    };
  } catch (e) {
    await db.close().catch(() => undefined);
    proof?.remove();
    lock.release();
    throw e;
  }
}

function takeLock(dataDir: string, bootstrap: boolean, clock: Clock) {
  try {
    return lockDataDir(dataDir, { what: bootstrap ? 'vakt server --bootstrap' : 'vakt server', since: clock.now() });
  } catch (e) {
    if (!(e instanceof DataDirBusyError) || !bootstrap) throw e;
    const pid = e.holder ? ` (PID ${e.holder.pid})` : '';
    throw new Error(
      `${e.message}\n--bootstrap cannot create a tenant while a server runs on this data dir: stop the server${pid}, ` +
        `then run \`vakt server --data-dir ${dataDir} --bootstrap\` (it starts the server with the new tenant).`,
    );
  }
}
