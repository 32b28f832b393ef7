import type { AlertRecord } from '../../db/repos/notifications.js';
import { alertKey } from './types.js';
import type { Alert, AlertStore } from './types.js';

/** The part of the database the alert store needs (sync Store or async StoreClient). */
export interface NotificationsApi {
  loadOpen(): AlertRecord[] | Promise<AlertRecord[]>;
  recordAlerts(alerts: AlertRecord[]): AlertRecord[] | Promise<AlertRecord[]>;
  updateAlerts(alerts: AlertRecord[]): void | Promise<void>;
}

const toRecord = ({ key: _key, ...a }: Alert): AlertRecord => a;
const toAlert = (r: AlertRecord): Alert => ({ ...r, key: alertKey(r as Alert) }) as Alert;

/** Alerts kept in the notifications table, keyed (ticket, target, kind, due instant). */
export class DbAlertStore implements AlertStore {
  constructor(private readonly notifications: NotificationsApi) {}
  async loadOpen(): Promise<Alert[]> {
    return (await this.notifications.loadOpen()).map(toAlert);
  }
  async recordNew(alerts: Alert[]): Promise<Alert[]> {
    return (await this.notifications.recordAlerts(alerts.map(toRecord))).map(toAlert);
  }
  async update(alerts: Alert[]): Promise<void> {
    await this.notifications.updateAlerts(alerts.map(toRecord));
  }
}
