/**
 * The alert scheduler. It sleeps until the next instant at which anything is
 * due across the open tickets: there is no polling loop. One timer is armed
 * for the earliest of: a ticket's next change (from the SLA engine), a
 * re-notification of an unacknowledged critical alert, the end of a snooze,
 * or the end of the quiet hours when alerts are held back.
 *
 * Re-planning: `ticketChanged` after every change; `replan('resume' |
 * 'clock')` after sleep or a change of clock or zone (the hosts detect
 * those); `start` at launch. Alerts that came due while the app was closed or
 * asleep are shown as one summary.
 *
 * Every alert is stored (keyed by ticket, target, kind, due instant) before it
 * is shown, so a restart never shows it twice.
 */
import type { Clock } from '../../core/clock.js';
import type { Disposable } from '../../core/lifecycle.js';
import type { Notifier } from '../notify/notifier.js';
import { IndexedMinHeap } from './heap.js';
import { isQuiet, quietEndsAt } from './quiet.js';
import { alertKey } from './types.js';
import type { Alert, AlertCandidate, AlertSettings, AlertStore, TicketPlanner, Timers } from './types.js';

/** setTimeout cannot wait longer than this; longer sleeps are chained. */
const MAX_TIMER_MS = 2 ** 31 - 1;
/** A wake-up later than this after its instant counts as a catch-up. */
const LATE_MS = 2 * 60_000;

export interface SchedulerDeps {
  clock: Clock;
  timers: Timers;
  planner: TicketPlanner;
  store: AlertStore;
  notifier: Notifier;
  settings: () => AlertSettings;
  /** Told the number of active alerts whenever it may have changed (tray badge, UI). */
  onActiveChanged?: (active: number) => void;
  /** Told each ticket's new next instant after planning, to store it (tickets.next_wake_at). */
  onPlanned?: (items: Array<{ ticketId: string; wakeAt: number | null }>) => void;
  log?: (msg: string, err?: unknown) => void;
}

type Mode = 'live' | 'summary';

export class AlertScheduler implements Disposable {
  private readonly heap = new IndexedMinHeap<string>();
  /** Open alerts (active or acknowledged-but-cause-holds), by key. */
  private readonly open = new Map<string, Alert>();
  private readonly byTicket = new Map<string, Set<string>>();
  private timer: unknown = null;
  private armedFor: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private disposed = false;

  constructor(private readonly deps: SchedulerDeps) {}

  /** Loads the open tickets' next instants and the open alerts, then catches up as one summary. */
  start(entries: Iterable<readonly [ticketId: string, nextAt: number]>): Promise<void> {
    return this.serial(async () => {
      this.heap.build(entries);
      for (const a of await this.deps.store.loadOpen()) this.remember(a);
      await this.processDue('summary');
    });
  }

  /** After any change to a ticket (new event, priority, pause, close...). */
  ticketChanged(ticketId: string): Promise<void> {
    return this.serial(async () => {
      await this.planTickets([{ id: ticketId, at: this.deps.clock.now() }], 'live');
      this.arm();
    });
  }

  /** After resume from sleep, or a jump of the wall clock or a change of time zone. */
  replan(reason: 'resume' | 'clock' | 'timezone'): Promise<void> {
    return this.serial(async () => {
      this.deps.log?.(`alerts: re-planning after ${reason}`);
      // Deadlines of every ticket are instants and do not move with the zone,
      // but warnings and quiet hours may: re-plan what is due, summarised.
      await this.processDue('summary');
    });
  }

  acknowledge(key: string): Promise<boolean> {
    return this.serial(async () => {
      const a = this.open.get(key);
      if (!a || a.state !== 'active') return false;
      const now = this.deps.clock.now();
      const next = { ...a, state: 'acked' as const, closedAt: now, held: false };
      await this.deps.store.update([next]);
      this.remember(next);
      this.changed();
      this.arm();
      return true;
    });
  }

  snooze(key: string, minutes: number): Promise<boolean> {
    return this.serial(async () => {
      const a = this.open.get(key);
      if (!a || a.state !== 'active') return false;
      const next = { ...a, snoozedUntil: this.deps.clock.now() + minutes * 60_000 };
      await this.deps.store.update([next]);
      this.remember(next);
      this.arm();
      return true;
    });
  }

