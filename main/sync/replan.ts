/**
 * Pulled tickets' schedules and alerts (docs/sync.md "Initial sync"). A pull marks the tickets it
 * changed in `sync_replan`, in its own transaction; here, a batch at a time: the tickets in one store
 * round trip, the SLA inputs of those with a contract in another, the schedule and SLA summary of each (the ticket-SLA service, main/tickets/sla.ts)
 * in ONE write, then the alert scheduler takes the plans made with them (it reads and evaluates
 * nothing again), and the marks go. A crash in between leaves the marks: the next start re-plans.
 * Used after every pulled page, for what a bulk load left at its end, and at start.
 */
import type { Clock } from '../../core/clock.js';
import type { StoreClient } from '../../db/client.js';
import { op } from '../../db/client.js';
import type { BatchCall } from '../../db/client.js';
import type { Ticket } from '../../db/repos/tickets.js';
import type { PlanResult } from '../alerts/types.js';
import type { SlaInputs, TicketSla } from '../tickets/sla.js';

/** Tickets re-planned per store round trip. */
export const REPLAN_BATCH = 500;

export interface PulledReplanDeps {
  store: Pick<StoreClient, 'batch' | 'sync'>;
  sla: Pick<TicketSla, 'change'>;
  clock: Clock;
  /** The scheduler re-plans these tickets (with the plans made here) and the UI is told. */
  changed(ticketIds: string[], planned: ReadonlyMap<string, { at: number; plan: PlanResult }>): Promise<void>;
  /** Acks of these tickets' alerts may have arrived: the scheduler follows them. */
  recheck(ticketIds: string[]): Promise<void>;
}

export class PulledReplan {
  constructor(private readonly d: PulledReplanDeps) {}

  /** Re-plans these tickets (a pulled page's), a batch at a time, and clears their marks. */
  async tickets(ticketIds: readonly string[]): Promise<void> {
    for (let i = 0; i < ticketIds.length; i += REPLAN_BATCH) await this.batch(ticketIds.slice(i, i + REPLAN_BATCH));
  }

  /** Re-plans every ticket still marked (a bulk load's, or what a crash left), a batch at a time. */
  async left(): Promise<void> {
    for (let ids = await this.d.store.sync.toReplan(REPLAN_BATCH); ids.length; ids = await this.d.store.sync.toReplan(REPLAN_BATCH)) await this.batch(ids);
  }

  private async batch(ids: string[]): Promise<void> {
    // The tickets first: one with no contract has no SLA to evaluate (TicketSla.evaluate), so its events stay in the store.
    const tickets = (await this.d.store.batch(ids.map((id) => op('tickets', 'get', id)))) as Array<Ticket | null>;
    const withSla = ids.filter((_, i) => tickets[i]?.contractId);
    const loaded = new Map<string, SlaInputs | null>();
    if (withSla.length) ((await this.d.store.batch(withSla.map((id) => op('tickets', 'slaInputs', id)))) as Array<SlaInputs | null>).forEach((x, i) => loaded.set(withSla[i] as string, x));
    const inputs = tickets.map((t, i) => (t?.contractId ? (loaded.get(ids[i] as string) ?? null) : t ? { ticket: t, events: [], contract: null } : null));
    const now = this.d.clock.now();
    const planned = new Map<string, { at: number; plan: PlanResult }>();
    const writes: BatchCall[] = [];
    inputs.forEach((x, i) => {
      if (!x) return;
      const c = this.d.sla.change(x, x.ticket.status, { now });
      if (c.schedule) writes.push(op('tickets', 'setSchedule', ids[i] as string, c.schedule));
      if (c.planned) planned.set(ids[i] as string, c.planned);
    });
    if (writes.length) await this.d.store.batch(writes);
    await this.d.changed(ids, planned);
    // An ack pulled from the server acknowledges the alert here too (on-call escalation, main/alerts/routing.ts).
    await this.d.recheck(ids);
    await this.d.store.sync.replanned(ids);
  }
}
