/**
 * A start where many wake-ups passed (issue 19: thousands on the 100k store took 10-13 s to the first
 * queue page): the services are ready, and a desk request is answered, while that planning goes on a
 * page at a time; the first page's alerts are raised and shown before. Counts planner calls, not time.
 */
import { afterEach, expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createServices } from '../../main/app/services.js';
import { SlaPlanner } from '../../main/alerts/planner.js';
import { CATCH_UP_PAGE } from '../../main/alerts/catch-up.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { contractStore } from '../helpers/contract-store.js';
import { dispatchOk } from '../helpers/services.js';

const T0 = Date.UTC(2026, 2, 30, 7, 0); // Monday 09:00 in Copenhagen
const N = 600;
const dirs: { cleanup(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  dirs.splice(0).forEach((d) => d.cleanup());
});

it('a start with hundreds of tickets to plan is ready, and answers the queue, before that planning ends', async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  for (let i = 0; i < N; i++) reg(`Ticket ${i}`);
  store.close();
  // Past every ticket's 75 % response warning: each is planned at start and raises an alert.
  clock.advance(50 * 60_000);

  const plan = vi.spyOn(SlaPlanner.prototype, 'plan');
  const notifier = new MemoryNotifier();
  // Planner calls made when each summary pop-up went out.
  const summaries: number[] = [];
  const notify = notifier.notify.bind(notifier);
  vi.spyOn(notifier, 'notify').mockImplementation((n) => {
    if (n.id === 'summary') summaries.push(plan.mock.calls.length);
    return notify(n);
  });
  const services = await createServices({ clock, notifier, dataDir: tmp.dir, host: 'browser', timezone: 'Europe/Copenhagen', clockWatch: false });
  try {
    const atReady = plan.mock.calls.length;
    // The first page is planned before the start is done; its alerts are shown (one summary) in the step after it,
    // before the second page is planned, so the start does not wait for that summary.
    expect(atReady).toBeGreaterThan(0);
    expect(atReady).toBeLessThan(N);
    // Before: the first page's summary (its routing, its stamps: 12,800 alerts on the upgrade start) came before the start was done.
    expect(summaries).toEqual([]);
    const queue = await dispatchOk(services, 'desk.queue', { limit: 200 });
    const atAnswer = plan.mock.calls.length;
    expect(queue.items.length).toBe(200);
    expect(atAnswer).toBeLessThan(N);
    // The rest follows; every ticket planned once, every alert raised.
    await services.context.scheduler.idle();
    expect(plan.mock.calls.length).toBe(N);
    expect(summaries).toEqual([CATCH_UP_PAGE, N]);
    expect((await services.context.scheduler.activeAlerts()).length).toBe(N);
  } finally {
    await services.dispose();
  }
});
