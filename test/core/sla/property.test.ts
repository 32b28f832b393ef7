/**
 * Property test: the engine agrees with the slow minute-by-minute reference
 * (./reference.ts) on random calendars in DST zones and random histories.
 *
 * Normal run: 10,000 cases. Longer run:
 *   SLA_PROPERTY_RUNS=100000 npx vitest run test/core/sla/property.test.ts
 * Reproduce a failure with SLA_PROPERTY_SEED=<seed> (printed by fast-check).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { evalCase } from '../../../core/sla/index.js';
import { ReferenceHorizon, referenceEval } from './reference.js';
import { caseArb } from './gen.js';

const RUNS = Number(process.env.SLA_PROPERTY_RUNS ?? 10_000);
const SEED = Number(process.env.SLA_PROPERTY_SEED ?? 20_260_401);
const iso = (t: number | null): string | null => (t === null ? null : new Date(t).toISOString());

describe('engine vs minute-by-minute reference', () => {
  it(`agrees on ${RUNS} random cases (seed ${SEED})`, () => {
    let compared = 0;
    fc.assert(
      fc.property(caseArb(), (c) => {
        const got = evalCase(c) as { targets?: Record<string, unknown>[]; error?: unknown };
        expect(got.error).toBeUndefined();
        let ref;
        try {
          ref = referenceEval(c);
        } catch (e) {
          if (e instanceof ReferenceHorizon) return; // beyond the reference's horizon: not comparable
          throw e;
        }
        const want = ref.map((t) => ({ ...t, dueAt: iso(t.dueAt), stoppedAt: iso(t.stoppedAt) }));
        const have = (got.targets ?? []).map((t) => {
          const o: Record<string, unknown> = {
            metric: t.metric,
            state: t.state,
            dueAt: t.dueAt,
            stoppedAt: t.stoppedAt,
            breached: t.breached,
            elapsedMinutes: t.elapsedMinutes,
            remainingMinutes: t.remainingMinutes,
          };
          if (t.missed !== undefined) o.missed = t.missed;
          return o;
        });
        expect(have).toEqual(want);
        compared++;
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    expect(compared).toBeGreaterThan(RUNS * 0.95);
  }, 600_000);
});
