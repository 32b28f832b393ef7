/**
 * Which open alerts the scheduler holds (issue 19: a restart read every open alert, 1 s for 44k). At start
 * it reads what it acts on by itself: the number of active alerts, the ones held back by the quiet hours,
 * and a page of each timed index (the ends of snoozes, critical alerts' last pop-ups), the next pages when
 * the clock reaches the end of what it read (as wake-window.ts does for tickets). A ticket's other open
 * alerts are read when the scheduler plans or shows that ticket, or acts on one of its alerts (`ensure`).
 *
 * The store is written before the scheduler remembers a change (scheduler.ts), and only the scheduler
 * writes alerts: what is held here is what the store has, so an alert read again is skipped.
 */
import { OpenAlerts, renotifyGap } from './open-alerts.js';
import type { Alert, AlertCursor, AlertSettings, AlertStore, RenotifyStamp, TimedIndex } from './types.js';

/** How many timed alerts one read brings (the store caps a page at 500). */
export const ALERT_PAGE = 500;

/** The ticket id of an alert key (`ticketId|target|kind|dueAt`; a report reminder's ticket id holds `|`). */
export const ticketOfKey = (key: string): string => key.split('|').slice(0, -3).join('|');

class TimedWindow {
  private done = false;

  constructor(
    private readonly index: TimedIndex,
    private readonly store: AlertStore,
    private readonly cache: AlertCache,
    private readonly pageSize: number,
    private last: AlertCursor | null = null,
  ) {}

  /** Every alert of the index whose instant is before this is held (Infinity once the last page is read). */
  get loadedUntil(): number {
    return this.done ? Infinity : (this.last?.at ?? -Infinity);
  }

  async fill(t: number): Promise<void> {
    while (this.loadedUntil <= t) await this.next();
  }

  async next(): Promise<void> {
    const { alerts, last } = await this.store.timed(this.index, this.last, this.pageSize);
    for (const a of alerts) this.cache.open.load(a);
    if (last) this.last = last;
    if (alerts.length < this.pageSize) this.done = true;
  }
}

export class AlertCache {
  open = new OpenAlerts();
  /** Tickets whose open alerts are all held. */
  private readonly tickets = new Set<string>();
  private snoozes: TimedWindow | null = null;
  private shown: TimedWindow | null = null;
  /** The last re-notification stored as a stamp (renotified.ts), and the alerts it covers while not read yet. */
  renotified: RenotifyStamp | null = null;
  private stampedWindow: TimedWindow | null = null;

  constructor(
    private readonly store: AlertStore,
    private readonly pageSize = ALERT_PAGE,
  ) {}

  /**
   * Forgets what it held and reads what a start needs; returns the active alerts never shown (stored
   * before the app stopped, their pop-up not: a catch-up cut short, a power loss), for the start to show.
   */
  async start(): Promise<Alert[]> {
    const { active, held, unshown, renotified } = await this.store.startup();
    this.open = new OpenAlerts(active);
    this.tickets.clear();
    for (const a of held) this.open.load(a);
    for (const a of unshown) this.open.load(a);
    this.snoozes = new TimedWindow('snoozes', this.store, this, this.pageSize);
    // The stamp's alerts (last shown at or before its `through`) are read when it comes due, the others from after it.
    this.renotified = renotified;
    this.shown = new TimedWindow('shown', this.store, this, this.pageSize, renotified && { at: renotified.through, id: '\uffff' });
    this.stampedWindow = renotified && new TimedWindow('shown', this.store, this, this.pageSize);
    await this.snoozes.next();
    await this.shown.next();
    return unshown;
  }

  /** Reads pages until every alert that pops up again by itself at or before `now` is held. */
  async fill(now: number, settings: AlertSettings): Promise<void> {
    await this.snoozes?.fill(now);
    await this.shown?.fill(now - renotifyGap(settings));
    if (this.stampedWindow && this.renotified && this.renotified.at <= now - renotifyGap(settings)) {
      await this.stampedWindow.fill(this.renotified.through);
      this.stampedWindow = null;
    }
  }

  /** Whether every alert the last stamp covers is held (a new stamp may be stored only then). */
  get stampRead(): boolean {
    return this.stampedWindow === null;
  }

  /** The instant up to which every alert popping up again by itself is held: the scheduler wakes by then to read on. */
  loadedUntil(settings: AlertSettings): number {
    const stamped = this.stampedWindow && this.renotified ? this.renotified.at : Infinity;
    return Math.min(this.snoozes?.loadedUntil ?? Infinity, Math.min(this.shown?.loadedUntil ?? Infinity, stamped) + renotifyGap(settings));
  }

  /** Reads the open alerts of these tickets not held yet (one store read). */
  async ensure(ticketIds: Iterable<string>): Promise<void> {
    const ids = [...new Set(ticketIds)].filter((id) => !this.tickets.has(id));
    if (!ids.length) return;
    for (const a of await this.store.openOf(ids)) this.open.load(a);
    for (const id of ids) this.tickets.add(id);
  }

  /**
   * A ticket the change being planned created: it has no open alerts yet (only the scheduler writes them, when
   * it plans a ticket, and it has not planned this one), so ensure() reads none for it.
   */
  created(ticketId: string): void {
    this.tickets.add(ticketId);
  }

  /** ensure() for the tickets of these alert keys. */
  ensureKeys(keys: Iterable<string>): Promise<void> {
    return this.ensure([...keys].map(ticketOfKey));
  }
}
