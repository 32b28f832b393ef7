/**
 * The re-notification of unacknowledged critical alerts costs what its one summary pop-up names, not a
 * store round trip per ticket (issue 19, idle CPU: with 44k open breach alerts every 5-minute
 * re-notification read each ticket's pop-up facts and asked `oncall.elsewhere` once per ticket, 9 s of
 * CPU, 3 % of a core at idle). Counted on the real services and store worker, timers driven by hand.
 */
import { expect, it, vi } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { contractStore } from '../helpers/contract-store.js';
import { MIN, T0, cleanedAfterEach, recordStoreCalls, renotifyRig } from '../helpers/renotify-rig.js';

const N = 40;
const dirs = cleanedAfterEach();

it(`re-notifying ${N} tickets' breaches reads the facts of the summary's named tickets only, and asks for acks elsewhere once`, async () => {
  const clock = new ManualClock(T0);
  const { tmp, store, reg } = contractStore(clock);
  dirs.push(tmp);
  for (let i = 0; i < N; i++) reg(`Line ${i} down`);
  store.close();

  const { services, notifier, advanceTo } = await renotifyRig(clock, tmp.dir);
  try {
    const { scheduler, planner } = services.context;
    // Past every ticket's 1 h response deadline: N breach alerts (critical), shown in one summary.
    await advanceTo(T0 + 61 * MIN);
    const breaches = (await scheduler.activeAlerts()).filter((a) => a.kind === 'breach');
    expect(breaches).toHaveLength(N);
    const before = notifier.sent.length;

    const calls = recordStoreCalls();
    const facts = vi.spyOn(planner, 'facts');
    // Their re-notification (every 5 min, unacknowledged): one summary pop-up again.
    await advanceTo(T0 + 67 * MIN);
    vi.restoreAllMocks();
    const again = notifier.sent.slice(before);
    expect(again.map((n) => n.id)).toEqual(['summary']);
    expect(again[0]!.title).toContain(String(N));
    // The summary names 8 (text.ts); the others are counted, their facts not read.
    expect(facts.mock.calls.length).toBeLessThanOrEqual(8);
    expect(calls.filter((p) => p === 'oncall.elsewhere')).toHaveLength(1);
    expect(calls.length, calls.join(', ')).toBeLessThan(N);
  } finally {
    await services.dispose();
  }
});
