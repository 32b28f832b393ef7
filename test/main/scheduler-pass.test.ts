/**
 * A scheduler pass reads the open alerts it needs, not all of them (issue 19: with 44k open breach alerts
 * a pass after one change took p95 935 ms, because `show` and `arm` walked every open alert). The pass
 * after one change must not touch the thousands of alerts it has nothing to do with; counted as reads of
 * the alerts' fields, not as time. The re-notifications those indexes hold still come at their instants.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { alertKey } from '../../main/alerts/types.js';
import type { Alert, PlanResult } from '../../main/alerts/types.js';
import { schedulerRig } from '../helpers/scheduler-rig.js';

const T0 = Date.UTC(2026, 2, 30, 8, 0);
const MIN = 60_000;
const N = 5000;

/** Open alerts of N other tickets: critical ones shown at spread instants (re-notified every 5 min), acknowledged ones, and snoozed ones. */
function openAlerts(): Alert[] {
  return Array.from({ length: N }, (_, i): Alert => {
    const c = { ticketId: `o${i}`, caseNumber: `C-${i}`, target: 'resolution' as const, kind: 'breach' as const, dueAt: T0 - 60 * MIN, critical: i % 3 !== 2, text: 'Resolution overdue' };
    return {
      ...c,
      key: alertKey(c),
      state: i % 3 === 1 ? 'acked' : 'active',
      raisedAt: T0 - 60 * MIN,
      // shown 1..4 min ago: re-notified 1..4 min from now; alert 0 (shown 4 min 30 s ago) comes first
      notifiedAt: i === 0 ? T0 - 4.5 * MIN : T0 - (1 + (i % 4)) * MIN,
      snoozedUntil: i % 3 === 2 ? T0 + (20 + (i % 7)) * MIN : null,
      held: false,
      closedAt: i % 3 === 1 ? T0 - MIN : null,
    };
  });
}

it('a pass after one change reads a handful of the 5,000 open alerts, and the indexed re-notifications still come at their instants', async () => {
  const clock = new ManualClock(T0);
  const store = new MemoryAlertStore();
  for (const a of openAlerts()) store.all.set(a.key, a);
  // Every field read of a loaded alert is counted.
  let reads = 0;
  const load = store.loadOpen.bind(store);
  store.loadOpen = async () => (await load()).map((a) => new Proxy(a, { get: (t, p, r) => (reads++, Reflect.get(t, p, r)) }));
  const planner = {
    async plan(id: string, now: number): Promise<PlanResult> {
      if (id !== 'x') return { candidates: [], nextAt: null };
      return { candidates: [{ ticketId: 'x', caseNumber: 'C-X', target: 'response', kind: 'callback_due', dueAt: now, critical: false, text: 'Callback due' }], nextAt: now + 60 * MIN };
    },
  };
  const { sched, notifier, timers, settle } = schedulerRig({ clock, planner, store });
  await sched.start([]);
  await settle();
  // Alert 0 was shown at T0 - 4.5 min: it is re-notified first, at T0 + 30 s.
  expect(sched.nextWakeAt).toBe(T0 + 30_000);

  reads = 0;
  await sched.ticketChanged('x');
  expect(notifier.sent.map((n) => n.id)).toEqual(['ticket|x']);
  // Walking every open alert read each of them (>= 5,000 reads); the indexes read only the due ones.
  expect(reads).toBeLessThan(100);
  expect(sched.nextWakeAt).toBe(T0 + 30_000);

  // The re-notification of alert 0 comes at its instant, then the others a minute apart.
  notifier.sent.length = 0;
  await timers.advanceTo(T0 + 30_000, settle);
  expect(notifier.sent.map((n) => n.id)).toEqual(['ticket|o0']);
  expect(sched.nextWakeAt).toBe(T0 + MIN);
});
