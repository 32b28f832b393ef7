/**
 * Runs under `dbus-run-session`: the real alert scheduler with the real
 * node-notifier notifier and real timers on a desktop session (Xvfb, dunst,
 * dbus-monitor); prints the Notify calls seen as one JSON line.
 */
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertCandidate, PlanResult } from '../../main/alerts/types.js';
import { NodeNotifier } from '../../main/notify/node-notifier.js';
import { startDesktopSession } from './desktop-session.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const session = await startDesktopSession();
try {
  process.env.DISPLAY = session.env.DISPLAY;
  const dueIn = Number(process.argv[2] ?? '1500');
  const due = Date.now() + dueIn;
  const planner = {
    async plan(ticketId: string, t: number): Promise<PlanResult> {
      const c: AlertCandidate = {
        ticketId,
        caseNumber: 'K7-0042-X',
        target: 'update',
        kind: 'callback_due',
        dueAt: due,
        critical: true,
        text: 'Callback to Hanne Olsen due now (every 4 h while the repair goes on)',
      };
      return t >= due ? { candidates: [c], nextAt: null } : { candidates: [], nextAt: due };
    },
  };
  const scheduler = new AlertScheduler({
    clock: { now: () => Date.now() },
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    planner,
    store: new MemoryAlertStore(),
    notifier: new NodeNotifier(),
    settings: () => DEFAULT_ALERT_SETTINGS,
  });
  await scheduler.start([['t1', due]]);
  const deadline = Date.now() + dueIn + 8000;
  while (Date.now() < deadline && session.calls().length === 0) await sleep(100);
  await sleep(300);
  scheduler.dispose();
  process.stdout.write(JSON.stringify({ dueAt: due, calls: session.calls() }) + '\n');
} finally {
  session.stop();
}
