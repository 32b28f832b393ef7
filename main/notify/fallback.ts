import { FailureLog } from './failure-log.js';
import type { AppNotification, Notifier, NotifyAction } from './notifier.js';

/**
 * Tries the primary notifier (D-Bus on Linux, node-notifier elsewhere) and,
 * when it fails (no session bus, no notification daemon), the fallback
 * (Electron's Notification). Actions from either reach the same listeners.
 */
export class FallbackNotifier implements Notifier {
  /** The primary's failure, logged in full once while it repeats (failure-log.ts). */
  private readonly failures: FailureLog;

  constructor(
    private readonly primary: Notifier,
    private readonly fallback: Notifier,
    log: (msg: string, err?: unknown) => void = () => {},
  ) {
    this.failures = new FailureLog(log, {
      failed: 'notifications: the OS notifier failed, using the fallback',
      repeated: (count, message) => `notifications: the OS notifier failed ${count} times in a row (${message}), using the fallback`,
      works: (count) => `notifications: the OS notifier works again, after ${count} failed in a row`,
    });
  }

  async notify(n: AppNotification): Promise<void> {
    try {
      await this.primary.notify(n);
    } catch (err) {
      this.failures.failed(err);
      await this.fallback.notify(n);
      return;
    }
    this.failures.worked();
  }

  onAction(listener: (id: string, action: NotifyAction) => void): void {
    this.primary.onAction?.(listener);
    this.fallback.onAction?.(listener);
  }

  dispose(): void {
    this.primary.dispose?.();
    this.fallback.dispose?.();
  }

  async close(id: string): Promise<void> {
    await Promise.allSettled([this.primary.close?.(id), this.fallback.close?.(id)]);
  }
}
