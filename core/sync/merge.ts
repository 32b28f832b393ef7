/**
 * Merge rules for ticket fields (pure). The server applies them; clients
 * never merge, they take the server's rows on pull.
 *
 * - timeline events: union keyed by event id (an id seen twice is one event);
 * - priority, assignee: last writer wins by HLC (device id breaks ties: it is the HLC's node);
 * - status: see decideStatus (a stale change never undoes a resolve or close, nor a resolve or close
 *   a status it had not seen);
 * - free-text fields (CONFLICT_FIELDS): an edit based on the current value wins;
 *   an edit based on an older value that differs from the current one is a
 *   conflict, recorded for a person to resolve.
 */
import { compareHlcStrings, hlcNode } from './hlc.js';
import type { TicketStatus } from './mutations.js';
import { isClosedStatus } from '../domain/ticket-status.js';

/** True when `incoming` beats `current` (null current: always). */
export function lwwWins(current: string | null | undefined, incoming: string): boolean {
  return current == null || compareHlcStrings(incoming, current) > 0;
}

export type FieldEditDecision = 'apply' | 'noop' | 'conflict';

export function decideFieldEdit(current: { value: string | null; hlc: string | null }, edit: { value: string | null; baseHlc: string | null; hlc: string }): FieldEditDecision {
  if (current.value === edit.value) return 'noop';
  if (current.hlc === null || current.hlc === edit.baseHlc) return 'apply';
  // The edit was made on a copy that had not seen the current value.
  return 'conflict';
}

export type StatusDecision = 'apply' | 'older' | 'reject_stale';

/**
 * A status change against the ticket's current status (docs/sync.md "Merging"). `statusVersion` is
 * the tenant version at which the current status was set (null: not known, set before servers kept
 * it); `baseVersion` is the ticket version the change's device had seen when it made the change (its
 * "seen version"). A change is *stale* when its device had not seen the current status being set
 * (a status the same device set, the HLC's node, it has seen).
 *
 * - A stale change that would leave or reach resolved/closed (either side resolved or closed, and a
 *   different status) is refused (`reject_stale`): a pause made without having seen the resolve does
 *   not undo it, and a resolve made without having seen the pause does not silently override it;
 *   its author is told and may redo it, now having seen the other change.
 * - Otherwise last writer wins by HLC (`older`: the event goes on the timeline, the status stays).
 *   So a deliberate reopen, made after seeing the close, applies.
 */
export function decideStatus(
  ticket: { status: TicketStatus; statusHlc: string | null; statusVersion: number | null },
  change: { status: TicketStatus; hlc: string; baseVersion: number },
): StatusDecision {
  // A device has seen its own changes, pushed or not (the status's HLC names the device that set it).
  const own = ticket.statusHlc !== null && hlcNode(ticket.statusHlc) === hlcNode(change.hlc);
  const stale = ticket.statusVersion !== null && change.baseVersion < ticket.statusVersion && !own;
  if (stale && change.status !== ticket.status && (isClosedStatus(ticket.status) || isClosedStatus(change.status))) return 'reject_stale';
  return lwwWins(ticket.statusHlc, change.hlc) ? 'apply' : 'older';
}

/** Why a stale status change was refused, for its author (the server's message; the reason is `ticket_closed`). */
export function staleStatusMessage(current: TicketStatus, change: TicketStatus): string {
  const was = STATUS_TEXT[current];
  return isClosedStatus(current)
    ? `The ticket was ${was} on another device after this device last synced; your change to "${STATUS_TEXT[change]}" was not applied. Reopen it if it still needs work.`
    : `The ticket was set to "${was}" on another device after this device last synced; your change to "${STATUS_TEXT[change]}" was not applied. Look at the ticket and do it again if it still holds.`;
}

const STATUS_TEXT: Record<TicketStatus, string> = {
  open: 'open',
  waiting_on_customer: 'waiting on customer',
  waiting_on_vendor: 'waiting on vendor',
  resolved: 'resolved',
  closed: 'closed',
};
