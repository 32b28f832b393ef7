import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { createPgDb } from '../../server/db.js';
import { migrate } from '../../server/migrations.js';
import { makeApp, sharedPglite } from './helpers.js';
import { opArb, runModel } from './model.js';
import { PG_MISSING, postgresInstalled, startPostgres } from './pg.js';
import type { TestPostgres } from './pg.js';

const SEED = Number(process.env.VAKT_MODEL_SEED ?? 20260401);

function property(get: () => { app: FastifyInstance; db: Db }, numRuns: number) {
  return fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer(), fc.array(opArb(4), { minLength: 30, maxLength: 150 }), async (n, seed, ops) => {
      const { app, db } = get();
      await runModel(app, db, seed, n, ops.map((o) => ('d' in o ? { ...o, d: o.d % n } : o)));
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
}

describe('sync model (PGlite)', () => {
  let app: FastifyInstance;
  let db: Db;
  beforeAll(async () => {
    db = await sharedPglite();
    app = await makeApp(db);
  });
  afterAll(async () => app.close());

  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(() => ({ app, db }), Number(process.env.VAKT_MODEL_RUNS ?? 40));
  }, 120_000);
});

describe.skipIf(!postgresInstalled())(`sync model (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  let pg: TestPostgres | null;
  let app: FastifyInstance;
  let db: Db;
  beforeAll(async () => {
    pg = await startPostgres();
    db = createPgDb(pg!.url);
    await migrate(db, () => Date.now());
    app = await makeApp(db);
  });
  afterAll(async () => {
    await app?.close();
    await db?.close();
    await pg?.drop();
  });

  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(() => ({ app, db }), Number(process.env.VAKT_MODEL_RUNS_PG ?? 25));
  }, 120_000);
});
