import fc from 'fast-check';
import { describe, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { pgliteApp, postgresApp } from './apps.js';
import { modelClock, opArb, runModel } from './model.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

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
  const get = pgliteApp({ clock: modelClock });
  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(get, Number(process.env.VAKT_MODEL_RUNS ?? 40));
  }, 120_000);
});

describe.skipIf(!postgresInstalled())(`sync model (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const get = postgresApp({ clock: modelClock });
  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(get, Number(process.env.VAKT_MODEL_RUNS_PG ?? 25));
  }, 120_000);
});