  activeAlerts(): Alert[] {
    return [...this.open.values()].filter((a) => a.state === 'active').sort((x, y) => x.dueAt - y.dueAt);
  }

  /** The instant the timer is armed for (tests, diagnostics). */
  get nextWakeAt(): number | null {
    return this.armedFor;
  }

  get plannedTickets(): number {
    return this.heap.size;
  }

  /** Waits for queued work (tests). */
  idle(): Promise<void> {
    return this.chain;
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  // --- internals -------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn);
    this.chain = run.then(
      () => undefined,
      (err: unknown) => this.deps.log?.('alerts: scheduler step failed', err),
    );
    return run;
  }

  private remember(a: Alert): void {
    if (a.state === 'resolved') {
      this.open.delete(a.key);
      this.byTicket.get(a.ticketId)?.delete(a.key);
      return;
    }
    this.open.set(a.key, a);
    let set = this.byTicket.get(a.ticketId);
    if (!set) this.byTicket.set(a.ticketId, (set = new Set()));
    set.add(a.key);
  }

  private async processDue(mode: Mode): Promise<void> {
    const now = this.deps.clock.now();
    let entries = this.heap.popDue(now);
    // A timer that fires long after its instant (the machine slept, the clock jumped) is a catch-up: summarise.
    if (mode === 'live' && entries.length && (entries[0] as { at: number }).at < now - LATE_MS) mode = 'summary';
    if (mode === 'summary') {
      await this.planTickets(entries.map((e) => ({ id: e.key, at: now })), mode);
    } else {
      // Live: plan each ticket at the instant it was due, not at the (a few ms later) instant the
      // timer ran, so every change is seen at its own instant (a callback is "due" at D before it is
      // "overdue" at D + 1 ms). Instants only grow, so this ends by `now`.
      while (entries.length) {
        await this.planTickets(entries.map((e) => ({ id: e.key, at: e.at })), mode);
        entries = this.heap.popDue(now);
      }
    }
    await this.renotifyAndRelease(now);
    this.arm();
  }

  /** Plans the tickets, records new alerts, resolves the ones whose cause went away, then notifies. */
  private async planTickets(due: Array<{ id: string; at: number }>, mode: Mode): Promise<void> {
    if (due.length === 0) return;
    const now = this.deps.clock.now();
    const settings = this.deps.settings();
    const fresh: Alert[] = [];
    const gone: Alert[] = [];
    const planned: Array<{ ticketId: string; wakeAt: number | null }> = [];
    for (const { id, at } of due) {
      let plan;
      try {
        plan = await this.deps.planner.plan(id, Math.min(at, now), settings);
      } catch (err) {
        // A ticket that cannot be planned must not stop the others; try it again in a minute.
        this.deps.log?.(`alerts: could not plan ticket ${id}`, err);
        this.heap.set(id, now + 60_000);
        continue;
      }
      let nextAt = plan.nextAt;
      if (nextAt !== null && nextAt <= at) {
        // A planner must move forward; guard against a loop if one ever does not.
        this.deps.log?.(`alerts: planner returned a next instant not after ${at} for ticket ${id}`);
        nextAt = now + 60_000;
      }
      this.heap.set(id, nextAt);
      planned.push({ ticketId: id, wakeAt: nextAt });
      const keep = new Set<string>();
      for (const c of plan.candidates) {
        const key = alertKey(c);
        keep.add(key);
        if (!this.open.has(key)) fresh.push(this.newAlert(c, key, now));
      }
      for (const key of this.byTicket.get(id) ?? []) {
        if (!keep.has(key)) {
          const a = this.open.get(key);
          if (a) gone.push({ ...a, state: 'resolved', closedAt: now, held: false });
        }
      }
    }
    if (planned.length) this.deps.onPlanned?.(planned);
    if (gone.length) {
      await this.deps.store.update(gone);
      for (const a of gone) this.remember(a);
    }
    const inserted = fresh.length ? await this.deps.store.recordNew(fresh) : [];
    for (const a of inserted) this.remember(a);
    await this.notifyNew(inserted, mode, now, settings);
    if (gone.length || inserted.length) this.changed();
  }

  private newAlert(c: AlertCandidate, key: string, now: number): Alert {
    return { ...c, key, state: 'active', raisedAt: now, notifiedAt: null, snoozedUntil: null, held: false, closedAt: null };
  }

