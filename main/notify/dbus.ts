/**
 * Linux notifications straight over D-Bus (`org.freedesktop.Notifications`),
 * which node-notifier's notify-send backend cannot do: actions (reported
 * through `ActionInvoked`), hints (urgency, `resident`, `sound-name`,
 * `desktop-entry`), `expire_timeout` 0 for critical pop-ups, and
 * `replaces_id`, so that a pop-up with the id of one still on screen replaces
 * it instead of stacking.
 *
 * dbus-next is loaded on the first notification, not at start.
 */
import type { ClientInterface, MessageBus, Variant } from 'dbus-next';
import type * as DbusNext from 'dbus-next';
import type { AppNotification, Notifier, NotifyAction } from './notifier.js';

const NAME = 'org.freedesktop.Notifications';
const PATH = '/org/freedesktop/Notifications';
interface NotificationsIface extends ClientInterface {
  Notify(...args: ReturnType<typeof notifyArgs>): Promise<number>;
  CloseNotification(id: number): Promise<void>;
}
const ACTIONS = new Set<NotifyAction>(['acknowledge', 'snooze', 'open', 'acknowledge-all', 'open-alerts']);

type Dbus = typeof DbusNext;

/** The `Notify` arguments for a notification (exported for tests of the mapping). */
export function notifyArgs(dbus: Dbus, n: AppNotification, replacesId: number): [string, number, string, string, string, string[], Record<string, Variant>, number] {
  const actions: string[] = [];
  // "default" is the click on the body: it opens what the pop-up is about.
  actions.push('default', n.ticketId ? 'Open' : 'Open alerts');
  for (const a of n.actions ?? []) actions.push(a.id, a.label);
  const hints: Record<string, Variant> = {
    urgency: new dbus.Variant('y', n.critical ? 2 : 1),
    'desktop-entry': new dbus.Variant('s', 'vakt'),
    category: new dbus.Variant('s', 'im.received'),
  };
  // A critical pop-up stays on screen (and in the daemon) until it is acknowledged.
  if (n.critical) hints.resident = new dbus.Variant('b', true);
  if (n.sound) hints['sound-name'] = new dbus.Variant('s', n.sound);
  return ['Vakt', replacesId, 'dialog-warning', n.title, n.body, actions, hints, n.critical ? 0 : -1];
}

export class DbusNotifier implements Notifier {
  private bus: MessageBus | null = null;
  private iface: Promise<NotificationsIface> | null = null;
  private dbus: Dbus | null = null;
  /** Our notification id -> the daemon's, for pop-ups still on screen. */
  private readonly onScreen = new Map<string, number>();
  private readonly listeners: Array<(id: string, action: NotifyAction) => void> = [];

  constructor(private readonly log: (msg: string, err?: unknown) => void = () => {}) {}

  async notify(n: AppNotification): Promise<void> {
    const iface = await this.connect();
    const replaces = this.onScreen.get(n.id) ?? 0;
    let serverId: number;
    try {
      serverId = Number(await iface.Notify(...notifyArgs(this.dbus!, n, replaces)));
    } catch (err) {
      throw new Error(`D-Bus notification failed: ${(err as Error).message}`);
    }
    this.onScreen.set(n.id, serverId);
  }

  onAction(listener: (id: string, action: NotifyAction) => void): void {
    this.listeners.push(listener);
  }

  async close(id: string): Promise<void> {
    const serverId = this.onScreen.get(id);
    if (serverId === undefined || !this.iface) return;
    this.onScreen.delete(id);
    await (await this.iface).CloseNotification(serverId);
  }

  /** Disconnects from the session bus (the process can then exit). */
  dispose(): void {
    this.bus?.disconnect();
    this.bus = null;
    this.iface = null;
  }

  private connect(): Promise<NotificationsIface> {
    if (this.iface) return this.iface;
    this.iface = (async () => {
      if (!process.env.DBUS_SESSION_BUS_ADDRESS) throw new Error('no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)');
      const dbus = (this.dbus ??= (await import('dbus-next')).default);
      const bus = dbus.sessionBus();
      this.bus = bus;
      bus.on('error', (err: unknown) => this.log('notifications: D-Bus connection error', err));
      const obj = await bus.getProxyObject(NAME, PATH);
      const iface = obj.getInterface<NotificationsIface>(NAME);
      iface.on('ActionInvoked', (serverId: number, key: string) => {
        const id = this.ourId(serverId);
        const action = key === 'default' ? 'open' : (key as NotifyAction);
        if (id === undefined || !ACTIONS.has(action)) return;
        for (const l of this.listeners) l(id, action);
      });
      iface.on('NotificationClosed', (serverId: number) => {
        const id = this.ourId(serverId);
        if (id !== undefined) this.onScreen.delete(id);
      });
      return iface;
    })();
    this.iface.catch(() => {
      this.bus?.disconnect();
      this.bus = null;
      this.iface = null;
    });
    return this.iface;
  }

  private ourId(serverId: number): string | undefined {
    for (const [id, s] of this.onScreen) if (s === serverId) return id;
    return undefined;
  }
}
