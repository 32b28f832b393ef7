/**
 * A pass sends its resolved alerts' write and its new alerts' write together (one round trip, docs/alerts.md).
 * When the first fails, the alert it raised is stored: it must still be shown then, and the resolved ones
 * stay active until their ticket is planned again, when they are resolved again.
 */
import { expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { Alert, PlanResult } from '../../main/alerts/types.js';
import { schedulerRig } from '../helpers/scheduler-rig.js';

const T0 = Date.UTC(2026, 2, 30, 8, 0);
const MIN = 60_000;

it('a pass whose resolved alerts cannot be stored still shows the alert it raised, and resolves them at the next plan', async () => {
  const clock = new ManualClock(T0);
  let kind: 'response_warning' | 'breach' = 'response_warning';
  const planner = {
    plan: async (id: string): Promise<PlanResult> => ({
      candidates: [{ ticketId: id, caseNumber: 'C-1', target: 'response', kind, dueAt: T0 + (kind === 'breach' ? 0 : 60 * MIN), critical: kind === 'breach', text: kind }],
      nextAt: null,
    }),
  };
  const logged: string[] = [];
  const { sched, store, notifier } = schedulerRig({ clock, planner, log: (m) => logged.push(m) });
  await sched.start([['t1', T0]]);
  expect((await store.active()).map((a) => a.kind)).toEqual(['response_warning']);

  // The warning gives way to a breach; storing the resolved warning fails once.
  const update = store.update.bind(store);
  let fail = true;
  store.update = async (alerts: Alert[]) => {
    if (fail && alerts.some((a) => a.state === 'resolved')) {
      fail = false;
      throw new Error('disk I/O error');
    }
    return update(alerts);
  };
  kind = 'breach';
  const shown = notifier.sent.length;
  await sched.ticketChanged('t1');
  await sched.idle();
  expect(notifier.sent.length).toBe(shown + 1);
  expect(notifier.sent.at(-1)?.body).toContain('deadline passed');
  expect(logged.some((m) => m.includes('could not store 1 resolved alert'))).toBe(true);
  const open = await store.loadOpen();
  expect(open.filter((a) => a.kind === 'breach').map((a) => [a.state, a.notifiedAt])).toEqual([['active', T0]]);
  expect(open.some((a) => a.kind === 'response_warning')).toBe(true);

  // Planned again: the warning is resolved now.
  await sched.ticketChanged('t1');
  await sched.idle();
  expect((await store.loadOpen()).map((a) => a.kind)).toEqual(['breach']);
});
