/**
 * A ticket's schedule as the SLA engine gives it: the next deadline (queue
 * order, countdowns) and the next status callback (callbacks panel), stored on
 * the ticket. The desk handlers compute it BEFORE they write and store it in
 * the transaction of the change (main/handlers/desk/handlers.ts); pulled changes are
 * re-scheduled here (main/app/services.ts), so a ticket registered on another
 * device is ordered and counted down here like one registered on this one.
 *
 * A ticket whose SLA cannot be computed (its contract is gone or does not
 * compile, its policy is not in the contract: e.g. it arrived by sync) is a
 * problem of that ticket only: `slaOf` answers why, nothing here throws for it.
 */
import { errorIssues, evaluateTicket, issue } from '../../core/sla/index.js';
import type { Contract as SlaContract, TargetStatus, TicketEvent as SlaEvent, TicketStatus as SlaStatus, ValidationIssue } from '../../core/sla/index.js';
import { visitOf } from '../../core/agreements/maintenance.js';
import type { Contract } from '../../db/repos/customers.js';
import type { Ticket } from '../../db/repos/tickets.js';
import { isClosedStatus } from '../../core/domain/index.js';
import type { TicketStatus } from '../../core/domain/index.js';
import type { AppContext } from '../app/context.js';
import { slaEvents } from './sla-events.js';

export type ScheduleDeps = Pick<AppContext, 'store' | 'planner' | 'clock'>;

export interface Schedule {
  nextDueAt: number | null;
  /** Absent: keep the stored one (a contract without an update target: the callback the person set). */
  nextCallbackAt?: number | null;
}

/** A ticket's SLA now: evaluated, not applicable (no contract, no `created` event), or the reason it cannot be computed (in English, and as keyed issues). */
export type SlaOutcome = { ok: true; contract: Contract; sla: SlaContract; status: SlaStatus } | SlaFailure | null;
export interface SlaFailure {
  ok: false;
  reason: string;
  issues: ValidationIssue[];
}

/** "cannot compute SLA: <why>" as one line (the engine's and the store's messages). */
export function slaProblem(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * Evaluates the ticket's stored events (or `events`, e.g. with a change about to be written or
 * previewed) at `now`. Never throws for the ticket's own data; the store's errors do propagate.
 */
export async function slaOf(d: ScheduleDeps, t: Ticket, opts: { explain?: boolean; events?: readonly SlaEvent[]; now?: number } = {}): Promise<SlaOutcome> {
  if (!t.contractId) return null;
  const contract = await d.store.customers.getContract(t.contractId);
  if (!contract) {
    const missing = issue('', 'contractNotHere', { id: t.contractId });
    return { ok: false, reason: missing.message, issues: [missing] };
  }
  const events = opts.events ?? slaEvents(t, await d.store.tickets.events(t.id));
  if (!events.length) return null;
  try {
    const sla = await d.planner.contractFor({ contractId: contract.id, contractVersion: contract.version });
    const status = evaluateTicket({ events: [...events], policies: sla.policies, calendars: sla.calendars, now: opts.now ?? d.clock.now(), explain: opts.explain ?? false });
    return { ok: true, contract, sla, status };
  } catch (e) {
    return { ok: false, reason: slaProblem(e), issues: errorIssues(e) };
  }
}

/** The engine's targets for the ticket now (null: no contract, nothing the engine can run, or it cannot be computed). */
export async function targetsOf(d: ScheduleDeps, t: Ticket): Promise<TargetStatus[] | null> {
  const r = await slaOf(d, t);
  return r?.ok ? r.status.targets : null;
}

/**
 * The schedule to store for a ticket in `status` with the engine's `targets`; null: nothing to store
 * (no targets: no SLA, or it cannot be computed; the stored schedule is kept).
 */
export function scheduleOf(status: TicketStatus, targets: readonly TargetStatus[] | null): Schedule | null {
  // Resolved or closed: nothing is due, whatever the engine says.
  if (isClosedStatus(status)) return { nextDueAt: null, nextCallbackAt: null };
  if (!targets) return null;
  let due: number | null = null;
  for (const x of targets) if (x.metric !== 'update' && x.state === 'running' && x.dueAt !== null && (due === null || x.dueAt < due)) due = x.dueAt;
  // paused past its deadline: still urgent
  for (const x of targets) if (x.metric !== 'update' && x.state === 'paused' && x.dueAt !== null && (due === null || x.dueAt < due)) due = x.dueAt;
  const upd = targets.find((x) => x.metric === 'update');
  const schedule: Schedule = { nextDueAt: due };
  if (upd) schedule.nextCallbackAt = upd.state === 'running' ? upd.dueAt : null;
  return schedule;
}

/** Stores the engine's schedule (next_due_at, next_callback_at) on the ticket (a pulled change); `raw` when the caller has evaluated already. */
export async function reschedule(d: ScheduleDeps, t: Ticket, raw?: readonly TargetStatus[] | null): Promise<void> {
  const open = t.status !== 'resolved' && t.status !== 'closed';
  if (!open && t.nextDueAt === null && t.nextCallbackAt === null) return;
  // A planned visit has no SLA clock: its due window's end is its deadline (docs/maintenance.md).
  const visit = open ? visitOf(t.intake) : null;
  const s = scheduleOf(t.status, open ? (raw === undefined ? await targetsOf(d, t) : raw) : null) ?? (visit && t.nextDueAt !== visit.windowEnd ? { nextDueAt: visit.windowEnd } : null);
  if (s) await d.store.tickets.setSchedule(t.id, s);
}
