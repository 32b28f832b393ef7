/** Electron's own Notification, the fallback notifier in the desktop app. Clicking it opens the ticket; on macOS it shows the action buttons. */
import type { Notification as NotificationType } from 'electron';
import type { AppNotification, Notifier, NotifyAction } from '../../notify/notifier.js';

export class ElectronNotifier implements Notifier {
  private readonly listeners: Array<(id: string, action: NotifyAction) => void> = [];
  /** Kept referenced so they are not garbage-collected before a click; one per id, a newer one replaces it. */
  private readonly live = new Map<string, NotificationType>();

  constructor(private readonly NotificationClass: typeof NotificationType) {}

  async notify(n: AppNotification): Promise<void> {
    if (!this.NotificationClass.isSupported()) throw new Error('Electron notifications are not supported here');
    const actions = n.actions ?? [];
    const note = new this.NotificationClass({
      title: n.title,
      body: n.body,
      urgency: n.critical ? 'critical' : 'normal',
      // A critical alert stays on screen until acknowledged.
      timeoutType: n.critical ? 'never' : 'default',
      silent: !n.sound,
      actions: actions.map((a) => ({ type: 'button' as const, text: a.label })),
    });
    this.live.get(n.id)?.close();
    this.live.set(n.id, note);
    const fire = (action: NotifyAction) => {
      for (const l of this.listeners) l(n.id, action);
    };
    note.on('click', () => fire('open'));
    note.on('action', (_e: unknown, index: number) => {
      const a = actions[index];
      if (a) fire(a.id);
    });
    note.on('close', () => {
      if (this.live.get(n.id) === note) this.live.delete(n.id);
    });
    note.show();
  }

  onAction(listener: (id: string, action: NotifyAction) => void): void {
    this.listeners.push(listener);
  }

  async close(id: string): Promise<void> {
    this.live.get(id)?.close();
    this.live.delete(id);
  }
}
