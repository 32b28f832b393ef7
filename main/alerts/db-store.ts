import type { AlertRecord, NotificationsRepo } from '../../db/repos/notifications.js';
import { alertKey } from './types.js';
import type { Alert, AlertCursor, AlertStore, RenotifyStamp, TimedIndex } from './types.js';

type Maybe<T> = T | Promise<T>;

/** The methods of the notifications repository the alert store needs. */
type Needed = 'loadOpen' | 'active' | 'startup' | 'openOf' | 'timed' | 'recordAlerts' | 'updateAlerts' | 'renotified';

/**
 * The part of the database the alert store needs: those methods of the notifications repository, called in
 * this thread (Store) or through the store's worker (StoreClient). Their signatures are the repository's.
 */
export type NotificationsApi = { [K in Needed]: (...args: Parameters<NotificationsRepo[K]>) => Maybe<ReturnType<NotificationsRepo[K]>> };

const toRecord = ({ key: _key, ...a }: Alert): AlertRecord => a;
const toAlert = (r: AlertRecord): Alert => ({ ...r, key: alertKey(r as Alert) }) as Alert;

/** Alerts kept in the notifications table, keyed (ticket, target, kind, due instant). */
export class DbAlertStore implements AlertStore {
  constructor(private readonly notifications: NotificationsApi) {}
  async loadOpen(): Promise<Alert[]> {
    return (await this.notifications.loadOpen()).map(toAlert);
  }
  async active(): Promise<Alert[]> {
    return (await this.notifications.active()).map(toAlert);
  }
  async startup(): Promise<{ active: number; held: Alert[]; unshown: Alert[]; renotified: RenotifyStamp | null }> {
    const { active, held, unshown, renotified } = await this.notifications.startup();
    return { active, held: held.map(toAlert), unshown: unshown.map(toAlert), renotified };
  }
  async openOf(ticketIds: readonly string[]): Promise<Alert[]> {
    return ticketIds.length ? (await this.notifications.openOf(ticketIds)).map(toAlert) : [];
  }
  async timed(index: TimedIndex, after: AlertCursor | null, limit: number): Promise<{ alerts: Alert[]; last: AlertCursor | null }> {
    const { alerts, last } = await this.notifications.timed(index, after, limit);
    return { alerts: alerts.map(toAlert), last };
  }
  async recordNew(alerts: Alert[]): Promise<Alert[]> {
    return (await this.notifications.recordAlerts(alerts.map(toRecord))).map(toAlert);
  }
  async update(alerts: Alert[], durable = false): Promise<void> {
    await this.notifications.updateAlerts(alerts.map(toRecord), durable);
  }
  async renotified(stamp: RenotifyStamp, alerts: Alert[]): Promise<void> {
    await this.notifications.renotified(stamp, alerts.map(toRecord));
  }
}
