/**
 * A ticket's schedule as the SLA engine gives it: the next deadline (queue
 * order, countdowns) and the next status callback (callbacks panel), stored on
 * the ticket. Kept after every local change (main/desk/handlers.ts) and every
 * pulled one (main/services.ts), so a ticket registered on another device is
 * ordered and counted down here like one registered on this one.
 */
import { evaluateTicket } from '../../core/sla/index.js';
import type { TargetStatus } from '../../core/sla/index.js';
import type { Ticket } from '../../db/repos/tickets.js';
import type { AppContext } from '../context.js';
import { slaEvents } from './sla-events.js';

export type ScheduleDeps = Pick<AppContext, 'store' | 'planner' | 'clock'>;

/** The engine's targets for the ticket now (null: no contract, or nothing the engine can run). */
export async function targetsOf(d: ScheduleDeps, t: Ticket): Promise<TargetStatus[] | null> {
  if (!t.contractId) return null;
  const c = await d.store.customers.getContract(t.contractId);
  if (!c) return null;
  const events = slaEvents(t, await d.store.tickets.events(t.id));
  if (!events.length) return null;
  const sla = await d.planner.contractFor({ contractId: c.id, contractVersion: c.version });
  return evaluateTicket({ events, policies: sla.policies, calendars: sla.calendars, now: d.clock.now() }).targets;
}

/** Stores the engine's schedule (next_due_at, next_callback_at) on the ticket; `raw` when the caller has evaluated already. */
export async function reschedule(d: ScheduleDeps, t: Ticket, raw?: readonly TargetStatus[] | null): Promise<void> {
  const open = t.status !== 'resolved' && t.status !== 'closed';
  if (!open) {
    // Resolved or closed: nothing is due, whatever the engine says (no need to ask it).
    if (t.nextDueAt !== null || t.nextCallbackAt !== null) await d.store.tickets.setSchedule(t.id, { nextDueAt: null, nextCallbackAt: null });
    return;
  }
  const targets = raw === undefined ? await targetsOf(d, t) : raw;
  if (targets) {
    let due: number | null = null;
    for (const x of targets) if (x.metric !== 'update' && x.state === 'running' && x.dueAt !== null && (due === null || x.dueAt < due)) due = x.dueAt;
    // paused past its deadline: still urgent
    for (const x of targets) if (x.metric !== 'update' && x.state === 'paused' && x.dueAt !== null && (due === null || x.dueAt < due)) due = x.dueAt;
    const upd = targets.find((x) => x.metric === 'update');
    const schedule: { nextDueAt: number | null; nextCallbackAt?: number | null } = { nextDueAt: due };
    if (upd) schedule.nextCallbackAt = upd.state === 'running' ? upd.dueAt : null;
    await d.store.tickets.setSchedule(t.id, schedule);
  }
}
