/** The scheduler's open alerts (active, or acknowledged while their cause holds), by key and by ticket. */
import type { Alert } from './types.js';

export class OpenAlerts {
  private readonly byKey = new Map<string, Alert>();
  private readonly byTicket = new Map<string, Set<string>>();

  /** Records an alert's new state; a resolved alert is forgotten. */
  remember(a: Alert): void {
    if (a.state === 'resolved') {
      this.byKey.delete(a.key);
      this.byTicket.get(a.ticketId)?.delete(a.key);
      return;
    }
    this.byKey.set(a.key, a);
    let set = this.byTicket.get(a.ticketId);
    if (!set) this.byTicket.set(a.ticketId, (set = new Set()));
    set.add(a.key);
  }

  get(key: string): Alert | undefined {
    return this.byKey.get(key);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  values(): IterableIterator<Alert> {
    return this.byKey.values();
  }

  /** The keys of a ticket's open alerts. */
  keysOf(ticketId: string): Iterable<string> {
    return this.byTicket.get(ticketId) ?? [];
  }

  /** The active alerts among `keys`. */
  activeOf(keys: Iterable<string>): Alert[] {
    const out: Alert[] = [];
    for (const k of keys) {
      const a = this.byKey.get(k);
      if (a && a.state === 'active') out.push(a);
    }
    return out;
  }

  /** The active alerts, soonest due first. */
  active(): Alert[] {
    return [...this.byKey.values()].filter((a) => a.state === 'active').sort((x, y) => x.dueAt - y.dueAt);
  }
}
