/**
 * What a scheduler pass shows at `now` (scheduler.ts): new alerts, re-notifications that are due, and
 * alerts held back once the quiet hours are over. At most one pop-up per ticket, covering all its active
 * alerts and replacing the ticket's earlier pop-up; a catch-up, a burst, a release of several tickets, or
 * alerts already on the summary make one summary pop-up instead. Quiet hours hold every alert of a ticket
 * whose priority is not critical, breaches included.
 */
import type { AlertCache } from './alert-cache.js';
import type { IndexedMinHeap } from './heap.js';
import type { OpenAlerts } from './open-alerts.js';
import type { Popups } from './popups.js';
import { isQuiet } from './quiet.js';
import type { RouteGate } from './routing.js';
import type { SchedulerDeps } from './scheduler-deps.js';
import { bySeverity, SUMMARY_NAMES, summaryNotification, ticketNotification } from './text.js';
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
  /** Records an alert's new state, written to the store already. */
  remember(a: Alert): void;
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
  // A group's facts (its pop-up's names) are read where they are used: the quiet hours' decision, its own pop-up, a summary's named lines.
  const groups: Array<{ ticketId: string; alerts: Alert[]; facts: AlertFacts | null | undefined }> = [];
  const hold: Alert[] = [];
  for (const ticketId of ticketIds) {
    const alerts = await s.routed(
      s.open.activeOf(s.open.keysOf(ticketId)).filter((a) => a.snoozedUntil === null || a.snoozedUntil <= now),
      now,
    );
    if (!alerts.length) continue;
    // "Due" now and "overdue" a moment later (a lead or warning of 0): wait for that instant and show one pop-up (once).
    const next = s.heap.get(ticketId);
    if (mode === 'live' && !waited.has(ticketId) && next !== undefined && next > now && next - now <= COALESCE_MS) {
      s.popups.deferred.add(ticketId);
      continue;
    }
    const facts = quiet ? await s.popups.facts(ticketId, now) : undefined;
    if (quiet && !(facts ? facts.criticalTicket : alerts.some((a) => a.critical))) hold.push(...alerts.filter((a) => !a.held));
    else groups.push({ ticketId, alerts, facts });
  }
  if (hold.length) {
    const marked = hold.map((a) => ({ ...a, held: true }));
    await s.deps.store.update(marked);
    for (const a of marked) s.remember(a);
  }
  if (!groups.length) return;
  const all = mode === 'summary' || groups.length > settings.summaryThreshold || (released && groups.length > 1);
  const toSummary = all ? groups : groups.filter((g) => g.alerts.every((a) => s.popups.inSummary.has(a.key) && !freshKeys.has(a.key)));
  const zone = s.deps.timezone?.() ?? 'UTC';
  const shown: Alert[] = [];
  for (const g of groups) {
    if (toSummary.includes(g)) continue;
    for (const a of g.alerts) s.popups.inSummary.delete(a.key);
    const facts = g.facts === undefined ? await s.popups.facts(g.ticketId, now) : g.facts;
    await s.popups.show(ticketNotification(g.alerts, facts, now, zone, settings.sound, settings.language));
    shown.push(...g.alerts);
  }
  if (toSummary.length) {
    // The summary replaces the earlier one, so it lists what that one did and is still active.
    const listed = new Map<string, { alert: Alert; facts: AlertFacts | null | undefined }>();
    for (const g of toSummary) for (const alert of g.alerts) listed.set(alert.key, { alert, facts: g.facts });
    for (const a of s.open.activeOf(s.popups.inSummary)) if (!listed.has(a.key) && (a.snoozedUntil === null || a.snoozedUntil <= now)) listed.set(a.key, { alert: a, facts: undefined });
    const why = mode === 'summary' ? 'catchup' : released ? 'quiet' : toSummary.length === groups.length && !fresh.length ? 'unacked' : 'burst';
    await s.popups.show(summaryNotification(await named([...listed.values()], (id) => s.popups.facts(id, now)), why, now, zone, settings.sound, settings.language));
    for (const { alert } of listed.values()) (s.popups.inSummary.add(alert.key), shown.push(alert));
  }
  const stamped = shown.map((a) => ({ ...a, notifiedAt: now, held: false, snoozedUntil: a.snoozedUntil !== null && a.snoozedUntil <= now ? null : a.snoozedUntil }));
  await s.deps.store.update(stamped);
  for (const a of stamped) s.remember(a);
}

/**
 * A summary's alerts, most severe first, with the facts of those it names (read once per ticket, if not
 * read already); the rest, which it only counts, without.
 */
async function named(
  listed: Array<{ alert: Alert; facts: AlertFacts | null | undefined }>,
  facts: (ticketId: string) => Promise<AlertFacts | null>,
): Promise<Array<{ alert: Alert; facts: AlertFacts | null }>> {
  const sorted = [...listed].sort((x, y) => bySeverity(x.alert, y.alert));
  const read = new Map<string, AlertFacts | null>();
  const out: Array<{ alert: Alert; facts: AlertFacts | null }> = [];
  for (const [i, { alert, facts: known }] of sorted.entries()) {
    if (i >= SUMMARY_NAMES || known !== undefined) {
      out.push({ alert, facts: known ?? null });
      continue;
    }
    if (!read.has(alert.ticketId)) read.set(alert.ticketId, await facts(alert.ticketId));
    out.push({ alert, facts: read.get(alert.ticketId)! });
  }
  return out;
}
