/**
 * A restart reads from the store only the open alerts the scheduler acts on by itself (issue 19: it read
 * every open alert, 1 s for 44k): the active count, the held ones and a page of each timed index. A
 * ticket's other alerts are read when it is planned, shown or acted on. Counted as alerts read from the
 * real SQLite store, not as time; and every alert still re-notifies, resolves and is acknowledged as before.
 */
import { afterEach, expect, it } from 'vitest';
import { ALERT_PAGE } from '../../main/alerts/alert-cache.js';
import { DbAlertStore } from '../../main/alerts/db-store.js';
import type { NotificationsApi } from '../../main/alerts/db-store.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { alertKey, DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertRecord } from '../../db/repos/notifications.js';
import type { PlanResult } from '../../main/alerts/types.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { cleanupTempDirs, testStore } from '../db/helpers.js';
import { FakeTimers } from '../helpers/fake-timers.js';

afterEach(cleanupTempDirs);

const MIN = 60_000;
const N = 3000;

/**
 * Open alerts of N tickets: a third critical and shown 1-4 min ago (re-notified every 5 min), a third
 * acknowledged, a sixth snoozed for 20 min, a sixth shown and not critical (pops up no more by itself);
 * and 3 held back by the quiet hours.
 */
function openAlerts(T0: number): AlertRecord[] {
  const out = Array.from({ length: N }, (_, i): AlertRecord => {
    const critical = i % 3 === 0;
    return {
      ticketId: `o${i}`,
      caseNumber: `C-${i}`,
      target: 'resolution',
      kind: 'breach',
      dueAt: T0 - 60 * MIN,
      critical,
      text: 'Resolution overdue',
      state: i % 3 === 1 ? 'acked' : 'active',
      raisedAt: T0 - 60 * MIN,
      notifiedAt: T0 - (1 + (i % 4)) * MIN,
      snoozedUntil: i % 6 === 2 ? T0 + 20 * MIN : null,
      held: false,
      closedAt: i % 3 === 1 ? T0 - MIN : null,
    };
  });
  for (let i = 0; i < 3; i++) out.push({ ...out[2]!, ticketId: `h${i}`, caseNumber: `H-${i}`, critical: false, notifiedAt: null, snoozedUntil: null, held: true });
  return out;
}

it('a restart reads only the alerts that need a timer, a page at a time; the others come with their ticket, and all behave as before', async () => {
  const { store, clock } = testStore();
  const T0 = clock.now();
  const stored = openAlerts(T0);
  store.notifications.recordAlerts(stored);
  const active = stored.filter((a) => a.state === 'active');
  const needTimer = active.filter((a) => a.held || a.snoozedUntil !== null || (a.critical && a.notifiedAt !== null));
  // Every alert the store hands the scheduler is counted.
  let read = 0;
  const n = store.notifications;
  const counted = <T extends AlertRecord[]>(r: T): T => ((read += r.length), r);
  const api: NotificationsApi = {
    loadOpen: () => counted(n.loadOpen()),
    active: () => counted(n.active()),
    startup: () => {
      const s = n.startup();
      counted(s.held);
      counted(s.unshown);
      return s;
    },
    openOf: (ids) => counted(n.openOf(ids)),
    timed: (index, after, limit) => {
      const page = n.timed(index, after, limit);
      counted(page.alerts);
      return page;
    },
    recordAlerts: (a) => n.recordAlerts(a),
    renotified: (st, a) => n.renotified(st, a),
    updateAlerts: (a, durable) => n.updateAlerts(a, durable),
  };
  const planner = {
    async plan(id: string, now: number): Promise<PlanResult> {
      if (id !== 'x') return { candidates: [], nextAt: null };
      return { candidates: [{ ticketId: 'x', caseNumber: 'C-X', target: 'response', kind: 'callback_due', dueAt: now, critical: false, text: 'Callback due' }], nextAt: now + 60 * MIN };
    },
  };
  const timers = new FakeTimers(clock);
  const notifier = new MemoryNotifier();
  const counts: number[] = [];
  const sched = new AlertScheduler({
    clock,
    timers,
    planner,
    store: new DbAlertStore(api),
    notifier,
    settings: () => DEFAULT_ALERT_SETTINGS,
    onActiveChanged: (c) => counts.push(c),
  });
  const settle = () => sched.idle();

  await sched.start([]);
  await settle();
  // The walk of every open alert read 3,003 of them; the timers need 1,503; a start reads the held ones and a page of each
  // index, and the held ones' tickets again as it shows them (no quiet hours now).
  expect(read).toBeLessThanOrEqual(needTimer.length);
  expect(read).toBeLessThanOrEqual(2 * ALERT_PAGE + 2 * 3);
  expect(sched.loadedAlerts).toBe(2 * ALERT_PAGE + 3);
  expect(notifier.sent.map((s) => s.id)).toEqual(['summary']);
  notifier.sent.length = 0;
  // The critical alerts shown 4 min ago re-notify first, at T0 + 1 min.
  expect(sched.nextWakeAt).toBe(T0 + MIN);

  // A change: one new alert, and the count is of every active alert in the store.
  read = 0;
  await sched.ticketChanged('x');
  expect(notifier.sent.map((s) => s.id)).toEqual(['ticket|x']);
  expect(counts.at(-1)).toBe(active.length + 1);
  expect(read).toBe(0);
  expect(await sched.activeAlerts()).toHaveLength(active.length + 1);

  // Planning a ticket whose stored alert was not read: it is read with it, and resolved when its cause went away.
  await sched.ticketChanged('o5');
  expect(n.openOf(['o5'])).toEqual([]);
  expect(counts.at(-1)).toBe(active.length);
  // Acknowledging an alert not read yet (critical, shown 1 min ago: past the first page).
  const late = stored.find((a) => a.critical && a.notifiedAt === T0 - MIN)!;
  expect(await sched.acknowledge(alertKey(late as never))).toBe(true);
  expect(n.openOf([late.ticketId])).toMatchObject([{ state: 'acked' }]);
  expect(counts.at(-1)).toBe(active.length - 1);

  // Every critical alert still re-notifies 5 min after its last pop-up, the pages read as the clock gets there.
  await timers.advanceTo(T0 + 4 * MIN + 1, settle);
  const critical = n.active().filter((a) => a.critical && !a.held && a.snoozedUntil === null);
  expect(critical.length).toBe(needTimer.filter((a) => a.critical).length - 1);
  expect(critical.filter((a) => (a.notifiedAt as number) < T0)).toEqual([]);
  // The snoozed ones come back at the end of their snooze.
  await timers.advanceTo(T0 + 20 * MIN, settle);
  expect(n.active().filter((a) => a.snoozedUntil !== null)).toEqual([]);
  const snoozed = new Set(stored.filter((a) => a.snoozedUntil !== null).map((a) => a.ticketId));
  expect(n.openOf([...snoozed]).filter((a) => a.notifiedAt === T0 + 20 * MIN)).toHaveLength(N / 6);
  sched.dispose();
  store.close();
});
