/**
 * A scheduler pass after one change that raises and shows an alert waits for few store-worker round
 * trips one after another (issue 19): what rarely changes (enrolment, this user, the rotas) is kept in
 * the main thread, and what the pop-up needs is read together with the alert's write. Counted on the
 * real services and store worker: a round trip starts when a call is made while no other is awaited.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { StoreClient } from '../../db/client.js';
import { createServices } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

/** Wraps StoreClient.call: the paths called, and how many were made while no other call was awaited. */
function countRoundTrips() {
  const calls: string[] = [];
  let pending = 0;
  let sequential = 0;
  const call = StoreClient.prototype.call;
  vi.spyOn(StoreClient.prototype, 'call').mockImplementation(function (this: StoreClient, path: string, args?: unknown[]) {
    calls.push(path);
    if (pending === 0) sequential++;
    pending++;
    return call.call(this, path, args).finally(() => pending--);
  });
  return { calls, sequential: () => sequential };
}

it('a pass that raises and shows an alert makes at most 3 sequential store round trips', async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  const [first, id] = [reg('Router down'), reg('Fibre down')];
  store.close();

  const notifier = new MemoryNotifier();
  const services = await createServices({ clock, notifier, dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const scheduler = services.context.scheduler;
    await scheduler.idle();
    // Past the 75 % warning of the 1 h response (45 min), before its deadline.
    clock.advance(50 * 60_000);
    // A pass before, which reads what the process reads once (the enrolment, this user, the rotas): the next one is counted.
    await scheduler.ticketChanged(first);
    const count = countRoundTrips();
    await scheduler.ticketChanged(id);
    vi.restoreAllMocks();
    const shown = notifier.sent.filter((n) => n.id === `ticket|${id}`);
    expect(shown).toHaveLength(1);
    expect(shown[0]!.title).toContain('Fjordkraft A/S');
    expect((await scheduler.activeAlerts()).filter((a) => a.ticketId === id).map((a) => a.kind)).toEqual(['response_warning']);
    expect(count.sequential(), count.calls.join(', ')).toBeLessThanOrEqual(3);
  } finally {
    await services.dispose();
  }
});
