/**
 * `desk.act` as store calls: the event an action appends (core/tickets/actions.ts)
 * and the ticket fields it changes, written in ONE transaction (StoreClient.batch) together
 * with the schedule the SLA engine gives for the ticket after the action.
 */
import { CRITICAL_PRIORITY, ticketPriority } from '../../../core/domain/index.js';
import { actionEffect } from '../../../core/tickets/actions.js';
import type { ActionInput } from '../../../core/tickets/actions.js';
import { op } from '../../../db/client.js';
import type { BatchCall } from '../../../db/client.js';
import type { AppendEventInput, Ticket, TicketEvent, TicketStatus } from '../../../db/repos/tickets.js';

export interface ActPlan {
  /** The writes, in order (the schedule is added by the caller). */
  calls: BatchCall[];
  /** The events appended, as the log will hold them (for the SLA engine before they are written). */
  appended: TicketEvent[];
  /** The ticket's status after the action. */
  status: TicketStatus;
}

/** The store calls of action `a` on ticket `t` at `now` (checked by the caller: transition, policy, vendor reference). */
export function actCalls(t: Ticket, a: ActionInput, author: string | null, now: number, criticalPolicy: string | null = null): ActPlan {
  const { event, status } = actionEffect(t.status, a);
  const input = { ...event, at: now, author } as AppendEventInput;
  const calls: BatchCall[] = [op('tickets', 'appendEvent', t.id, input)];
  if (a.type === 'escalate' && a.to === 'vendor') calls.push(op('tickets', 'update', t.id, { vendorRef: a.vendorRef }, author));
  if (a.type === 'priority') calls.push(op('tickets', 'update', t.id, { priority: ticketPriority(t.priority === CRITICAL_PRIORITY, a.policy, criticalPolicy) }, author));
  const appended = { id: '', ticketId: t.id, type: event.type, at: now, recordedAt: now, author, data: event.data as Record<string, unknown>, deviceId: '', hlc: '' } satisfies TicketEvent;
  return { calls, appended: [appended], status };
}
