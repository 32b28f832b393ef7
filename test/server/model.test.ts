import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { pgliteApp, postgresApp } from './apps.js';
import { memoryActors, modelClock, modelWorld, opArb, runModel } from './model.js';
import type { ModelCoverage } from './model.js';
import { PG_MISSING, postgresInstalled } from './pg.js';
import { runStatusPairs } from './status-pairs.js';

const SEED = Number(process.env.VAKT_MODEL_SEED ?? 20260401);

async function property(get: () => { app: FastifyInstance; db: Db }, numRuns: number): Promise<void> {
  const seen: ModelCoverage = { sent: 0, refused: 0, forbidden: 0, staleStatus: 0, acks: 0 };
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 2, max: 4 }), fc.integer(), fc.array(opArb(4), { minLength: 30, maxLength: 150 }), async (n, seed, ops) => {
      const { app, db } = get();
      const w = await modelWorld(app, db, seed);
      const c = await runModel(w, await memoryActors(w, n), ops);
      for (const k of Object.keys(seen) as (keyof ModelCoverage)[]) seen[k] += c[k];
    }),
    { seed: SEED, numRuns, endOnFailure: true },
  );
  // The runs made what the checks are about: refusals by role and by a stale status change, and acks.
  for (const [k, v] of Object.entries(seen)) expect(v, `runs with ${k}`).toBeGreaterThan(0);
}

async function statusPairs(get: () => { app: FastifyInstance; db: Db }): Promise<void> {
  const { app, db } = get();
  const w = await modelWorld(app, db, SEED);
  w.net.faults = false;
  const [a, b] = await memoryActors(w, 2, () => 'duty_officer');
  const r = await runStatusPairs(w, [a!, b!]);
  expect(r.scenarios).toBe(5 * 5 * 5 * 2);
  expect(r.refused).toBeGreaterThan(0);
}

describe('sync model (PGlite)', () => {
  const get = pgliteApp({ clock: modelClock });
  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(get, Number(process.env.VAKT_MODEL_RUNS ?? 40));
  }, 120_000);
  it('every pair of status transitions from two devices, both arrival orders', () => statusPairs(get), 300_000);
});

describe.skipIf(!postgresInstalled())(`sync model (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const get = postgresApp({ clock: modelClock });
  it('devices converge through a faulty network, every acknowledged change exactly once', async () => {
    await property(get, Number(process.env.VAKT_MODEL_RUNS_PG ?? 25));
  }, 120_000);
  it('every pair of status transitions from two devices, both arrival orders', () => statusPairs(get), 300_000);
});
