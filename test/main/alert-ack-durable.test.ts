/**
 * The scheduler's own alert writes (raised, shown) skip the fsync (db/repos/no-fsync.ts); a person's
 * acknowledgement or snooze does not: it is on disk when the click is answered, so a power loss right
 * after it cannot bring the alert back. Checked on the real SQLite store, by the flag each write carried.
 */
import { afterEach, expect, it } from 'vitest';
import { DbAlertStore } from '../../main/alerts/db-store.js';
import type { NotificationsApi } from '../../main/alerts/db-store.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { alertKey, DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { PlanResult } from '../../main/alerts/types.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { cleanupTempDirs, testStore } from '../db/helpers.js';
import { FakeTimers } from '../helpers/fake-timers.js';

afterEach(cleanupTempDirs);

it("a person's acknowledgement and snooze are written durably; the scheduler's own marks are not", async () => {
  const { store, clock } = testStore();
  const n = store.notifications;
  const writes: boolean[] = [];
  const api: NotificationsApi = {
    loadOpen: () => n.loadOpen(),
    active: () => n.active(),
    startup: () => n.startup(),
    openOf: (ids) => n.openOf(ids),
    timed: (index, after, limit) => n.timed(index, after, limit),
    recordAlerts: (a) => n.recordAlerts(a),
    renotified: (st, a) => n.renotified(st, a),
    updateAlerts: (a, durable) => {
      writes.push(durable === true);
      n.updateAlerts(a, durable);
    },
  };
  const planner = {
    async plan(id: string, now: number): Promise<PlanResult> {
      return { candidates: [{ ticketId: id, caseNumber: `C-${id}`, target: 'response', kind: 'callback_due', dueAt: now, critical: true, text: 'Callback due' }], nextAt: null };
    },
  };
  const sched = new AlertScheduler({
    clock,
    timers: new FakeTimers(clock),
    planner,
    store: new DbAlertStore(api),
    notifier: new MemoryNotifier(),
    settings: () => DEFAULT_ALERT_SETTINGS,
  });
  await sched.start([]);
  await sched.ticketChanged('a');
  await sched.ticketChanged('b');
  await sched.idle();
  // Raised and shown: the scheduler's marks only.
  expect(writes.length).toBeGreaterThan(0);
  expect(writes.every((d) => !d)).toBe(true);
  const [a, b] = await sched.activeAlerts();
  writes.length = 0;
  expect(await sched.acknowledge(alertKey(a!))).toBe(true);
  expect(await sched.snooze(alertKey(b!), 10)).toBe(true);
  expect(writes).toEqual([true, true]);
  expect(
    n
      .openOf(['a', 'b'])
      .map((x) => x.state)
      .sort(),
  ).toEqual(['acked', 'active']);
  sched.dispose();
});
