/**
 * What a scheduler pass shows at `now` (scheduler.ts): new alerts, re-notifications that are due, and
 * alerts held back once the quiet hours are over. At most one pop-up per ticket, covering all its active
 * alerts and replacing the ticket's earlier pop-up; a catch-up, a burst, a release of several tickets, or
 * alerts already on the summary make one summary pop-up instead. Quiet hours hold every alert of a ticket
 * whose priority is not critical, breaches included. And the pop-ups it takes off the screen (`closeFinished`).
 */
import type { AlertCache } from './alert-cache.js';
import type { IndexedMinHeap } from './heap.js';
import type { OpenAlerts } from './open-alerts.js';
import type { Popups } from './popups.js';
import { isQuiet } from './quiet.js';
import type { RouteGate } from './routing.js';
import type { SchedulerDeps } from './scheduler-deps.js';
import { SUMMARY_ID, summaryNamed, summaryNotification, ticketNotification, ticketNotificationId } from './text.js';
import { COALESCE_MS } from './timing.js';
import type { Alert, AlertFacts } from './types.js';

/** `summary`: a catch-up (start, resume, a late timer): everything in one summary pop-up. */
export type Mode = 'live' | 'summary';

/** The scheduler's parts a pass reads and changes. */
export interface ShowParts {
  deps: SchedulerDeps;
  open: OpenAlerts;
  cache: AlertCache;
  popups: Popups;
  gate: RouteGate;
  heap: IndexedMinHeap<string>;
  /** Stores the scheduler's mark on these alerts (not waited for) and records their new state. */
  mark(alerts: Alert[], what: string): void;
  /** The same for alerts shown at `now` (as they were before); a summary's as one stamp (marks.ts `shown`). */
  markShown(alerts: Alert[], now: number, summary: boolean): void;
  /** Which of these tickets are critical (prefetch.ts `criticalOf`): only their alerts go through the quiet hours. */
  critical(ticketIds: string[], now: number): Promise<Map<string, boolean>>;
  /** The alerts that pop up for this user (routing.ts); the others are marked seen or acknowledged. */
  routed(alerts: Alert[], now: number): Promise<Alert[]>;
}

