/**
 * Evidence behind the SLA figures (docs/reports.md "Evidence"): every event that
 * stops or pauses a clock, with who recorded it, on which device, the time it
 * claims and when the sync server received it. An event received more than
 * `OFFLINE_MARK_MS` after the time it claims is marked "recorded offline,
 * received N later": a customer can see which figures rest on times a device
 * reported after the fact (the server refuses times it cannot stand behind,
 * docs/sync.md "Event times").
 */
import type { TicketEvent as SlaEvent } from '../sla/index.js';

/** Claimed and received further apart than this: marked as recorded offline. */
export const OFFLINE_MARK_MS = 15 * 60_000;

/** Who recorded an event and when the server received it (null: not known, e.g. not synced yet). */
export interface EventProvenance {
  author: string | null;
  deviceId: string | null;
  deviceName: string | null;
  receivedAt: number | null;
}

/** How much later than its claimed time the event was received, when that is more than OFFLINE_MARK_MS; else null. */
export function receivedLateMs(at: number, receivedAt: number | null | undefined): number | null {
  if (receivedAt === null || receivedAt === undefined) return null;
  const late = receivedAt - at;
  return late > OFFLINE_MARK_MS ? late : null;
}

/** A clock event of a ticket (one of the engine's events other than `created`) with its provenance. */
export type ClockEventInput = Exclude<SlaEvent, { type: 'created' }> & EventProvenance & { eventId?: string };

export interface EvidenceRow extends EventProvenance {
  ticketId: string;
  caseNumber: string;
  type: ClockEventInput['type'];
  /** The status of a `status` event, the policy of a `policy_changed` one. */
  detail: string | null;
  /** The claimed time. */
  at: number;
  /** See receivedLateMs. */
  lateMs: number | null;
}

export interface EvidenceTicket {
  id: string;
  caseNumber: string;
  createdAt: number;
  clockEvents?: readonly ClockEventInput[];
}

/**
 * The evidence of a month: the clock events of the tickets created in [from, to), and the events
 * of older tickets claimed in [from, to) (their callbacks count in the month); before `asOf`, by
 * case number and time. Events alike in all but their id (a callback and the update logged with
 * it) are one row.
 */
export function evidenceRows(tickets: readonly EvidenceTicket[], from: number, to: number, asOf: number): EvidenceRow[] {
  const rows: EvidenceRow[] = [];
  const seen = new Set<string>();
  for (const t of tickets) {
    if (t.createdAt >= to || t.createdAt > asOf) continue;
    for (const e of t.clockEvents ?? []) {
      if (e.at > asOf || (t.createdAt < from && (e.at < from || e.at >= to))) continue;
      const detail = e.type === 'status' ? e.status : e.type === 'policy_changed' ? e.policy : null;
      // A callback that counts as an update is logged with its update: one row for the two.
      const key = JSON.stringify([t.id, e.type, detail, e.at, e.deviceId, e.receivedAt]);
      if (seen.has(key)) continue;
      seen.add(key);
      rows.push({
        ticketId: t.id,
        caseNumber: t.caseNumber,
        type: e.type,
        detail,
        at: e.at,
        author: e.author,
        deviceId: e.deviceId,
        deviceName: e.deviceName,
        receivedAt: e.receivedAt,
        lateMs: receivedLateMs(e.at, e.receivedAt),
      });
    }
  }
  return rows.sort((a, b) => a.caseNumber.localeCompare(b.caseNumber) || a.at - b.at);
}
