import type { Alert, AlertStore } from './types.js';

/** Alerts kept in memory: for hosts without a database and for tests. */
export class MemoryAlertStore implements AlertStore {
  readonly all = new Map<string, Alert>();
  async loadOpen(): Promise<Alert[]> {
    return [...this.all.values()].filter((a) => a.state !== 'resolved').map((a) => ({ ...a }));
  }
  async recordNew(alerts: Alert[]): Promise<Alert[]> {
    const inserted: Alert[] = [];
    for (const a of alerts) {
      if (this.all.has(a.key)) continue;
      this.all.set(a.key, { ...a });
      inserted.push(a);
    }
    return inserted;
  }
  async update(alerts: Alert[]): Promise<void> {
    for (const a of alerts) this.all.set(a.key, { ...a });
  }
}
