/**
 * A start's catch-up (issue 19: thousands of passed wake-ups held the start 10-13 s): the tickets due
 * at start are planned CATCH_UP_PAGE at a time, each page a scheduler step of its own queued behind
 * what came meanwhile, so a change (or a desk read in the store worker's queue) waits for a page, not
 * for all of them. The first page's alerts are shown at once, the others' as one summary once the last
 * page is planned (until then they are stored and counted). A quit before then leaves them stored and
 * not shown: the next start shows them (alert-cache.ts `start`).
 */
import type { Alert } from './types.js';

/** Tickets a start's catch-up plans in one step. */
export const CATCH_UP_PAGE = 100;

export interface CatchUpSteps {
  /** Queues a step behind the scheduler's others. */
  serial(fn: () => Promise<void>): Promise<void>;
  /** Plans these tickets at `now`; returns the alerts they raised. */
  plan(ids: string[], now: number): Promise<Alert[]>;
  /** Shows these new alerts (and what else is due) as a summary. */
  show(fresh: Alert[], now: number): Promise<void>;
  /** Re-arms the timer for what the page planned. */
  arm(): void;
  now(): number;
  stopped(): boolean;
}

export class CatchUp {
  /** The step planning the next page. */
  private next: Promise<void> = Promise.resolve();

  constructor(private readonly s: CatchUpSteps) {}

  /**
   * Plans the first page now (inside the caller's step); queues the others. `unshown`: alerts stored
   * and never shown (a start's catch-up cut short by a quit, or the alerts of a version that did not
   * mark them): shown in the closing summary with the later pages' alerts, not with the first page, so
   * the start (the URL, the first queue page) does not wait for them (issue 19: 13,000 on the first start
   * after an upgrade, routed and stamped before the URL). With one page only, that page's summary.
   */
  run(ids: string[], unshown: Alert[] = []): Promise<void> {
    if (ids.length <= CATCH_UP_PAGE) return this.page(ids, [...unshown], true);
    return this.page(ids, [], true, [...unshown]);
  }

  /** Settles once every page is planned and shown. */
  async done(): Promise<void> {
    let seen;
    do {
      seen = this.next;
      await seen;
    } while (seen !== this.next);
  }

  /**
   * `later`: what the closing summary shows besides the later pages' alerts. The first page's summary
   * (its alerts, and the re-notifications due: 12,800 critical alerts on the benchmark store) is shown
   * in a step of its own queued at once, so the start (the URL, the first queue page) waits for the
   * planning of one page, not for that summary's routing and stamps (issue 19).
   */
  private async page(ids: string[], fresh: Alert[], first: boolean, later: Alert[] = []): Promise<void> {
    if (this.s.stopped()) return;
    const now = this.s.now();
    fresh.push(...(await this.s.plan(ids.splice(0, CATCH_UP_PAGE), now)));
    if (first) {
      const shown = fresh.splice(0);
      this.queue(async () => {
        if (this.s.stopped()) return;
        await this.s.show(shown, now);
        this.s.arm();
      });
    } else {
      if (!ids.length) await this.s.show(fresh.splice(0), now);
      this.s.arm();
    }
    if (ids.length) this.queue(() => this.page(ids, first ? later : fresh, false));
  }

  private queue(step: () => Promise<void>): void {
    this.next = this.s.serial(step).catch(() => undefined);
  }
}
