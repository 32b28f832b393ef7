import type { Alert, AlertCursor, AlertStore, RenotifyStamp, TimedIndex } from './types.js';

/** The instant by which an active alert is in a timed index (the database's partial indexes, migration 0021), or null. */
function timedAt(a: Alert, index: TimedIndex): number | null {
  if (a.state !== 'active' || a.held) return null;
  if (index === 'snoozes') return a.snoozedUntil;
  return a.snoozedUntil === null && a.critical ? a.notifiedAt : null;
}

const copy = (a: Alert): Alert => ({ ...a });

/** Alerts kept in memory: for hosts without a database and for tests. */
export class MemoryAlertStore implements AlertStore {
  readonly all = new Map<string, Alert>();
  async loadOpen(): Promise<Alert[]> {
    return [...this.all.values()].filter((a) => a.state !== 'resolved').map(copy);
  }
  async active(): Promise<Alert[]> {
    return [...this.all.values()]
      .filter((a) => a.state === 'active')
      .sort((x, y) => x.dueAt - y.dueAt)
      .map(copy);
  }
  async startup(): Promise<{ active: number; held: Alert[]; unshown: Alert[]; renotified: RenotifyStamp | null }> {
    const active = [...this.all.values()].filter((a) => a.state === 'active');
    const unshown = active.filter((a) => !a.held && a.snoozedUntil === null && a.notifiedAt === null).sort((x, y) => x.dueAt - y.dueAt);
    return { active: active.length, held: active.filter((a) => a.held).map(copy), unshown: unshown.map(copy), renotified: null };
  }
  async openOf(ticketIds: readonly string[]): Promise<Alert[]> {
    const ids = new Set(ticketIds);
    return [...this.all.values()].filter((a) => a.state !== 'resolved' && ids.has(a.ticketId)).map(copy);
  }
  async timed(index: TimedIndex, after: AlertCursor | null, limit: number): Promise<{ alerts: Alert[]; last: AlertCursor | null }> {
    const after_ = (at: number, id: string) => !after || at > after.at || (at === after.at && id > after.id);
    const rows = [...this.all.values()]
      .map((a) => ({ a, at: timedAt(a, index) }))
      .filter((r): r is { a: Alert; at: number } => r.at !== null && after_(r.at, r.a.key))
      .sort((x, y) => x.at - y.at || (x.a.key < y.a.key ? -1 : x.a.key > y.a.key ? 1 : 0))
      .slice(0, limit);
    const end = rows[rows.length - 1];
    return { alerts: rows.map((r) => copy(r.a)), last: end ? { at: end.at, id: end.a.key } : null };
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
  /** Applies the stamp to the alerts it covers at once (the database keeps it apart and applies it as it reads). */
  async renotified(stamp: RenotifyStamp, alerts: Alert[]): Promise<void> {
    for (const a of this.all.values()) if (timedAt(a, 'shown') !== null && (a.notifiedAt ?? Infinity) <= stamp.through) a.notifiedAt = stamp.at;
    await this.update(alerts);
  }
}
