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
import type { Disposable } from '../../core/lifecycle.js';
import { IndexedMinHeap } from './heap.js';
import { Popups } from './popups.js';
import { SUMMARY_ID, ticketNotificationId } from './text.js';
import type { Alert, AlertSettings, ChangePlan, PlanResult } from './types.js';
import type { NotifyAction } from '../notify/notifier.js';
import { RouteGate } from './routing.js';
import { followElsewhere } from './follow.js';
import type { SchedulerDeps } from './scheduler-deps.js';
import { AlertCache } from './alert-cache.js';
import { renotifyGap } from './open-alerts.js';
import { AlertMarks } from './marks.js';
import { nextWake } from './next-wake.js';
import { CatchUp } from './catch-up.js';
import { planDue } from './plan-due.js';
import { PassReads } from './prefetch.js';
import { closeFinished, showDue } from './show-due.js';
import type { Mode } from './show-due.js';
import { WakeWindow } from './wake-window.js';
import type { WakeSource } from './wake-window.js';
import { LATE_MS, MAX_TIMER_MS } from './timing.js';

export type { SchedulerDeps } from './scheduler-deps.js';

/** Snooze from a pop-up's "Snooze 15 min". */
export const POPUP_SNOOZE_MINUTES = 15;

export class AlertScheduler implements Disposable {
  private readonly heap = new IndexedMinHeap<string>();
  /** The open alerts (active or acknowledged-but-cause-holds) it has read: what it acts on, and the tickets it plans or shows (alert-cache.ts). */
  private readonly cache: AlertCache;
  private readonly popups: Popups;
  private readonly gate: RouteGate;
  /** What showing a pass's new alerts reads, asked for together once they are known (prefetch.ts). */
  private readonly reads: PassReads;
  /** Its marks on alerts (shown, held, seen), stored without waiting (marks.ts). */
  private readonly marks: AlertMarks;
  /** Alerts resolved since the last pop-ups were shown. */
  private gone: Alert[] = [];
  private timer: unknown = null;
  private armedFor: number | null = null;
  private chain: Promise<void> = Promise.resolve();
  private waking: Promise<void> = Promise.resolve();
  private disposed = false;
  /** The stored instants read a page at a time (startFrom); null when start() loaded them all. */
  private window: WakeWindow | null = null;
  /** A start's catch-up, a page of tickets a step (catch-up.ts). */
  private readonly catchUp: CatchUp;

  constructor(private readonly deps: SchedulerDeps) {
    this.reads = new PassReads(deps);
    this.marks = new AlertMarks({ ...deps, remember: (a) => this.remember(a) });
    this.popups = new Popups({ ...deps, ...(deps.facts ? { facts: (id: string, now: number) => this.reads.factsOf(id, now) } : {}) });
    this.gate = new RouteGate(deps.route);
    this.cache = new AlertCache(deps.store);
    this.catchUp = new CatchUp({
      serial: (fn) => this.serial(fn),
      plan: (ids, now) => this.planTickets(ids.map((id) => ({ id, at: now }))),
      // What a live pass showed meanwhile (its ticket changed) is not listed again.
      show: (fresh, now) =>
        this.present(
          fresh.filter((a) => (this.open.get(a.key) ?? a).notifiedAt === null),
          now,
          'summary',
        ),
      arm: () => this.arm(),
      now: () => this.deps.clock.now(),
      stopped: () => this.disposed,
    });
  }

  private get open() {
    return this.cache.open;
  }

  /** Loads the open tickets' next instants and what of the open alerts it acts on by itself, then catches up as one summary. */
  start(entries: Iterable<readonly [ticketId: string, nextAt: number]>): Promise<void> {
    return this.serial(async () => {
      this.heap.build(entries);
      await this.processDue('summary', await this.cache.start());
    });
  }

  /**
   * start() reading the stored instants a page at a time: the tickets never planned or changed since,
   * the earliest page, and the pages the clock has passed (docs/alerts.md).
   */
  startFrom(source: WakeSource, pageSize?: number): Promise<void> {
    return this.serial(async () => {
      this.heap.build([]);
      this.window = new WakeWindow(source, this.heap, pageSize);
      const [, unshown] = await Promise.all([this.window.open(), this.cache.start()]);
      const now = this.deps.clock.now();
      await this.window.fill(now);
      await this.cache.fill(now, this.deps.settings());
      await this.catchUp.run(
        this.heap.popDue(now).map((e) => e.key),
        unshown,
      );
    });
  }

