/**
 * Runs the visit planner (main/agreements/visits.ts): at start, every hour,
 * and when sync brings a changed contract. Each run creates the visits whose
 * notice time has come; it is idempotent, so runs may overlap devices.
 */
import type { Disposable } from '../../core/lifecycle.js';
import type { Timers } from '../alerts/types.js';
import type { AppContext } from '../app/context.js';
import { planVisits } from './visits.js';

const HOUR = 3_600_000;

export interface VisitPlanning extends Disposable {
  /** Runs now (after any run in progress); resolves when done. */
  run(): Promise<void>;
}

export function startVisitPlanning(ctx: AppContext, timers: Timers, everyMs = HOUR): VisitPlanning {
  let chain: Promise<void> = Promise.resolve();
  let handle: unknown = null;
  let disposed = false;
  const once = async () => {
    try {
      const made = await planVisits(ctx);
      if (made.length) await ctx.ticketsChanged(made.map((m) => m.ticket.id));
    } catch (e) {
      ctx.log('maintenance: planning visits failed', e);
    }
  };
  const run = () => (chain = chain.then(once));
  const tick = () => {
    if (disposed) return;
    handle = timers.setTimeout(() => {
      void run().then(tick);
    }, everyMs);
  };
  tick();
  const sub = ctx.events.on((e) => {
    if (e.name === 'records.changed' && (e.payload as { kinds?: string[] }).kinds?.includes('contract')) void run();
  });
  return {
    run,
    dispose() {
      disposed = true;
      if (handle !== null) timers.clearTimeout(handle);
      sub.dispose();
    },
  };
}
