/** Electron's own Notification, the fallback notifier in the desktop app. Clicking it opens the ticket. */
import type { Notification as NotificationType } from 'electron';
import type { AppNotification, Notifier } from '../notify/notifier.js';

export class ElectronNotifier implements Notifier {
  private readonly listeners: Array<(id: string) => void> = [];
  /** Kept referenced so they are not garbage-collected before a click. */
  private readonly live = new Map<string, NotificationType>();

  constructor(private readonly NotificationClass: typeof NotificationType) {}

  async notify(n: AppNotification): Promise<void> {
    if (!this.NotificationClass.isSupported()) throw new Error('Electron notifications are not supported here');
    const note = new this.NotificationClass({ title: n.title, body: n.body, urgency: n.critical ? 'critical' : 'normal', timeoutType: n.critical ? 'never' : 'default' });
    this.live.set(n.id, note);
    note.on('click', () => {
      for (const l of this.listeners) l(n.id);
    });
    note.on('close', () => this.live.delete(n.id));
    note.show();
  }

  onClick(listener: (id: string) => void): void {
    this.listeners.push(listener);
  }
}
