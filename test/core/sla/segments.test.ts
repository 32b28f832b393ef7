/**
 * Segments keep where their ends are on a window of the calendar and count
 * on from there (core/sla/segments.ts): their positions, deadlines and
 * projections must equal what the calendar itself answers, on random
 * calendars around DST changes and holidays, at any millisecond, also after
 * the calendar has moved on to other windows.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCalendar } from '../../../core/sla/index.js';
import type { CompiledCalendar } from '../../../core/sla/index.js';
import { Segs } from '../../../core/sla/segments.js';
import type { Kind } from '../../../core/sla/history.js';
import { ZONES, calendarArb } from './gen.js';

const DAY = 86_400_000;
const RUNS = Number(process.env.SLA_PROPERTY_RUNS ?? 10_000) / 10;
const SEED = Number(process.env.SLA_PROPERTY_SEED ?? 19);
const BASES = ['2026-03-29', '2026-10-25', '2026-03-08', '2026-11-01', '2026-04-05', '2026-10-04', '2026-12-22', '2026-04-01', '2026-06-05'];

const caseArb = fc.record({ zone: fc.constantFrom(...ZONES), base: fc.constantFrom(...BASES) }).chain(({ zone, base }) =>
  fc.record({
    base: fc.constant(base),
    calendar: calendarArb(zone, base),
    // the first segment's start, ms from the base date's UTC midnight (any millisecond)
    from: fc.integer({ min: -3 * DAY, max: 3 * DAY }),
    stretches: fc.array(fc.record({ ms: fc.integer({ min: 0, max: 4 * DAY }), kind: fc.constantFrom<Kind>('active', 'active', 'paused', 'resolved') }), { minLength: 1, maxLength: 6 }),
    // positions and instants asked, as shares of the counted time and of the span (over 1: beyond the end)
    shares: fc.array(fc.double({ min: 0, max: 1.5, noNaN: true }), { minLength: 1, maxLength: 6 }),
    extraMs: fc.integer({ min: 0, max: 30 * DAY }),
    moveAway: fc.boolean(),
  }),
);

describe('segments counting on from their kept window points', () => {
  it(`equal the calendar's openMs and addOpen (${RUNS} random cases, seed ${SEED})`, () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const cal = compileCalendar(c.calendar, 'c');
        // the reference: a calendar of its own, asked directly
        const ref: CompiledCalendar = compileCalendar(c.calendar, 'ref');
        const start = Date.parse(`${c.base}T00:00:00Z`) + c.from;
        const segs = new Segs();
        let t = start;
        let pos = 0;
        for (const s of c.stretches) {
          pos = segs.push(t, t + s.ms, s.kind, pos, cal);
          t += s.ms;
        }
        const end = t;
        // positions: the open time of the active stretches
        let refPos = 0;
        let a = start;
        for (const s of c.stretches) {
          if (s.kind === 'active') refPos += ref.openMs(a, a + s.ms);
          a += s.ms;
        }
        expect(segs.elapsed()).toBe(refPos);
        // the calendar asked elsewhere: its latest window is no longer the one the segments kept
        if (c.moveAway) cal.openMs(start + 900 * DAY, start + 901 * DAY);
        for (const share of c.shares) {
          // the position at an instant
          const at = start + Math.floor((end - start) * share);
          let want = 0;
          for (let i = 0; i < segs.n; i++) {
            const sa = segs.a[i] as number;
            const sb = segs.b[i] as number;
            if (segs.kind[i] === 'active' && at > sa) want += ref.openMs(sa, Math.min(at, sb));
          }
          expect(segs.posAt(at, cal), `posAt(${new Date(at).toISOString()})`).toBe(Math.min(want, segs.elapsed()));
          // the instant a position is reached, within the segments or projected from their end
          const p = Math.floor(refPos * share) + (share > 1 ? c.extraMs : 0);
          let reached: number | null = null;
          let found = false;
          if (p <= 0) {
            reached = start;
            found = true;
          }
          for (let i = 0; i < segs.n && !found; i++) {
            if (segs.kind[i] === 'active' && (segs.posB[i] as number) >= p) {
              reached = ref.addOpen(segs.a[i] as number, p - (segs.posA[i] as number));
              found = true;
            }
          }
          const projected = found ? reached : ref.addOpen(end, p - refPos);
          expect(segs.reach(start, p, cal, end, refPos), `reach(${p}) projected`).toBe(projected);
          expect(segs.reach(start, p, cal, NaN, 0), `reach(${p})`).toBe(found ? reached : null);
          // counting on from the end
          const ms = Math.floor(c.extraMs * share);
          expect(segs.addOpen(end, ms, cal), `addOpen(end, ${ms})`).toBe(ref.addOpen(end, ms));
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
  });

  it('let go of their windows when cleared for the next ticket', () => {
    const cal = compileCalendar({ timezone: 'Europe/Oslo', week: '24x7' }, 'c');
    const segs = new Segs();
    const t = Date.parse('2026-06-01T10:00:00Z');
    cal.openMs(t, t + 3 * DAY); // the calendar's first window
    segs.push(t, t + DAY, 'active', 0, cal);
    segs.push(t + DAY, t + 2 * DAY, 'paused', DAY, cal);
    segs.push(t + 2 * DAY, t + 3 * DAY, 'active', DAY, cal);
    expect(segs.win.filter((w) => w !== null)).toHaveLength(2);
    segs.clear();
    expect(segs.n).toBe(0);
    expect(segs.win.filter((w) => w !== null)).toHaveLength(0);
  });
});
