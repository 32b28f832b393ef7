/**
 * A ticket's schedule as the SLA engine gives it: the next deadline (queue
 * order, countdowns) and the next status callback (callbacks panel), stored on
 * the ticket with its SLA summary. The ticket-SLA service (sla.ts) computes it
 * BEFORE a change is written and it is stored in the transaction of the change;
 * pulled changes are re-scheduled the same way (main/app/services.ts), so a
 * ticket registered on another device is ordered and counted down here like
 * one registered on this one.
 */
import type { TargetStatus } from '../../core/sla/index.js';
import { isClosedStatus } from '../../core/domain/index.js';
import type { TicketStatus } from '../../core/domain/index.js';

export interface Schedule {
  nextDueAt: number | null;
  /** Absent: keep the stored one (a contract without an update target: the callback the person set). */
  nextCallbackAt?: number | null;
}

/** "cannot compute SLA: <why>" as one line (the engine's and the store's messages). */
export function slaProblem(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
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
