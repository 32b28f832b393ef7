import notifier from 'node-notifier';
import type { AppNotification, Notifier, NotifyAction } from './notifier.js';

/**
 * OS notifications through node-notifier: native on macOS (NotificationCenter)
 * and Windows (SnoreToast), whose backends carry action buttons. On Linux the
 * app uses `DbusNotifier` instead (notify-send can neither carry actions nor
 * report clicks).
 */
export class NodeNotifier implements Notifier {
  private readonly listeners: Array<(id: string, action: NotifyAction) => void> = [];

  async notify(n: AppNotification): Promise<void> {
    const labels = new Map((n.actions ?? []).map((a) => [a.label, a.id]));
    await new Promise<void>((resolve, reject) => {
      notifier.notify(
        {
          title: n.title,
          message: n.body,
          appName: 'Vakt',
          urgency: n.critical ? 'critical' : 'normal',
          actions: [...labels.keys()],
          sound: Boolean(n.sound),
          // A critical alert stays until acted on; the callback then reports the choice.
          timeout: n.critical ? false : undefined,
          wait: labels.size > 0,
        } as notifier.Notification,
        (err: Error | null, response: string, metadata?: { activationValue?: string; button?: string }) => {
          if (err) return reject(new Error(`OS notification failed: ${err.message}`));
          const chosen = labels.get(metadata?.activationValue ?? metadata?.button ?? '') ?? (response === 'activate' ? 'open' : undefined);
          if (chosen) for (const l of this.listeners) l(n.id, chosen);
          resolve();
        },
      );
    });
  }

  onAction(listener: (id: string, action: NotifyAction) => void): void {
    this.listeners.push(listener);
  }
}
