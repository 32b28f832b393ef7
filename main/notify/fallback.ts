import type { AppNotification, Notifier } from './notifier.js';

/**
 * Tries the primary notifier (node-notifier) and, when it fails (no
 * notify-send, no notification daemon), the fallback (Electron's
 * Notification). Clicks from either reach the same listeners.
 */
export class FallbackNotifier implements Notifier {
  constructor(
    private readonly primary: Notifier,
    private readonly fallback: Notifier,
    private readonly log: (msg: string, err?: unknown) => void = () => {},
  ) {}

  async notify(n: AppNotification): Promise<void> {
    try {
      await this.primary.notify(n);
    } catch (err) {
      this.log('notifications: the OS notifier failed, using the fallback', err);
      await this.fallback.notify(n);
    }
  }

  onClick(listener: (id: string) => void): void {
    this.primary.onClick?.(listener);
    this.fallback.onClick?.(listener);
  }
}
