/**
 * Merge rules for ticket fields (pure). The server applies them; clients
 * never merge, they take the server's rows on pull.
 *
 * - timeline events: union keyed by event id (an id seen twice is one event);
 * - priority, assignee: last writer wins by HLC (device id breaks ties: it is the HLC's node);
 * - status: last writer wins by HLC, except that a change made without having
 *   seen the close (base version older than the close) never reopens a closed ticket;
 * - free-text fields (CONFLICT_FIELDS): an edit based on the current value wins;
 *   an edit based on an older value that differs from the current one is a
 *   conflict, recorded for a person to resolve.
 */
import { compareHlcStrings } from './hlc.js';
import type { TicketStatus } from './mutations.js';

/** True when `incoming` beats `current` (null current: always). */
export function lwwWins(current: string | null | undefined, incoming: string): boolean {
  return current == null || compareHlcStrings(incoming, current) > 0;
}

export type FieldEditDecision = 'apply' | 'noop' | 'conflict';

export function decideFieldEdit(
  current: { value: string | null; hlc: string | null },
  edit: { value: string | null; baseHlc: string | null; hlc: string },
): FieldEditDecision {
  if (current.value === edit.value) return 'noop';
  if (current.hlc === null || current.hlc === edit.baseHlc) return 'apply';
  // The edit was made on a copy that had not seen the current value.
  return 'conflict';
}

export type StatusDecision = 'apply' | 'older' | 'reject_closed';

export function decideStatus(
  ticket: { status: TicketStatus; statusHlc: string | null; closedVersion: number | null },
  change: { status: TicketStatus; hlc: string; baseVersion: number },
): StatusDecision {
  if (ticket.status === 'closed' && change.status !== 'closed' && ticket.closedVersion !== null && change.baseVersion < ticket.closedVersion) {
    return 'reject_closed';
  }
  return lwwWins(ticket.statusHlc, change.hlc) ? 'apply' : 'older';
}
