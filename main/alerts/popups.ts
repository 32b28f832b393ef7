/**
 * The scheduler's side of the OS pop-ups: sending and closing them (a failure
 * is logged, never lost: the alert stays active in the app), looking up what
 * they name, and which alerts the summary pop-up carries.
 */
import { FailureLog } from '../notify/failure-log.js';
import type { AppNotification, Notifier } from '../notify/notifier.js';
import type { AlertFacts } from './types.js';

export class Popups {
  /** Alerts on the summary pop-up: they re-notify as that one pop-up, never each on its own. */
  readonly inSummary = new Set<string>();
  /** Tickets whose pop-up waits for their next instant (a few seconds away), to be shown with it. */
  readonly deferred = new Set<string>();
  /** Pop-ups sent and not closed by us (the user may have closed some: closing those again is harmless). */
  private readonly shown = new Set<string>();

  /** A failure that repeats (no session bus, no daemon) logged in full once. */
  private readonly failures: FailureLog;

  constructor(
    private readonly deps: {
      notifier: Notifier;
      facts?: ((ticketId: string, now: number) => Promise<AlertFacts | null>) | undefined;
      log?: ((msg: string, err?: unknown) => void) | undefined;
    },
  ) {
    this.failures = new FailureLog(deps.log, {
      failed: 'alerts: the OS notification failed; the alert stays active in the app',
      repeated: (count, message) => `alerts: ${count} OS notifications failed in a row (${message}); the alerts stay active in the app`,
      works: (count) => `alerts: OS notifications work again, after ${count} failed in a row`,
    });
  }

  async show(n: AppNotification): Promise<void> {
    this.shown.add(n.id);
    try {
      await this.deps.notifier.notify(n);
    } catch (err) {
      this.failures.failed(err);
      return;
    }
    this.failures.worked();
  }

  async close(id: string): Promise<void> {
    if (!this.shown.delete(id)) return;
    try {
      await this.deps.notifier.close?.(id);
    } catch (err) {
      this.deps.log?.(`alerts: could not close notification ${id}`, err);
    }
  }

  async facts(ticketId: string, now: number): Promise<AlertFacts | null> {
    try {
      return (await this.deps.facts?.(ticketId, now)) ?? null;
    } catch (err) {
      this.deps.log?.(`alerts: could not look up ticket ${ticketId} for its notification`, err);
      return null;
    }
  }
}
