/**
 * `desk.act` as store calls: the event(s) an action appends and the ticket
 * fields it changes, written in ONE transaction (StoreClient.batch) together
 * with the schedule the SLA engine gives for the ticket after the action.
 */
import type { z } from 'zod';
import { CRITICAL_PRIORITY, ticketPriority } from '../../core/domain/index.js';
import type { ticketAction } from '../../core/api/desk.js';
import { op } from '../../db/client.js';
import type { BatchCall } from '../../db/client.js';
import type { AppendEventInput, Ticket, TicketEvent } from '../../db/repos/tickets.js';
import type { TicketStatus } from '../../core/domain/index.js';
import { ApiFailure } from '../api/dispatch.js';

export interface ActPlan {
  /** The writes, in order (the schedule is added by the caller). */
  calls: BatchCall[];
  /** The events appended, as the log will hold them (for the SLA engine before they are written). */
  appended: TicketEvent[];
  /** The ticket's status after the action. */
  status: TicketStatus;
}

type Action = z.output<typeof ticketAction>;

/** The event an action appends (its `data` as stored), and the status it leaves. */
function eventOf(t: Ticket, a: Action): { event: Omit<AppendEventInput, 'at' | 'author'>; status: TicketStatus } {
  const same = t.status;
  switch (a.type) {
    case 'respond':
      return { event: { type: 'responded', data: { text: a.text } }, status: same };
    case 'callback':
      return {
        event: { type: 'callback', data: { reached: a.reached, channel: a.channel, text: a.text, countsAsUpdate: true, ...(a.nextCallbackAt !== undefined ? { nextCallbackAt: a.nextCallbackAt } : {}) } },
        status: same,
      };
    case 'pause':
      return { event: { type: 'status', data: { status: a.reason, text: a.text } }, status: a.reason };
    case 'resume':
    case 'reopen':
      return { event: { type: 'status', data: { status: 'open', text: a.text } }, status: 'open' };
    case 'resolve':
      return { event: { type: 'status', data: { status: 'resolved', text: a.text } }, status: 'resolved' };
    case 'close':
      return { event: { type: 'status', data: { status: 'closed', text: a.text } }, status: 'closed' };
    case 'escalate':
      if (a.to === 'vendor' && !a.vendorRef) throw new ApiFailure('invalid_request', "give the vendor's reference", 'action.vendorRef');
      return { event: { type: 'escalation', data: { level: a.to === 'vendor' ? 3 : 2, to: a.to === 'vendor' ? `vendor ${a.vendorRef}` : 'level 2', reason: a.reason } }, status: same };
    case 'note':
      return { event: { type: 'note', data: { text: a.text } }, status: same };
    case 'priority':
      return { event: { type: 'policy_changed', data: { policy: a.policy, reason: a.reason } }, status: same };
    case 'assign':
      return { event: { type: 'assigned', data: { assignee: a.assignee } }, status: same };
  }
}

/** The store calls of action `a` on ticket `t` at `now` (checked by the caller: transition, policy). */
export function actCalls(t: Ticket, a: Action, author: string | null, now: number, criticalPolicy: string | null = null): ActPlan {
  const { event, status } = eventOf(t, a);
  const input = { ...event, at: now, author } as AppendEventInput;
  const calls: BatchCall[] = [op('tickets', 'appendEvent', t.id, input)];
  if (a.type === 'escalate' && a.to === 'vendor') calls.push(op('tickets', 'update', t.id, { vendorRef: a.vendorRef }, author));
  if (a.type === 'priority') calls.push(op('tickets', 'update', t.id, { priority: ticketPriority(t.priority === CRITICAL_PRIORITY, a.policy, criticalPolicy) }, author));
  const appended = { id: '', ticketId: t.id, type: event.type, at: now, recordedAt: now, author, data: event.data as Record<string, unknown>, deviceId: '', hlc: '' } satisfies TicketEvent;
  return { calls, appended: [appended], status };
}
