/** What the services need from the OS to raise a notification. Hosts inject an implementation. */
export interface AppNotification {
  /** Stable key; a re-notification of the same alert reuses it. */
  id: string;
  title: string;
  body: string;
  critical: boolean;
  /** The ticket a click should open. */
  ticketId?: string;
}

export interface Notifier {
  notify(notification: AppNotification): Promise<void>;
  /** Called with the notification's id when the user clicks it, where the platform reports that. */
  onClick?(listener: (id: string) => void): void;
}

/** A notifier that only records; for hosts without a desktop (CI, servers). */
export class MemoryNotifier implements Notifier {
  readonly sent: AppNotification[] = [];
  async notify(notification: AppNotification): Promise<void> {
    this.sent.push(notification);
  }
}
