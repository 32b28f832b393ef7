/**
 * The machine's clock and timers, once: what the hosts (main/, server/, the
 * CLI) inject where a Clock or Timers is wanted. The one file of db/ that may
 * read the wall clock (eslint.config.js); db/ itself still takes the injected one.
 */
import type { Clock, Timers } from '../core/clock.js';

export const systemClock: Clock = { now: () => Date.now() };

/** Real timers; unref'd, so that a pending timer alone does not keep a process alive. */
export const systemTimers: Timers = {
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref?.();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
