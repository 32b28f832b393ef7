/**
 * Runs under `dbus-run-session`: device B's side of "acks and snoozes follow
 * the person" (docs/alerts.md), for real: the alert scheduler over a real
 * SQLite store and the real D-Bus notifier on a desktop session (Xvfb, dunst).
 *
 * B (enrolled as Ola) shows two critical pop-ups. Then a pull brings what
 * other devices did: Kari acknowledged t1's alert, Ola snoozed t2's on his
 * other device. The pull's re-check (as main/app/services.ts runs it) must
 * take both pop-ups off B's screen. Prints what dunst displayed before and
 * after, the alerts' states, and what B would send, as one JSON line.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../../db/system-time.js';
import { openStore } from '../../db/store.js';
import { DbAlertStore } from '../../main/alerts/db-store.js';
import { AlertScheduler } from '../../main/alerts/scheduler.js';
import { alertKey, DEFAULT_ALERT_SETTINGS } from '../../main/alerts/types.js';
import type { AlertCandidate, PlanResult } from '../../main/alerts/types.js';
import { DbusNotifier } from '../../main/notify/dbus.js';
import { sampleContract } from '../db/helpers.js';
import { startDesktopSession } from './desktop-session.js';

const MIN = 60_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const until = async (ok: () => boolean, ms: number) => {
  const end = Date.now() + ms;
  while (Date.now() < end && !ok()) await sleep(50);
};
const session = await startDesktopSession();
const notifier = new DbusNotifier((m, e) => process.stderr.write(`${m} ${String(e)}\n`));
const dir = mkdtempSync(join(tmpdir(), 'vakt-follow-'));
const store = openStore({ dataDir: dir, clock: systemClock });
let scheduler: AlertScheduler | null = null;
try {
  process.env.DISPLAY = session.env.DISPLAY;
  store.sync.enrol({ serverUrl: 'http://127.0.0.1:1', tenantId: 'tn', deviceId: 'dev-b', role: 'technician', casePrefix: 'B7', userId: 'ola' });
  const cust = store.customers.createCustomer({ name: 'Hansen Transport A/S' });
  const contract = store.customers.createContract(sampleContract(cust.id, { intakeFields: [] }));
  const reg = () => store.tickets.register({ customerId: cust.id, contractId: contract.id, channel: 'phone', policy: 'normal', description: 'Router nede' });
  const ids = { t1: reg().id, t2: reg().id } as Record<string, string>;
  const dueAt = Date.now() + 300;
  const cand = (name: string): AlertCandidate => ({
    ticketId: ids[name] ?? name,
    caseNumber: `B7-000${name.slice(1)}`,
    target: 'response',
    kind: 'breach',
    dueAt,
    critical: true,
    text: 'Response deadline passed',
  });
  const nameOf = (id: string) => Object.keys(ids).find((k) => ids[k] === id) ?? id;
  const planner = { plan: async (id: string, t: number): Promise<PlanResult> => ({ candidates: t >= dueAt ? [cand(nameOf(id))] : [], nextAt: t < dueAt ? dueAt : null }) };
  const alerts = new DbAlertStore(store.notifications);
  const sched = new AlertScheduler({
    clock: systemClock,
    timers: { setTimeout: (fn, ms) => setTimeout(fn, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) },
    planner,
    store: alerts,
    notifier,
    settings: () => ({ ...DEFAULT_ALERT_SETTINGS }),
    elsewhere: async (keys) => store.oncall.elsewhere(keys),
  });
  scheduler = sched;
  await sched.start([
    [ids.t1!, dueAt],
    [ids.t2!, dueAt],
  ]);
  await until(() => session.calls().length >= 2, 10_000);
  await sleep(300);
  const displayedBefore = Number(session.dunstctl('count', 'displayed'));
  // The pull: Kari's ack of t1's alert, Ola's snooze of t2's (from his other device), as the server has them.
  const now = Date.now();
  const snoozedUntil = now + 15 * MIN;
  const pulled = (name: string, userId: string, action: 'ack' | 'snooze', untilAt: number | null, n: number) => ({
    id: `ack${n}`,
    alertKey: alertKey(cand(name)),
    ticketId: ids[name]!,
    userId,
    action,
    until: untilAt,
    at: now,
    receivedAt: now,
    hlc: `${now}-0000-dev-x${n}`,
    version: n,
  });
  store.oncall.applyPulledAck(pulled('t1', 'kari', 'ack', null, 1));
  store.oncall.applyPulledAck(pulled('t2', 'ola', 'snooze', snoozedUntil, 2));
  await sched.recheck([ids.t1!, ids.t2!]);
  await sched.idle();
  await until(() => Number(session.dunstctl('count', 'displayed')) === 0, 3_000);
  const displayedAfter = Number(session.dunstctl('count', 'displayed'));
  const stored = (await alerts.loadOpen()).map((a) => ({ ticketId: nameOf(a.ticketId), state: a.state, snoozedUntil: a.snoozedUntil }));
  const sent = store.outbox.pending(1000).filter((m) => m.name === 'alert.ack').length;
  process.stdout.write(JSON.stringify({ calls: session.calls(), displayedBefore, displayedAfter, stored, snoozedUntil, sent }) + '\n');
} finally {
  scheduler?.dispose();
  notifier.dispose();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  session.stop();
}
