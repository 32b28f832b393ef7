/** The alert scheduler on a manual clock and fake timers, as the scheduler tests build it (test/main/scheduler.test.ts, alerts-storm.test.ts). */
import type { ManualClock } from '../../core/clock.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import type { SchedulerDeps } from '../../main/alerts/scheduler.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertSettings } from '../../main/alerts/types.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { FakeTimers } from './fake-timers.js';

type Extra = Omit<SchedulerDeps, 'clock' | 'timers' | 'planner' | 'store' | 'notifier' | 'settings'>;

/** A scheduler over `planner` with the default alert settings overridden by `settings`; `settle` waits until it is idle. */
export function schedulerRig<P extends SchedulerDeps['planner']>(o: { clock: ManualClock; planner: P; settings?: Partial<AlertSettings>; store?: MemoryAlertStore } & Extra) {
  const { clock, planner, settings = {}, store = new MemoryAlertStore(), ...extra } = o;
  const timers = new FakeTimers(clock);
  const notifier = new MemoryNotifier();
  const sched = new AlertScheduler({ clock, timers, planner, store, notifier, settings: () => ({ ...DEFAULT_ALERT_SETTINGS, ...settings }), ...extra });
  const settle = () => sched.idle();
  return { clock, timers, planner, notifier, store, sched, settle };
}
