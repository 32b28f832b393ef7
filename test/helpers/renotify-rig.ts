/** The real services on a store made by contractStore(), timers driven by hand, and a count of the store calls made (re-notification tests). */
import { afterEach, vi } from 'vitest';
import type { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { FakeTimers } from './fake-timers.js';

export async function renotifyRig(clock: ManualClock, dataDir: string) {
  const timers = new FakeTimers(clock);
  const notifier = new MemoryNotifier();
  const services = await createServices({ clock, notifier, dataDir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false, timers, log: () => {} });
  const settle = () => services.context.scheduler.idle();
  await settle();
  return { services, timers, notifier, settle, advanceTo: (t: number) => timers.advanceTo(t, settle) };
}

/** Records the path of every store call made through the worker from now until vi.restoreAllMocks() (and shows each to `seen`). */
export function recordStoreCalls(seen?: (path: string, args: unknown[]) => void): string[] {
  const calls: string[] = [];
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    calls.push(path);
    seen?.(path, args ?? []);
    return call.call(this, path, args);
  });
  return calls;
}

/** Monday 30 March 2026 09:00 in Copenhagen, and a minute. */
export const T0 = Date.UTC(2026, 2, 30, 7, 0);
export const MIN = 60_000;

/** The temporary directories a test adds to, removed (and the spies restored) after each test. */
export function cleanedAfterEach(): { cleanup(): void }[] {
  const dirs: { cleanup(): void }[] = [];
  afterEach(() => {
    vi.restoreAllMocks();
    dirs.splice(0).forEach((d) => d.cleanup());
  });
  return dirs;
}
