/**
 * The scheduler's open alerts (active, or acknowledged while their cause holds), by key and by ticket,
 * with the indexes a scheduler pass reads instead of walking every open alert (issue 19: with tens of
 * thousands of open breach alerts a pass after one change must stay in milliseconds):
 *  - the count of active alerts;
 *  - the active alerts held back by the quiet hours;
 *  - when each active alert pops up again by itself (timing.ts `renotifyAt`): the end of its snooze, or a
 *    critical alert's last pop-up (the re-notification interval is a setting, the same for all, so the
 *    order by last pop-up is the order by re-notification).
 * It holds the alerts the scheduler has read (alert-cache.ts), not necessarily every open one; the active
 * count is of every one: the store's at start, then each change made through `remember`.
 */
import { IndexedMinHeap } from './heap.js';
import { COALESCE_MS, renotifyAt } from './timing.js';
import type { Alert, AlertSettings } from './types.js';

/** The re-notification interval of critical alerts, in ms. */
export const renotifyGap = (s: AlertSettings) => Math.max(1, s.renotifyMinutes) * 60_000;
const interval = renotifyGap;

type Index = 'held' | 'snoozes' | 'shown' | null;

/** Which index an alert is in (at most one). */
function indexOf(a: Alert): Index {
  if (a.state !== 'active') return null;
  if (a.held) return 'held';
  if (a.snoozedUntil !== null) return 'snoozes';
  return a.critical && a.notifiedAt !== null ? 'shown' : null;
}

export class OpenAlerts {
  /** With the order of first sight: a pass lists tickets in the order their alerts came, as a walk of every alert did. */
  private readonly byKey = new Map<string, { a: Alert; seq: number }>();
  private readonly byTicket = new Map<string, Set<string>>();
  private nextSeq = 0;
  /** Active alerts in the store: the count read at start, then every change made through `remember`. */
  private activeN: number;
  private readonly held = new Set<string>();
  /** Active, not held, snoozed: key -> end of the snooze. */
  private readonly snoozes = new IndexedMinHeap<string>();
  /** Active, not held, not snoozed, critical, shown: key -> when it was last shown. */
  private readonly shown = new IndexedMinHeap<string>();

  constructor(activeInStore = 0) {
    this.activeN = activeInStore;
  }

  /** Takes an alert read from the store (counted already); one held already is as new or newer, and kept. */
  load(a: Alert): void {
    if (!this.byKey.has(a.key)) this.put(a, false);
  }

  /** Records an alert's new state, as written to the store (one not held yet is new there); a resolved alert is forgotten. */
  remember(a: Alert): void {
    this.put(a, true);
  }

  get size(): number {
    return this.byKey.size;
  }

  private put(a: Alert, counted: boolean): void {
    const old = this.byKey.get(a.key);
    if (old) {
      if (old.a.state === 'active') this.activeN--;
      const was = indexOf(old.a);
      if (was === 'held') this.held.delete(a.key);
      else if (was) this[was].set(a.key, null);
    }
    if (a.state === 'resolved') {
      this.byKey.delete(a.key);
      this.byTicket.get(a.ticketId)?.delete(a.key);
      return;
    }
    if (old) old.a = a;
    else {
      this.byKey.set(a.key, { a, seq: this.nextSeq++ });
      let set = this.byTicket.get(a.ticketId);
      if (!set) this.byTicket.set(a.ticketId, (set = new Set()));
      set.add(a.key);
    }
    if (a.state === 'active' && counted) this.activeN++;
    const now = indexOf(a);
    if (now === 'held') this.held.add(a.key);
    else if (now === 'snoozes') this.snoozes.set(a.key, a.snoozedUntil);
    else if (now === 'shown') this.shown.set(a.key, a.notifiedAt);
  }

  get(key: string): Alert | undefined {
    return this.byKey.get(key)?.a;
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  /** The keys of a ticket's open alerts. */
  keysOf(ticketId: string): Iterable<string> {
    return this.byTicket.get(ticketId) ?? [];
  }

  /** The active alerts among `keys`. */
  activeOf(keys: Iterable<string>): Alert[] {
    const out: Alert[] = [];
    for (const k of keys) {
      const a = this.byKey.get(k)?.a;
      if (a && a.state === 'active') out.push(a);
    }
    return out;
  }

  get activeCount(): number {
    return this.activeN;
  }

  /** The active alerts held back by the quiet hours. */
  heldActive(): Alert[] {
    return this.activeOf(this.held);
  }

  get anyHeld(): boolean {
    return this.held.size > 0;
  }

  /** The active alerts that pop up again by themselves at or before `t` (`renotifyAt`, `ticketNext`: the ticket's next instant). */
  renotifyDue(t: number, settings: AlertSettings, ticketNext: (ticketId: string) => number | undefined): Alert[] {
    return this.renotifyBy(t, settings).filter((a) => (renotifyAt(a, settings, ticketNext(a.ticketId)) ?? Infinity) <= t);
  }

  /** The earliest instant an active alert pops up again by itself, or Infinity. */
  nextRenotify(settings: AlertSettings, ticketNext: (ticketId: string) => number | undefined): number {
    const gap = interval(settings);
    const first = Math.min(this.snoozes.peek()?.at ?? Infinity, (this.shown.peek()?.at ?? Infinity) + gap);
    if (!Number.isFinite(first)) return Infinity;
    // renotifyAt may move an instant up to COALESCE_MS later (to the ticket's next instant), never earlier:
    // look at those within that much of the first, and stop at one that is not moved (a summary shows
    // thousands at one instant).
    let next = Infinity;
    const look = (key: string) => {
      const a = this.byKey.get(key)?.a;
      if (a) next = Math.min(next, renotifyAt(a, settings, ticketNext(a.ticketId)) ?? Infinity);
      return next > first;
    };
    this.snoozes.forEachDue(first + COALESCE_MS, look);
    if (next > first) this.shown.forEachDue(first + COALESCE_MS - gap, look);
    return next;
  }

  /** The active alerts re-notifying by their last pop-up (critical, not held nor snoozed) last shown at or before `t`. */
  shownBy(t: number): Alert[] {
    const keys: string[] = [];
    this.shown.forEachDue(t, (k) => {
      keys.push(k);
    });
    return this.activeOf(keys);
  }

  /** Sorts alerts in the order they were first seen. */
  inOrder(alerts: Alert[]): Alert[] {
    return alerts.sort((x, y) => (this.byKey.get(x.key)?.seq ?? 0) - (this.byKey.get(y.key)?.seq ?? 0));
  }

  /** The active alerts whose own instant (before coalescing) is at or before `t`. */
  private renotifyBy(t: number, settings: AlertSettings): Alert[] {
    const keys: string[] = [];
    this.snoozes.forEachDue(t, (k) => {
      keys.push(k);
    });
    this.shown.forEachDue(t - interval(settings), (k) => {
      keys.push(k);
    });
    return this.activeOf(keys);
  }
}
