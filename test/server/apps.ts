/**
 * The sync server app for a describe block, on the shared PGlite or on a fresh PostgreSQL database
 * (test/server/pg.ts): registers its beforeAll/afterAll and returns a getter for the tests.
 */
import { afterAll, beforeAll } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { createPgDb } from '../../server/db.js';
import type { Db } from '../../server/db.js';
import type { Clock } from '../../core/clock.js';
import { migrate } from '../../server/migrations.js';
import { makeApp, sharedPglite } from './helpers.js';
import { startPostgres } from './pg.js';
import type { TestPostgres } from './pg.js';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  /** The PostgreSQL database's URL (null on PGlite). */
  url: string | null;
}

export function pgliteApp(o: { clock?: Clock } = {}): () => TestApp {
  let t: TestApp | null = null;
  beforeAll(async () => {
    const db = await sharedPglite();
    t = { app: await makeApp(db, o.clock ? { clock: o.clock } : {}), db, url: null };
  });
  afterAll(async () => t?.app.close());
  return () => t as TestApp;
}

/** Use inside `describe.skipIf(!postgresInstalled())`. */
export function postgresApp(o: { max?: number; clock?: Clock } = {}): () => TestApp {
  let pg: TestPostgres | null = null;
  let t: TestApp | null = null;
  let db: Db | null = null;
  beforeAll(async () => {
    pg = await startPostgres();
    db = createPgDb(pg!.url, o.max ? { max: o.max } : {});
    await migrate(db, () => Date.now());
    t = { app: await makeApp(db, o.clock ? { clock: o.clock } : {}), db, url: pg!.url };
  });
  afterAll(async () => {
    await t?.app.close();
    await db?.close();
    await pg?.drop();
  });
  return () => t as TestApp;
}
