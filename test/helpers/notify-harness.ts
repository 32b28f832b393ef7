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
import { DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertCandidate, PlanResult } from '../../main/alerts/types.js';
import { criticalFacts, sleep, withDesktopScheduler } from './desktop-alerts.js';

const SPEED = 20;
const MIN = 60_000;
// The clock starts once the session is up (set in the body below).
let realStart = Date.now();
const clock = { now: () => realStart + (Date.now() - realStart) * SPEED };
let dueAt = Infinity;
let overdueAt = Infinity;
const base = { ticketId: 't1', caseNumber: 'K7-0042-X', target: 'update' as const, critical: true };
const planner = {
  async plan(_id: string, t: number): Promise<PlanResult> {
    const candidates: AlertCandidate[] = [];
    if (t >= dueAt) candidates.push({ ...base, kind: 'callback_due', dueAt, text: 'Status callback due' });
    if (t >= overdueAt) candidates.push({ ...base, kind: 'callback_overdue', dueAt: overdueAt, text: 'Status callback was due' });
    return { candidates, nextAt: t < dueAt ? dueAt : t < overdueAt ? overdueAt : null };
  },
};
const deps = {
  clock,
  timers: { setTimeout: (fn: () => void, ms: number) => setTimeout(fn, ms / SPEED), clearTimeout: (h: unknown) => clearTimeout(h as NodeJS.Timeout) },
  planner,
  settings: () => ({ ...DEFAULT_ALERT_SETTINGS, renotifyMinutes: 1 }),
  facts: criticalFacts('update'),
};
await withDesktopScheduler({ clickAction: 'Acknowledge' }, deps, async ({ session, scheduler: sched, notifier, store }) => {
  process.env.DISPLAY = session.env.DISPLAY;
  realStart = Date.now();
  dueAt = clock.now() + MIN;
  overdueAt = dueAt + 10_000;
  notifier.onAction((id, action) => void sched.act(id, action));
  await sched.start([['t1', dueAt]]);
  // Two pop-ups (due, then overdue), then one re-notification a minute later.
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && session.calls().length < 3) await sleep(50);
  await sleep(300);
  const displayedBeforeClick = Number(session.dunstctl('count', 'displayed'));
  session.dunstctl('context');
  const ackDeadline = Date.now() + 5_000;
  while (Date.now() < ackDeadline && (await sched.activeAlerts()).length > 0) await sleep(50);
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
});
