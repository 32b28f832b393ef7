/**
 * A re-notification inside the quiet hours decides which tickets to hold by their priority, read once for
 * all of them, not each ticket's pop-up details (issue 19: with quiet hours on, every re-notification read
 * every ticket's details). Counted on the real services and store worker, timers driven by hand.
 */
import { expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { contractStore } from '../helpers/contract-store.js';
import { MIN, T0, cleanedAfterEach, recordStoreCalls, renotifyRig } from '../helpers/renotify-rig.js';

const N = 40;
const dirs = cleanedAfterEach();

it(`a re-notification of ${N} tickets in the quiet hours reads their priorities once and holds the not critical ones`, async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  const ids = Array.from({ length: N }, (_, i) => reg(`Line ${i} down`));
  // One ticket is critical: its breach goes through the quiet hours.
  store.tickets.update(ids[0]!, { priority: 'critical' });
  // Quiet from 10:03, after the breaches (10:01) were shown, before their re-notification (10:06).
  store.settings.set('alerts', { quietHours: { start: '10:03', end: '12:00', timezone: 'Europe/Copenhagen' } });
  store.close();

  const { services, notifier, advanceTo } = await renotifyRig(clock, tmp.dir);
  try {
    const { scheduler, planner } = services.context;
    await advanceTo(T0 + 61 * MIN);
    expect((await scheduler.activeAlerts()).filter((a) => a.kind === 'breach')).toHaveLength(N);
    const before = notifier.sent.length;

    const calls = recordStoreCalls();
    const facts = vi.spyOn(planner, 'facts');
    await advanceTo(T0 + 67 * MIN);
    vi.restoreAllMocks();
    // The critical ticket's breach re-notifies (on the summary it was on); the others are held until 12:00.
    const again = notifier.sent.slice(before);
    expect(again.map((n) => n.id)).toEqual(['summary']);
    expect(again[0]!.title).toMatch(/\b1\b/);
    const held = (await scheduler.activeAlerts()).filter((a) => a.held);
    expect(held.map((a) => a.ticketId).sort()).toEqual(ids.slice(1).sort());
    // Facts read for the one pop-up shown, not for every ticket to learn its priority.
    expect(facts.mock.calls.length).toBeLessThanOrEqual(1);
    expect(calls.length, calls.join(', ')).toBeLessThan(8);
  } finally {
    await services.dispose();
  }
});
