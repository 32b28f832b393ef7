/**
 * Runs under `dbus-run-session`: the real alert scheduler with the real D-Bus
 * notifier and real timers on a desktop session (Xvfb, dunst, dbus-monitor).
 * Time runs 20x fast (one minute in 3 s: clock and timers scaled alike), so a
 * re-notification after 1 minute comes within seconds.
 *
 * One critical ticket: "callback due" at +1 min, then its "callback overdue"
 * 10 s (0.5 s real) later, re-notified a minute after; then the harness
 * clicks Acknowledge on the pop-up with `dunstctl context` (dunst's menu picks
 * "Acknowledge"). Prints the Notify calls, the ActionInvoked signals, what
 * dunst displayed, and the stored alerts as one JSON line.
 */
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { MemoryAlertStore } from '../../main/alerts/memory-store.js';
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertCandidate, AlertFacts, PlanResult } from '../../main/alerts/types.js';
import { DbusNotifier } from '../../main/notify/dbus.js';
import { startDesktopSession } from './desktop-session.js';

const SPEED = 20;
const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const session = await startDesktopSession({ clickAction: 'Acknowledge' });
const notifier = new DbusNotifier((m, e) => process.stderr.write(`${m} ${String(e)}\n`));
let scheduler: AlertScheduler | null = null;
try {
  process.env.DISPLAY = session.env.DISPLAY;
  const realStart = Date.now();
  const clock = { now: () => realStart + (Date.now() - realStart) * SPEED };
  const start = clock.now();
  const dueAt = start + MIN;
  const overdueAt = dueAt + 10_000;
  const base = { ticketId: 't1', caseNumber: 'K7-0042-X', target: 'update' as const, critical: true };
  const planner = {
    async plan(_id: string, t: number): Promise<PlanResult> {
      const candidates: AlertCandidate[] = [];
      if (t >= dueAt) candidates.push({ ...base, kind: 'callback_due', dueAt, text: 'Status callback due' });
      if (t >= overdueAt) candidates.push({ ...base, kind: 'callback_overdue', dueAt: overdueAt, text: 'Status callback was due' });
      return { candidates, nextAt: t < dueAt ? dueAt : t < overdueAt ? overdueAt : null };
    },
  };
  const facts: AlertFacts = {
    customer: 'Hansen Transport A/S',
    title: 'Mobilnettet er nede i hele huset',
    contactName: 'Hanne Olsen',
    contactPhone: '+45 72 12 00 00',
    zones: { update: 'Europe/Copenhagen' },
    criticalTicket: true,
  };
  const store = new MemoryAlertStore();
  scheduler = new AlertScheduler({
    clock,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms / SPEED), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    planner,
    store,
    notifier,
    settings: () => ({ ...DEFAULT_ALERT_SETTINGS, renotifyMinutes: 1 }),
    facts: async () => facts,
    timezone: () => 'UTC',
  });
  const sched = scheduler;
  notifier.onAction((id, action) => void sched.act(id, action));
  await sched.start([['t1', dueAt]]);
  // Two pop-ups (due, then overdue), then one re-notification a minute later.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && session.calls().length < 3) await sleep(50);
  await sleep(300);
  const displayedBeforeClick = Number(session.dunstctl('count', 'displayed'));
  session.dunstctl('context');
  const ackDeadline = Date.now() + 5_000;
  while (Date.now() < ackDeadline && sched.activeAlerts().length > 0) await sleep(50);
  await sched.idle();
  await sleep(500);
  const displayedAfterAck = Number(session.dunstctl('count', 'displayed'));
  process.stdout.write(
    JSON.stringify({
      calls: session.calls(),
      actions: session.actions(),
      displayedBeforeClick,
      displayedAfterAck,
      stored: [...store.all.values()].map((a) => ({ kind: a.kind, state: a.state })),
    }) + '\n',
  );
} finally {
  scheduler?.dispose();
  notifier.dispose();
  session.stop();
}
