/**
 * What each ticket mutation does, once (issue 17 item 1). `mutationEffect` is the change a mutation
 * makes to a ticket's merged fields when it applies; `effectOn` is that less the last-writer-wins
 * fields it loses; `replayMutation` puts it on a copy; `createdFields` is the ticket a create makes.
 * Used by:
 * - the device's view of its pending changes (db/sync/ticket-view.ts, main/sync/memory-store.ts):
 *   the server's copy with the pending mutations replayed on top, so a refused one (no longer
 *   pending) is gone from the view with everything it changed;
 * - the server's mutators (server/mutators/), which decide with core/sync/merge.ts whether it
 *   applies and then write this effect.
 * Pure: no I/O, no clock.
 */
import { TICKET_TEXT_FIELDS, isTicketTextField } from '../domain/ticket-fields.js';
import type { TicketTextField } from '../domain/ticket-fields.js';
import { isTicketStatus } from '../domain/ticket-status.js';
import type { TicketStatus } from '../domain/ticket-status.js';
import { lwwWins } from './merge.js';

/** A ticket's merged fields: what mutations change (the server's row, a device's copy). */
export type ReplayFields = Record<TicketTextField, string | null> & {
  priority: string | null;
  assignee: string | null;
  policy: string | null;
  status: TicketStatus;
  fieldHlc: Record<string, string>;
  intake?: Record<string, string | null> | null | undefined;
};

/** The fields a mutation sets, and the HLC keys it stamps (field -> its HLC). Empty: it changes no field. */
export interface MutationEffect {
  set: Partial<Omit<ReplayFields, 'fieldHlc' | 'intake'>>;
  intake: Record<string, string | null>;
  stamps: string[];
}

const NONE: MutationEffect = { set: {}, intake: {}, stamps: [] };

type Payload = Record<string, unknown>;

/** The ticket a mutation is about (null: none, or a conflict's, which only the conflict knows). */
export function mutationTicketId(payload: unknown): string | null {
  const id = (payload as Payload | null)?.ticketId;
  return typeof id === 'string' ? id : null;
}

/**
 * What `key` with `payload` does to a ticket's fields when it applies. `conflictField` names the field
 * of a conflict (conflict.resolve carries only the conflict's id).
 */
export function mutationEffect(key: string, payload: unknown, conflictField: (id: string) => string | undefined = () => undefined): MutationEffect {
  const p = (payload ?? {}) as Payload;
  switch (key) {
    case 'ticket.event@1': {
      const e = (p.event ?? {}) as { type?: string; data?: Payload };
      if (e.type === 'status' && isTicketStatus(e.data?.status)) return { set: { status: e.data.status }, intake: {}, stamps: ['status'] };
      if (e.type === 'policy_changed' && typeof e.data?.policy === 'string') return { set: { policy: e.data.policy }, intake: {}, stamps: ['policy'] };
      return NONE;
    }
    case 'ticket.setPriority@1':
      return { set: { priority: (p.priority as string | null) ?? null }, intake: {}, stamps: ['priority'] };
    case 'ticket.assign@1':
      return { set: { assignee: (p.assignee as string | null) ?? null }, intake: {}, stamps: ['assignee'] };
    case 'ticket.setIntake@1': {
      const values = (p.values ?? {}) as Record<string, string | null>;
      return { set: {}, intake: { ...values }, stamps: Object.keys(values).map((k) => `intake.${k}`) };
    }
    case 'ticket.edit@1':
      return isTicketTextField(p.field) ? { set: { [p.field]: (p.value as string | null) ?? null }, intake: {}, stamps: [p.field] } : NONE;
    case 'conflict.resolve@1': {
      const f = conflictField(String(p.conflictId));
      return isTicketTextField(f) ? { set: { [f]: (p.value as string | null) ?? null }, intake: {}, stamps: [f] } : NONE;
    }
    default:
      return NONE;
  }
}

/** A last-writer-wins stamp (docs/sync.md "Merging"): priority, assignee, policy, each intake value. Status and text fields merge by their own rules (merge.ts). */
function isLwwStamp(stamp: string): boolean {
  return stamp === 'priority' || stamp === 'assignee' || stamp === 'policy' || stamp.startsWith('intake.');
}

/**
 * What `key` does to a ticket whose field HLCs are `fieldHlc`: its effect, less each last-writer-wins
 * field whose HLC there is not older than `hlc` (core/sync/merge.ts lwwWins). The server writes this
 * (server/mutators/); a device's view replays it, so a pending change that will lose to a later one
 * it has pulled does not show.
 */
export function effectOn(fieldHlc: Record<string, string>, key: string, payload: unknown, hlc: string, conflictField?: (id: string) => string | undefined): MutationEffect {
  const e = mutationEffect(key, payload, conflictField);
  const lost = new Set(e.stamps.filter((k) => isLwwStamp(k) && !lwwWins(fieldHlc[k], hlc)));
  if (!lost.size) return e;
  return {
    set: Object.fromEntries(Object.entries(e.set).filter(([f]) => !lost.has(f))),
    intake: Object.fromEntries(Object.entries(e.intake).filter(([k]) => !lost.has(`intake.${k}`))),
    stamps: e.stamps.filter((k) => !lost.has(k)),
  };
}

/**
 * The merged fields of the ticket `ticket.create@1/2` makes: the values it carries, status open,
 * and each field it sets (status always) stamped with its HLC. The server inserts this row; a
 * device's view of its pending create is it.
 */
export function createdFields(payload: unknown, hlc: string): ReplayFields {
  const p = (payload ?? {}) as Payload;
  const value = (f: string) => (p[f] as string | null | undefined) ?? null;
  const fieldHlc: Record<string, string> = { status: hlc };
  for (const f of ['priority', 'assignee', ...TICKET_TEXT_FIELDS]) if (value(f) !== null) fieldHlc[f] = hlc;
  const text = Object.fromEntries(TICKET_TEXT_FIELDS.map((f) => [f, value(f)])) as Record<TicketTextField, string | null>;
  const intake = (p.intake as Record<string, string | null> | undefined) ?? null;
  return { ...text, priority: value('priority'), assignee: value('assignee'), policy: value('policy'), status: 'open', fieldHlc, intake };
}

/** `t` with the mutation's effect on it, as the server decides it (`effectOn`; a new object; `t` is not changed). */
export function replayMutation<T extends ReplayFields>(t: T, key: string, payload: unknown, hlc: string, conflictField?: (id: string) => string | undefined): T {
  const e = effectOn(t.fieldHlc, key, payload, hlc, conflictField);
  if (!e.stamps.length) return t;
  const fieldHlc = { ...t.fieldHlc };
  for (const k of e.stamps) fieldHlc[k] = hlc;
  const next: T = { ...t, ...e.set, fieldHlc };
  if (Object.keys(e.intake).length) next.intake = { ...(t.intake ?? {}), ...e.intake };
  return next;
}
