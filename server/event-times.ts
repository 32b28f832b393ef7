/**
 * Event times a server can stand behind (docs/sync.md "Event times"). An event's
 * `at` is the device's word; the server checks it against what it knows itself:
 *
 * - not before the ticket's creation. A device other than the creator may be up to
 *   the allowed skew early (its clock against the creator's); the creator's own
 *   device, with the one clock, may not;
 * - not after the server's clock plus the allowed skew (server/checks.ts,
 *   `instantProblem`, before this);
 * - not before the device's last pull (the server's clock then) minus the allowed
 *   skew. An honest device pulls only after it has pushed everything it held
 *   (main/sync/worker.ts: push the outbox in batches, then pull), so whatever it
 *   pushes later was recorded after that pull. That covers a device offline for
 *   days (its events are after the pull before it went offline) and a first push
 *   of several batches (no pull in between); a device that never pulled has no
 *   such bound yet. A ticket's creation is its first event: the same bound
 *   applies to `createdAt` (a ticket made up days later with a quick response
 *   would otherwise count as met).
 *
 * The allowed skew is the one of `MAX_CLOCK_AHEAD_MS` (core/sync/protocol.ts).
 */
import { MAX_CLOCK_AHEAD_MS } from '../core/sync/protocol.js';
import type { MutationProblem } from './checks.js';
import { iso, span } from './checks.js';

export interface EventTimeFacts {
  /** The event's claimed time, and its field in the mutation (default `event.at`). */
  at: number;
  path?: string;
  ticket: { createdAt: number; createdBy: string };
  /** The pushing device. */
  device: { id: string; lastPullAt: number | null };
}

export function eventTimeProblem(f: EventTimeFacts): MutationProblem | null {
  const path = f.path ?? 'event.at';
  const slack = f.ticket.createdBy === f.device.id ? 0 : MAX_CLOCK_AHEAD_MS;
  if (f.at < f.ticket.createdAt - slack) {
    return {
      reason: 'backdated',
      message: `${path}: ${iso(f.at)} is ${span(f.ticket.createdAt - f.at)} before the ticket was created (${iso(f.ticket.createdAt)}); an event cannot happen before its case.`,
    };
  }
  const pulled = f.device.lastPullAt;
  if (pulled !== null && f.at < pulled - MAX_CLOCK_AHEAD_MS) {
    return {
      reason: 'backdated',
      message: `${path}: ${iso(f.at)} is ${span(pulled - f.at)} before this device last synced (${iso(pulled)} by the server's clock; at most ${span(MAX_CLOCK_AHEAD_MS)} allowed); an event recorded before that sync would have been pushed then. Check this device's clock and redo the change.`,
    };
  }
  return null;
}
