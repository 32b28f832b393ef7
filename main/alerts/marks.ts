/**
 * The scheduler's own marks on alerts (shown, held, seen), stored without waiting for the write (issue 19): a
 * pass does not need the answer, and the store's worker answers in order, so whatever is read after a mark sees
 * it. A failure is logged; the alert then counts as never shown in the store, and the next start shows it again
 * (docs/alerts.md). The scheduler's `idle()` waits for the marks sent so far.
 */
import type { Alert, AlertStore } from './types.js';

export class AlertMarks {
  /** Marks sent and not answered yet. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    private readonly d: {
      store: Pick<AlertStore, 'update'>;
      log?: ((msg: string, err?: unknown) => void) | undefined;
      /** Records an alert's new state in the scheduler (as soon as its write is sent). */
      remember(a: Alert): void;
    },
  ) {}

  mark(alerts: Alert[], what: string): void {
    if (!alerts.length) return;
    const write = this.d.store.update(alerts).catch((err: unknown) => this.d.log?.(`alerts: could not store ${alerts.length} alert(s) as ${what}`, err));
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
    for (const a of alerts) this.d.remember(a);
  }

  /** Settles once every mark sent so far is answered. */
  async idle(): Promise<void> {
    await Promise.all(this.writes);
  }
}
