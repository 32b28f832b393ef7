/** What the services need from the OS to raise a notification. Hosts inject an implementation. */

/** What the user can do from a notification; `open` is also a click on its body. */
export type NotifyAction = 'acknowledge' | 'snooze' | 'open' | 'acknowledge-all' | 'open-alerts';

export interface AppNotification {
  /**
   * Stable key of the pop-up: `ticket|<ticketId>` (at most one per ticket) or `summary`.
   * A notification with the id of one still on screen replaces it (D-Bus `replaces_id`).
   */
  id: string;
  title: string;
  body: string;
  critical: boolean;
  /** The ticket Open should bring up. */
  ticketId?: string;
  /** Buttons on the pop-up, in order; ids are reported back through `onAction`. */
  actions?: Array<{ id: NotifyAction; label: string }>;
  /** A freedesktop sound name to play, or null/absent for none (the user's setting). */
  sound?: string | null;
}

export interface Notifier {
  notify(notification: AppNotification): Promise<void>;
  /** Called with the notification's id and the action the user chose (a click on the body is `open`), where the platform reports that. */
  onAction?(listener: (id: string, action: NotifyAction) => void): void;
  /** Takes a pop-up off the screen (its alerts were acknowledged in the app), where the platform can. */
  close?(id: string): Promise<void>;
  /** Lets go of OS resources (the D-Bus connection), so the process can exit. */
  dispose?(): void;
}

/** A notifier that only records; for hosts without a desktop (CI, servers). */
export class MemoryNotifier implements Notifier {
  readonly sent: AppNotification[] = [];
  readonly closed: string[] = [];
  private readonly listeners: Array<(id: string, action: NotifyAction) => void> = [];
  async notify(notification: AppNotification): Promise<void> {
    this.sent.push(notification);
  }
  onAction(listener: (id: string, action: NotifyAction) => void): void {
    this.listeners.push(listener);
  }
  async close(id: string): Promise<void> {
    this.closed.push(id);
  }
  /** Acts as the user would on a pop-up (tests). */
  invoke(id: string, action: NotifyAction): void {
    for (const l of this.listeners) l(id, action);
  }
}
