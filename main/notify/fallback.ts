import type { AppNotification, Notifier, NotifyAction } from './notifier.js';

/**
 * Tries the primary notifier (D-Bus on Linux, node-notifier elsewhere) and,
 * when it fails (no session bus, no notification daemon), the fallback
 * (Electron's Notification). Actions from either reach the same listeners.
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
