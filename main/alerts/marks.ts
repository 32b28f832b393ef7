/**
 * The scheduler's own marks on alerts (shown, held, seen), stored without waiting for the write (issue 19): a
 * pass does not need the answer, and the store's worker answers in order, so whatever is read after a mark sees
 * it. A failure is logged; the alert then counts as never shown in the store, and the next start shows it again
 * (docs/alerts.md). The scheduler's `idle()` waits for the marks sent so far.
 */
import type { AlertCache } from './alert-cache.js';
import type { OpenAlerts } from './open-alerts.js';
import { stampShown } from './renotified.js';
import type { Alert, AlertStore } from './types.js';

export class AlertMarks {
  /** Marks sent and not answered yet. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly d: {
      store: Pick<AlertStore, 'update' | 'renotified'>;
      log?: ((msg: string, err?: unknown) => void) | undefined;
      /** Records an alert's new state in the scheduler (as soon as its write is sent). */
      remember(a: Alert): void;
    },
  ) {}

  mark(alerts: Alert[], what: string): void {
    if (!alerts.length) return;
    this.track(this.d.store.update(alerts), `${alerts.length} alert(s) as ${what}`);
    for (const a of alerts) this.d.remember(a);
  }

  /**
   * Alerts shown at `now` (as they were before). A summary's (`stamp`) is stored as one re-notification stamp
   * when every alert the last one covers is held here (renotified.ts): the rows it covers are not written. Only
   * one stamp is kept, so the alerts the last one covered and this one does not (`others`) are then written as
   * rows: when they are at least as many as the rows the stamp saves (a summary of a few alerts a minute after
   * one of thousands, every interval), the shown alerts' own rows are written instead and the last stamp stays.
   */
  shown(alerts: Alert[], now: number, stamp: { open: OpenAlerts; cache: AlertCache; gap: number } | null): void {
    const updated = alerts.map((a) => ({ ...a, notifiedAt: now, held: false, snoozedUntil: a.snoozedUntil !== null && a.snoozedUntil <= now ? null : a.snoozedUntil }));
    const st = stamp?.cache.stampRead ? stampShown(alerts, now, stamp.gap, stamp.open, stamp.cache.renotified) : null;
    if (!stamp || !st || st.others.length >= st.covered.size) return this.mark(updated, 'shown');
    const rows = [...updated.filter((a) => !st.covered.has(a.key)), ...st.others];
    this.track(this.d.store.renotified(st.stamp, rows), `the re-notification of ${alerts.length} alert(s)`);
    stamp.cache.renotified = st.stamp;
    for (const a of updated) this.d.remember(a);
  }

  private track(p: Promise<void>, what: string): void {
    const write = p.catch((err: unknown) => this.d.log?.(`alerts: could not store ${what}`, err));
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  /** Settles once every mark sent so far is answered. */
  async idle(): Promise<void> {
    await Promise.all(this.writes);
  }
}
