/** The real services on a store made by contractStore(), timers driven by hand, and a count of the store calls made (re-notification tests). */
import { vi } from 'vitest';
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

/** Records the path of every store call made through the worker from now until vi.restoreAllMocks(). */
export function recordStoreCalls(): string[] {
  const calls: string[] = [];
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    calls.push(path);
    return call.call(this, path, args);
  });
  return calls;
}
