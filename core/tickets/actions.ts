/**
 * What a desk action does to a ticket: the event it appends to the log and the
 * status it leaves, and which actions a status allows. The one mapping:
 * `desk.act` writes it, `desk.whatIf` evaluates it, so a what-if cannot
 * disagree with the act (docs/desk.md).
 */
import type { z } from 'zod';
import type { ticketAction } from '../api/desk.js';
import { isClosedStatus, isWaitingStatus } from '../domain/ticket-status.js';
import type { TicketStatus } from '../domain/ticket-status.js';

export type ActionInput = z.output<typeof ticketAction>;

/** The log event an action appends (`data` as stored; `at` and `author` are the caller's). */
export interface ActionEvent {
  type: 'responded' | 'callback' | 'status' | 'escalation' | 'note' | 'policy_changed' | 'assigned';
  data: Record<string, unknown>;
}

/** The event action `a` appends to a ticket in `status`, and the status it leaves. */
export function actionEffect(status: TicketStatus, a: ActionInput): { event: ActionEvent; status: TicketStatus } {
  switch (a.type) {
    case 'respond':
      return { event: { type: 'responded', data: { text: a.text } }, status };
    case 'callback':
      return {
        event: {
          type: 'callback',
          data: { reached: a.reached, channel: a.channel, text: a.text, countsAsUpdate: true, ...(a.nextCallbackAt !== undefined ? { nextCallbackAt: a.nextCallbackAt } : {}) },
        },
        status,
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
      return { event: { type: 'escalation', data: { level: a.to === 'vendor' ? 3 : 2, to: a.to === 'vendor' ? `vendor ${a.vendorRef}` : 'level 2', reason: a.reason } }, status };
    case 'note':
      return { event: { type: 'note', data: { text: a.text } }, status };
    case 'priority':
      return { event: { type: 'policy_changed', data: { policy: a.policy, reason: a.reason } }, status };
    case 'assign':
      return { event: { type: 'assigned', data: { assignee: a.assignee } }, status };
  }
}

/** Why a ticket in `status` cannot take action `type` (at path `action.type`), or null when it can. */
export function transitionProblem(status: TicketStatus, type: ActionInput['type']): string | null {
  const closed = isClosedStatus(status);
  const waiting = isWaitingStatus(status);
  if (type === 'pause' && status !== 'open') return `the ticket is ${status}; only an open ticket can be paused`;
  if (type === 'resume' && !waiting) return `the ticket is ${status}, not paused`;
  if (type === 'resolve' && closed) return `the ticket is already ${status}`;
  if (type === 'reopen' && !closed) return `the ticket is ${status}, not resolved or closed`;
  if (type === 'close' && status === 'closed') return 'the ticket is already closed';
  return null;
}