  /**
   * After any change to a ticket (new event, priority, pause, close...). `planned`: the change planned the
   * ticket already (with this scheduler's settings, at `at`), so it is not read and evaluated again.
   */
  ticketChanged(ticketId: string, planned?: ChangePlan): Promise<void> {
    return this.serial(async () => {
      if (planned?.created) this.cache.created(ticketId);
      const now = this.deps.clock.now();
      await this.present(await this.planTickets([planned ? { id: ticketId, at: Math.min(planned.at, now), plan: planned.plan } : { id: ticketId, at: now }]), now, 'live');
      this.arm();
    });
  }

  /** The alert settings planning uses now. */
  settings(): AlertSettings {
    return this.deps.settings();
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

  /** Acks of these tickets' alerts arrived from the server: follow them (follow.ts), decide their pop-ups again (routing.ts). */
  recheck(ticketIds: Iterable<string>): Promise<void> {
    return this.serial(async () => {
      const now = this.deps.clock.now();
      const ids = [...ticketIds];
      await this.cache.ensure(ids);
      const alerts = await this.follow(this.open.activeOf(ids.flatMap((id) => [...this.open.keysOf(id)])), now);
      const { elsewhere } = await this.gate.split(alerts, now);
      await this.ackNow(elsewhere, false);
      this.arm();
    });
  }

  /** Acknowledges or snoozes here what was acknowledged or snoozed on another device; returns the rest. */
  private async follow(alerts: Alert[], now: number): Promise<Alert[]> {
    const { acked, snoozed, rest } = await followElsewhere(alerts, now, this.deps.elsewhere && ((keys) => this.reads.elsewhere(keys)));
    if (snoozed.length) {
      await this.deps.store.update(snoozed);
      for (const a of snoozed) this.remember(a);
      await this.closeFinished(snoozed);
    }
    if (acked.length) await this.ackNow(acked, false);
    return rest;
  }

  acknowledge(key: string): Promise<boolean> {
    return this.acknowledgeMany([key]).then((n) => n > 0);
  }

  /** Acknowledges the active alerts among `keys`; returns how many it acknowledged. */
  acknowledgeMany(keys: Iterable<string>): Promise<number> {
    return this.serial(() => this.ackNow(keys, true));
  }

  private async ackNow(keyList: Iterable<string>, mine: boolean): Promise<number> {
    const now = this.deps.clock.now();
    const keys = [...keyList];
    await this.cache.ensureKeys(keys);
    const acked = this.open.activeOf(keys).map((a) => ({ ...a, state: 'acked' as const, closedAt: now, held: false }));
    if (!acked.length) return 0;
    await this.deps.store.update(acked, mine);
    for (const a of acked) this.remember(a);
    if (mine) await this.deps.onAck?.(acked, 'ack', null);
    this.changed();
    await this.closeFinished(acked);
    this.arm();
    return acked.length;
  }

  snooze(key: string, minutes: number): Promise<boolean> {
    return this.snoozeMany([key], minutes).then((n) => n > 0);
  }

  snoozeMany(keyList: Iterable<string>, minutes: number): Promise<number> {
    return this.serial(async () => {
      const keys = [...keyList];
      await this.cache.ensureKeys(keys);
      const until = this.deps.clock.now() + minutes * 60_000;
      const snoozed = this.open.activeOf(keys).map((a) => ({ ...a, snoozedUntil: until }));
      if (!snoozed.length) return 0;
      await this.deps.store.update(snoozed, true);
      for (const a of snoozed) this.remember(a);
      await this.deps.onAck?.(snoozed, 'snooze', until);
      await this.closeFinished(snoozed);
      this.arm();
      return snoozed.length;
    });
  }

  /**
   * What the user chose on a pop-up: acknowledge or snooze the ticket's alerts (all of the summary's),
   * or which ticket (or the Alerts panel, `{}`) to open.
   */
  async act(notificationId: string, action: NotifyAction): Promise<{ open?: { ticketId?: string } }> {
    const summary = notificationId === SUMMARY_ID;
    const ticketId = summary ? undefined : notificationId.replace(/^ticket\|/, '');
    if (ticketId !== undefined && (action === 'acknowledge' || action === 'snooze')) await this.serial(() => this.cache.ensure([ticketId]));
    const keys = () => (summary ? [...this.popups.inSummary] : [...this.open.keysOf(ticketId ?? '')]);
    switch (action) {
      case 'acknowledge':
      case 'acknowledge-all':
        await this.acknowledgeMany(keys());
        return {};
      case 'snooze':
        await this.snoozeMany(keys(), POPUP_SNOOZE_MINUTES);
        return {};
      case 'open':
        return { open: ticketId ? { ticketId } : {} };
      case 'open-alerts':
        return { open: {} };
    }
  }

  /** Every active alert, soonest due first: read from the store, which holds them all (the scheduler holds what it needs). */
  activeAlerts(): Promise<Alert[]> {
    return this.deps.store.active();
  }

  /** How many open alerts it has read from the store (tests, benches: a start reads only what it acts on). */
  get loadedAlerts(): number {
    return this.open.size;
  }

  /** The instant the timer is armed for (tests, diagnostics). */
  get nextWakeAt(): number | null {
    return this.armedFor;
  }

  get plannedTickets(): number {
    return this.heap.size;
  }

  /** Waits for queued work, a start's catch-up included (tests). */
  idle(): Promise<void> {
    return this.waking
      .then(() => this.catchUp.done())
      .then(() => this.chain)
      .then(() => this.marks.idle());
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  // --- internals -------------------------------------------------------

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    // What a step asked for ahead and did not take is dropped at its end (prefetch.ts).
    const run = this.chain.then(fn).finally(() => this.reads.clear());
    this.chain = run.then(
      () => undefined,
      (err: unknown) => this.deps.log?.('alerts: scheduler step failed', err),
    );
    return run;
  }

  private remember(a: Alert): void {
    if (a.state !== 'active') this.popups.inSummary.delete(a.key);
    this.open.remember(a);
  }

  /** `unshown`: alerts stored before and never shown, shown with what comes up now (a start). */
  private async processDue(mode: Mode, unshown: Alert[] = []): Promise<void> {
    const now = this.deps.clock.now();
    await this.window?.fill(now);
    await this.cache.fill(now, this.deps.settings());
    let entries = this.heap.popDue(now);
    // A timer that fires long after its instant (the machine slept, the clock jumped) is a catch-up: summarise.
    if (mode === 'live' && entries.length && (entries[0] as { at: number }).at < now - LATE_MS) mode = 'summary';
    const fresh: Alert[] = [...unshown];
    if (mode === 'summary') {
      fresh.push(...(await this.planTickets(entries.map((e) => ({ id: e.key, at: now })))));
    } else {
      // Live: plan each ticket at the instant it was due, not at the (a few ms later) instant the
      // timer ran, so every change is seen at its own instant (a callback is "due" at D before it is
      // "overdue" at D + 1 ms). Instants only grow, so this ends by `now`.
      while (entries.length) {
        fresh.push(...(await this.planTickets(entries.map((e) => ({ id: e.key, at: e.at })))));
        entries = this.heap.popDue(now);
      }
    }
    await this.present(fresh, now, mode);
    this.arm();
  }

  /** Plans the tickets, records new alerts and resolves the ones whose cause went away; returns the new ones (to show). */
  private async planTickets(due: Array<{ id: string; at: number; plan?: PlanResult }>): Promise<Alert[]> {
    if (due.length === 0) return [];
    const now = this.deps.clock.now();
    const settings = this.deps.settings();
    // The tickets' open alerts are read beside their planning (both queued to the store at once).
    const ready = this.cache.ensure(due.map((d) => d.id));
    ready.catch(() => undefined);
    const { fresh, gone, planned, facts } = await planDue(due, now, settings, { planner: this.deps.planner, log: this.deps.log, heap: this.heap, open: this.open, ready });
    await ready; // also when no ticket could be planned
    // The pop-ups' names came with the planning; what else they read goes out with the alerts' writes, not behind them.
    this.reads.know(facts);
    const raising = new Set(fresh.map((a) => a.ticketId));
    this.reads.begin(raising, [...fresh.map((a) => a.key), ...[...raising].flatMap((id) => [...this.open.keysOf(id)])], now);
    // The resolved alerts' write and the new ones' go out together: one round trip.
    const written = Promise.allSettled([gone.length ? this.deps.store.update(gone) : undefined, fresh.length ? this.deps.store.recordNew(fresh) : []]);
    // The next instants are stored behind them: no read of this pass waits for that write.
    if (planned.length) this.deps.onPlanned?.(planned);
    const [resolved, recorded] = await written;
    // Resolved alerts not stored stay active here and are resolved again when their ticket is planned next.
    if (resolved.status === 'rejected') this.deps.log?.(`alerts: could not store ${gone.length} resolved alert(s)`, resolved.reason);
    const closed = resolved.status === 'fulfilled' ? gone : [];
    if (recorded.status === 'rejected') throw recorded.reason;
    for (const a of closed) this.remember(a);
    for (const a of recorded.value) this.remember(a);
    if (closed.length || recorded.value.length) this.changed();
    // Their pop-ups close after the new alerts are shown, so a new alert replaces a pop-up rather than reopening it.
    this.gone.push(...closed);
    return recorded.value;
  }

  /** Shows what comes up at `now` (show-due.ts), then closes the pop-ups of alerts resolved since. */
  private async present(fresh: Alert[], now: number, mode: Mode): Promise<void> {
    await this.show(fresh, now, mode);
    const gone = this.gone;
    this.gone = [];
    await this.closeFinished(gone);
  }

  private show(fresh: Alert[], now: number, mode: Mode): Promise<void> {
    const parts = { deps: this.deps, open: this.open, cache: this.cache, popups: this.popups, gate: this.gate, heap: this.heap };
    const critical = (ids: string[], t: number) => this.reads.criticalOf(ids, t);
    const markShown = (a: Alert[], t: number, summary: boolean) => this.marks.shown(a, t, summary ? { open: this.open, cache: this.cache, gap: renotifyGap(this.deps.settings()) } : null);
    return showDue({ ...parts, mark: (a, what) => this.marks.mark(a, what), markShown, routed: (a, t) => this.routed(a, t), critical }, fresh, now, mode);
  }

  /**
   * The alerts that pop up for this user (all without `route`). The others are marked seen (no pop-up,
   * re-checked at their next re-notification or escalation step); those acknowledged on another
   * device (the server has the ack) are acknowledged here.
   */
  private async routed(alerts: Alert[], now: number): Promise<Alert[]> {
    const { popup, seen, elsewhere } = await this.gate.split(await this.follow(alerts, now), now);
    this.marks.mark(seen, 'seen');
    if (elsewhere.length) await this.ackNow(elsewhere, false);
    return popup;
  }

  /** Takes pop-ups off the screen whose alerts are all acknowledged, snoozed or gone. */
  private closeFinished(changed: Alert[]): Promise<void> {
    return closeFinished({ deps: this.deps, cache: this.cache, popups: this.popups }, changed);
  }

  private arm(): void {
    if (this.disposed) return;
    const now = this.deps.clock.now();
    const next = nextWake({ heap: this.heap, window: this.window, cache: this.cache, popups: this.popups, gate: this.gate }, now, this.deps.settings());
    if (this.timer !== null) this.deps.timers.clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = Number.isFinite(next) ? next : null;
    if (this.armedFor === null) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.armedFor - now));
    this.timer = this.deps.timers.setTimeout(() => {
      this.timer = null;
      this.waking = this.wake();
    }, delay);
  }

  /** The timer fired. An escalation step may alert this user: pull first (outside the queue: a pull re-plans tickets through it). */
  private async wake(): Promise<void> {
    const now = this.deps.clock.now();
    if (this.deps.refresh && this.gate.anyDue(now)) {
      await this.deps.refresh().catch((err: unknown) => this.deps.log?.('alerts: could not pull before an escalation step; deciding on what this device has', err));
    }
    await this.serial(() => this.processDue('live'));
  }

  private changed(): void {
    this.deps.onActiveChanged?.(this.open.activeCount);
  }
}