  private async notifyNew(alerts: Alert[], mode: Mode, now: number, settings: AlertSettings): Promise<void> {
    if (alerts.length === 0) return;
    const quiet = isQuiet(now, settings.quietHours);
    // Critical alerts are never silenced behind the user's back: quiet hours hold back only the others.
    const held = quiet ? alerts.filter((a) => !a.critical) : [];
    const show = quiet ? alerts.filter((a) => a.critical) : alerts;
    if (held.length) {
      const marked = held.map((a) => ({ ...a, held: true }));
      await this.deps.store.update(marked);
      for (const a of marked) this.remember(a);
    }
    if (show.length === 0) return;
    if (mode === 'summary' || show.length > settings.summaryThreshold) {
      await this.send(show, now, mode === 'summary' ? 'came due while Vakt was not running' : 'came due at once');
    } else {
      for (const a of show) await this.send([a], now);
    }
  }

  /** Sends one notification for one alert, or a summary for several, and stamps them notified. */
  private async send(alerts: Alert[], now: number, why?: string): Promise<void> {
    const critical = alerts.some((a) => a.critical);
    const first = alerts[0] as Alert;
    const notification =
      alerts.length === 1
        ? { id: first.key, title: `${first.critical ? 'CRITICAL · ' : ''}${first.caseNumber}: ${TITLES[first.kind]}`, body: `${first.caseNumber} · ${first.text}`, critical, ticketId: first.ticketId }
        : {
            id: `summary|${now}`,
            title: `Vakt: ${alerts.length} alerts${why ? ' ' + why : ''}`,
            body: alerts
              .slice(0, 8)
              .map((a) => `${a.caseNumber} · ${TITLES[a.kind]} · ${a.text}`)
              .join('\n') + (alerts.length > 8 ? `\n… and ${alerts.length - 8} more` : ''),
            critical,
          };
    try {
      await this.deps.notifier.notify(notification);
    } catch (err) {
      this.deps.log?.('alerts: the OS notification failed; the alert stays active in the app', err);
    }
    const stamped = alerts.map((a) => ({ ...a, notifiedAt: now, held: false }));
    await this.deps.store.update(stamped);
    for (const a of stamped) this.remember(a);
  }

  /** Re-notifies unacknowledged critical alerts, ends snoozes, and releases what quiet hours held back. */
  private async renotifyAndRelease(now: number): Promise<void> {
    const settings = this.deps.settings();
    const quiet = isQuiet(now, settings.quietHours);
    const again: Alert[] = [];
    const released: Alert[] = [];
    for (const a of this.open.values()) {
      if (a.state !== 'active') continue;
      if (a.held) {
        if (!quiet) released.push(a);
        continue;
      }
      const at = this.renotifyAt(a, settings);
      if (at !== null && at <= now) again.push(a);
    }
    if (released.length) await this.send(released, now, 'held back during quiet hours');
    for (const a of again) await this.send([{ ...a, snoozedUntil: null }], now);
  }

  private renotifyAt(a: Alert, settings: AlertSettings): number | null {
    if (a.state !== 'active' || a.held) return null;
    if (a.snoozedUntil !== null) return a.snoozedUntil;
    if (!a.critical || a.notifiedAt === null) return null;
    return a.notifiedAt + Math.max(1, settings.renotifyMinutes) * 60_000;
  }

  private arm(): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    const settings = this.deps.settings();
    let next = this.heap.peek()?.at ?? Infinity;
    let anyHeld = false;
    for (const a of this.open.values()) {
      const at = this.renotifyAt(a, settings);
      if (at !== null && at < next) next = at;
      if (a.state === 'active' && a.held) anyHeld = true;
    }
    if (anyHeld) next = Math.min(next, quietEndsAt(now, settings.quietHours) ?? now);
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.isFinite(next) ? next : null;
    if (this.armedFor === null) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.armedFor - now));
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      void this.serial(() => this.processDue('live'));
    }, delay);
  }

  private changed(): void {
    this.deps.onActiveChanged?.(this.activeAlerts().length);
  }
}

const TITLES: Record<Alert['kind'], string> = {
  callback_due: 'callback due',
  callback_overdue: 'callback overdue',
  response_warning: 'response deadline near',
  resolution_warning: 'resolution deadline near',
  breach: 'SLA breached',
  sla_unavailable: 'SLA cannot be computed',
};
