/**
 * Detects, in the plain Node shell, what Electron's powerMonitor reports in
 * the desktop app: the machine slept and woke, the wall clock was set, or the
 * time zone changed. A light heartbeat (default every 15 s, unref'd) compares
 * wall-clock time with the monotonic clock, which stops during suspend.
 * It is not a polling loop for alerts: it only tells the scheduler to re-plan.
 */
import type { Disposable } from '../../core/lifecycle.js';

export type ClockEvent = 'resume' | 'clock' | 'timezone';

export interface ClockWatchDeps {
  wallNow: () => number;
  monoNow: () => number;
  zone: () => string;
  setInterval: (fn: () => void, ms: number) => unknown;
  clearInterval: (h: unknown) => void;
}

export const systemClockWatchDeps: ClockWatchDeps = {
  wallNow: () => Date.now(),
  monoNow: () => performance.now(),
  zone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
  setInterval: (fn, ms) => {
    const h = setInterval(fn, ms);
    h.unref();
    return h;
  },
  clearInterval: (h) => clearInterval(h as NodeJS.Timeout),
};

export function watchClock(onEvent: (e: ClockEvent, skewMs: number) => void, deps: ClockWatchDeps = systemClockWatchDeps, everyMs = 15_000, toleranceMs = 5_000): Disposable {
  let wall = deps.wallNow();
  let mono = deps.monoNow();
  let zone = deps.zone();
  const handle = deps.setInterval(() => {
    const w = deps.wallNow();
    const m = deps.monoNow();
    const z = deps.zone();
    const skew = w - wall - (m - mono);
    wall = w;
    mono = m;
    if (z !== zone) {
      zone = z;
      onEvent('timezone', skew);
    } else if (skew > toleranceMs) onEvent('resume', skew);
    else if (skew < -toleranceMs) onEvent('clock', skew);
  }, everyMs);
  return { dispose: () => deps.clearInterval(handle) };
}
