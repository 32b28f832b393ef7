import notifier from 'node-notifier';
import type { AppNotification, Notifier } from './notifier.js';

/** OS notifications through node-notifier: notify-send (libnotify) on Linux, native elsewhere. */
export class NodeNotifier implements Notifier {
  private readonly clickListeners: Array<(id: string) => void> = [];

  async notify(n: AppNotification): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      notifier.notify(
        {
          title: n.title,
          message: n.body,
          appName: 'Vakt',
          urgency: n.critical ? 'critical' : 'normal',
          wait: false,
        } as notifier.Notification,
        (err: Error | null, response: string) => {
          if (err) reject(new Error(`OS notification failed: ${err.message}`));
          else {
            if (response === 'activate') for (const l of this.clickListeners) l(n.id);
            resolve();
          }
        },
      );
    });
  }

  onClick(listener: (id: string) => void): void {
    this.clickListeners.push(listener);
  }
}
