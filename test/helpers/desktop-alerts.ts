/**
 * The D-Bus harnesses' one set-up (notify-harness.ts, notify-screenshot-harness.ts): a desktop
 * session (Xvfb, dunst), the real D-Bus notifier and the real alert scheduler over a scripted
 * planner and one critical ticket's facts; all of it stopped after `body`.
 */
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import type { SchedulerDeps } from '../../main/alerts/scheduler.js';
import type { AlertFacts, AlertTarget } from '../../main/alerts/types.js';
import { DbusNotifier } from '../../main/notify/dbus.js';
import { startDesktopSession } from './desktop-session.js';
import type { DesktopSession } from './desktop-session.js';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The critical ticket every harness alert is about, its deadline `target` in Copenhagen time. */
export function criticalFacts(target: AlertTarget): AlertFacts {
  return {
    customer: 'Hansen Transport A/S',
    title: 'Mobilnettet er nede i hele huset',
    contactName: 'Hanne Olsen',
    contactPhone: '+45 72 12 00 00',
    zones: { [target]: 'Europe/Copenhagen' },
    criticalTicket: true,
  };
}

export async function withDesktopScheduler<T>(
  session: Parameters<typeof startDesktopSession>[0],
  deps: Pick<SchedulerDeps, 'clock' | 'timers' | 'planner' | 'settings'> & { facts: AlertFacts },
  body: (x: { session: DesktopSession; scheduler: AlertScheduler; notifier: DbusNotifier; store: MemoryAlertStore }) => Promise<T>,
): Promise<T> {
  const s = await startDesktopSession(session);
  const notifier = new DbusNotifier((m, e) => process.stderr.write(`${m} ${String(e)}\n`));
  const store = new MemoryAlertStore();
  const scheduler = new AlertScheduler({ ...deps, store, notifier, facts: async () => deps.facts, timezone: () => 'UTC' });
  try {
    return await body({ session: s, scheduler, notifier, store });
  } finally {
    scheduler.dispose();
    notifier.dispose();
    s.stop();
  }
}