export async function showDue(s: ShowParts, fresh: Alert[], now: number, mode: Mode): Promise<void> {
  const settings = s.deps.settings();
  await s.cache.fill(now, settings);
  const quiet = isQuiet(now, settings.quietHours);
  const ticketIds = new Set<string>();
  const freshKeys = new Set(fresh.map((a) => a.key));
  let released = false;
  const waited = new Set(s.popups.deferred);
  s.popups.deferred.clear();
  for (const id of waited) ticketIds.add(id);
  // From the indexes (open-alerts.ts), not a walk of every open alert: the new ones, the held ones once
  // the quiet hours end, those whose re-notification is due, and those whose routing decision is due.
  const due: Alert[] = s.open.activeOf(freshKeys);
  if (!quiet) {
    const held = s.open.heldActive().filter((a) => !freshKeys.has(a.key));
    released = held.length > 0;
    due.push(...held);
  }
  const next = (id: string) => s.heap.get(id);
  const rest = (a: Alert) => !freshKeys.has(a.key) && !a.held;
  due.push(...s.open.renotifyDue(now, settings, next).filter(rest));
  due.push(...s.open.activeOf(s.gate.dueKeys(now)).filter(rest));
  for (const a of s.open.inOrder(due)) ticketIds.add(a.ticketId);
  if (!ticketIds.size) return;
  await s.cache.ensure(ticketIds);
  // Routed all at once (one read of what other devices did), and a ticket's pop-up facts read only when
  // used (the quiet hours, its own pop-up, a line of the summary): a re-notification of thousands of
  // tickets is one summary, not a round trip or two per ticket (issue 19, idle CPU).
  const routed = new Map<string, Alert[]>();
  const candidates = [...ticketIds].flatMap((id) => s.open.activeOf(s.open.keysOf(id)).filter((a) => a.snoozedUntil === null || a.snoozedUntil <= now));
  for (const a of await s.routed(candidates, now)) routed.get(a.ticketId)?.push(a) ?? routed.set(a.ticketId, [a]);
  const read = new Map<string, Promise<AlertFacts | null>>();
  const factsOf = (ticketId: string) => {
    let p = read.get(ticketId);
    if (!p) read.set(ticketId, (p = s.popups.facts(ticketId, now)));
    return p;
  };
  const groups: Array<{ ticketId: string; alerts: Alert[] }> = [];
  const hold: Alert[] = [];
  // The quiet hours hold the alerts of tickets not critical: their priorities read once for all, not each ticket's details.
  const critical = quiet ? await s.critical([...routed.keys()], now) : null;
  for (const ticketId of ticketIds) {
    const alerts = routed.get(ticketId) ?? [];
    if (!alerts.length) continue;
    // "Due" now and "overdue" a moment later (a lead or warning of 0): wait for that instant and show one pop-up (once).
    const next = s.heap.get(ticketId);
    if (mode === 'live' && !waited.has(ticketId) && next !== undefined && next > now && next - now <= COALESCE_MS) {
      s.popups.deferred.add(ticketId);
      continue;
    }
    if (critical && !(critical.get(ticketId) ?? alerts.some((a) => a.critical))) hold.push(...alerts.filter((a) => !a.held));
    else groups.push({ ticketId, alerts });
  }
  s.mark(
    hold.map((a) => ({ ...a, held: true })),
    'held',
  );
  if (!groups.length) return;
  const all = mode === 'summary' || groups.length > settings.summaryThreshold || (released && groups.length > 1);
  const toSummary = all ? groups : groups.filter((g) => g.alerts.every((a) => s.popups.inSummary.has(a.key) && !freshKeys.has(a.key)));
  const summarised = new Set(toSummary); // a look-up per group, not a walk of the list (33k groups in a re-notification)
  const zone = s.deps.timezone?.() ?? 'UTC';
  const shown: Alert[] = [];
  for (const g of groups) {
    if (summarised.has(g)) continue;
    for (const a of g.alerts) s.popups.inSummary.delete(a.key);
    await s.popups.show(ticketNotification(g.alerts, await factsOf(g.ticketId), now, zone, settings.sound, settings.language));
    shown.push(...g.alerts);
  }
  if (toSummary.length) {
    // The summary replaces the earlier one, so it lists what that one did and is still active.
    const listed = new Map<string, { alert: Alert; facts: AlertFacts | null }>();
    for (const g of toSummary) for (const alert of g.alerts) listed.set(alert.key, { alert, facts: null });
    // Not those the quiet hours hold (just now included): they are shown when the quiet hours end. Those only
    // listed again were stamped when they were shown: not stamped (written) again (issue 19: a start's 13,000, twice).
    const again = new Set<string>();
    for (const a of s.open.activeOf(s.popups.inSummary))
      if (!listed.has(a.key) && !a.held && (a.snoozedUntil === null || a.snoozedUntil <= now)) (listed.set(a.key, { alert: a, facts: null }), again.add(a.key));
    for (const x of summaryNamed([...listed.values()])) x.facts = await factsOf(x.alert.ticketId);
    const why = mode === 'summary' ? 'catchup' : released ? 'quiet' : toSummary.length === groups.length && !fresh.length ? 'unacked' : 'burst';
    await s.popups.show(summaryNotification([...listed.values()], why, now, zone, settings.sound, settings.language));
    for (const { alert } of listed.values()) (s.popups.inSummary.add(alert.key), again.has(alert.key) || shown.push(alert));
  }
  s.markShown(shown, now, toSummary.length > 0);
}

/** Takes pop-ups off the screen whose alerts are all acknowledged, snoozed or gone. */
export async function closeFinished(s: Pick<ShowParts, 'deps' | 'cache' | 'popups'>, changed: Alert[]): Promise<void> {
  const now = s.deps.clock.now();
  await s.cache.ensure(changed.map((a) => a.ticketId));
  const open = s.cache.open;
  const pending = (keys: Iterable<string>) => open.activeOf(keys).some((a) => a.notifiedAt !== null && (a.snoozedUntil === null || a.snoozedUntil <= now));
  for (const ticketId of new Set(changed.map((a) => a.ticketId))) {
    if (!pending(open.keysOf(ticketId))) await s.popups.close(ticketNotificationId(ticketId));
  }
  if (changed.length && !pending(s.popups.inSummary)) await s.popups.close(SUMMARY_ID);
}
