/**
 * Sync protocol constants shared by the server and the client sync worker.
 * Both versions travel on every call as headers; the server answers 426
 * ("update required") to a client older than the minimums below.
 */
import { LIMITS } from './limits.js';

/** Version of the push/pull wire protocol this build speaks. */
export const PROTOCOL_VERSION = 1;
/** Oldest client protocol the server still accepts. */
export const MIN_PROTOCOL_VERSION = 1;
/**
 * Version of the synced data schema (mutation payloads, change shapes).
 * 2: reference records (`record.put@1`, pulled `record` changes) and
 * `ticket.create@2`. A schema-1 client cannot read `record` changes, so it is
 * told to update (426) rather than fed rows it would choke on.
 * Optional fields added to pulled rows (an event's `receivedAt`, `deviceName`)
 * need no bump: an older client drops keys it does not know (docs/sync.md
 * "Event times").
 * 3: rota records (`record.put@1` kind `rota`), `alert.ack@1` and pulled `ack`
 * changes (issue 18), which a schema-2 client cannot read.
 * 4: `user.setAlertScope@1` and pulled `userSettings` changes (issue 17 item 4), which a schema-3
 * client cannot read.
 */
export const SCHEMA_VERSION = 4;
/** Oldest client schema the server still accepts. */
export const MIN_SCHEMA_VERSION = 4;

export const HEADER_PROTOCOL = 'vakt-protocol';
export const HEADER_SCHEMA = 'vakt-schema';

/** Most mutations in one push. */
export const MAX_PUSH_MUTATIONS = LIMITS.pushMutations;
/** Most changes in one pull page. */
export const MAX_PULL_LIMIT = LIMITS.pullChanges;
export const DEFAULT_PULL_LIMIT = 2_000;

/**
 * A mutation whose HLC, or an instant it says happened, is further than this ahead of the server's
 * clock is rejected (`clock_ahead`). 5 minutes: an honest laptop's clock is NTP-set to within a
 * second, and one that has been off the network for weeks drifts well under a minute; 5 minutes is
 * also Kerberos' default skew. More would let a device win last-writer-wins fields for that long.
 * Offline work is not bounded by it: what happened offline lies in the past.
 */
export const MAX_CLOCK_AHEAD_MS = 5 * 60 * 1000;

/**
 * The message of an `applied` answer whose change lost to a later one (last
 * writer wins): nothing changed on the server. A device that showed its own
 * value puts the server's back (db/sync-store.ts).
 */
export const SUPERSEDED = 'superseded by a later change';

/** Why a mutation was rejected. Stable codes: the client shows them with the message. */
export const REJECT_REASONS = [
  'invalid_payload',
  'unknown_mutation',
  'case_number_taken',
  'case_prefix_not_yours',
  'ticket_exists',
  'unknown_ticket',
  'unknown_conflict',
  'ticket_closed',
  'forbidden',
  'clock_ahead',
  'sequence_reused',
  'agreement_taken',
  'unknown_record',
  'backdated',
  'foreign_hlc',
  'too_large',
] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/** Human text for each rejection code (English; the UI may translate by code). */
export const REJECT_TEXT: Record<RejectReason, string> = {
  invalid_payload: 'The change was malformed and could not be applied.',
  unknown_mutation: 'The server does not know this kind of change (update the server).',
  case_number_taken: 'Another ticket already has this case number.',
  case_prefix_not_yours: "The case number's prefix does not belong to this device.",
  ticket_exists: 'A ticket with this id already exists.',
  unknown_ticket: 'The ticket does not exist on the server (its creation may have been rejected).',
  unknown_conflict: 'The conflict does not exist.',
  ticket_closed: "The ticket's status was changed on another device (resolved, closed, or changed after a resolve) before this device had seen it; the status change was not applied.",
  forbidden: 'Your role may not make this change.',
  clock_ahead: "This device's clock is too far ahead; fix the clock and redo the change.",
  sequence_reused: 'This device reused a change number (was it restored from a backup?).',
  agreement_taken: 'Another contract on the server already has this agreement number.',
  unknown_record: 'The customer or contract this record belongs to does not exist on the server (its creation may have been rejected).',
  backdated: "The event's time is before its case was created or before this device last synced; check this device's clock and redo the change.",
  foreign_hlc: "The change was stamped with another device's id; a device may only make changes in its own name.",
  too_large: 'The change is larger than the server accepts (see the limit in the message).',
};

/** The file in the sync server's data dir whose secret proves local access (`vakt server admin tenant|admin-token`; server/admin-local.ts). */
export const LOCAL_PROOF_FILE = 'admin-proof';
