/**
 * The pull side of the sync wire, as zod schemas: a page of changes (tickets, events, conflicts,
 * records, alert acks, user settings) and the pull request and response (docs/sync.md). The push
 * side, the mutations, is core/sync/mutations.ts, which re-exports these.
 */
import { z } from 'zod';
import { TICKET_STATUSES } from '../domain/ticket-status.js';
import { TICKET_EVENT_TYPES } from '../domain/ticket-vocabulary.js';
import { TICKET_TEXT_FIELDS } from '../domain/ticket-fields.js';
import { LIMITS } from './limits.js';
import { RECORD_KINDS } from './record-data.js';

/** What a person may do with an alert on another device (`alert.ack@1`). */
export const ALERT_ACK_ACTIONS = ['ack', 'snooze'] as const;
/** Whose tickets alert a user (`user.setAlertScope@1`; main/alerts/scope.ts). */
export const ALERT_SCOPES = ['mine', 'all'] as const;

/** A ticket's SLA state as the server derived it from the events. */
export const slaSummary = z.object({
  policy: z.string(),
  targets: z.array(
    z.object({
      metric: z.string(),
      state: z.string(),
      dueAt: z.number().nullable(),
      stoppedAt: z.number().nullable(),
    }),
  ),
});
export type SlaSummary = z.infer<typeof slaSummary>;

export const syncTicket = z.object({
  id: z.string(),
  caseNumber: z.string(),
  customerId: z.string(),
  channel: z.string(),
  title: z.string().nullable(),
  description: z.string().nullable(),
  customerRef: z.string().nullable(),
  vendorRef: z.string().nullable(),
  reporterName: z.string().nullable(),
  reporterPhone: z.string().nullable(),
  priority: z.string().nullable(),
  assignee: z.string().nullable(),
  status: z.enum(TICKET_STATUSES),
  policy: z.string().nullable(),
  createdAt: z.number(),
  createdBy: z.string(),
  /** HLC of the last applied change per merged field (priority, assignee, status, and CONFLICT_FIELDS). */
  fieldHlc: z.record(z.string(), z.string()),
  sla: slaSummary.nullable(),
  /** Always null from current servers (no next-due instant is kept on the server: docs/sync.md); kept for older devices. */
  nextDueAt: z.number().nullable(),
  /** Set by ticket.create@2 (null for tickets created with v1). */
  contractId: z.string().nullable().optional(),
  siteId: z.string().nullable().optional(),
  assetId: z.string().nullable().optional(),
  intake: z.record(z.string(), z.string().nullable()).nullable().optional(),
  /** The tenant version of the ticket's last change. */
  version: z.number().int(),
});
export type SyncTicket = z.infer<typeof syncTicket>;

export const syncEvent = z.object({
  id: z.string(),
  ticketId: z.string(),
  type: z.enum(TICKET_EVENT_TYPES),
  at: z.number(),
  author: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
  deviceId: z.string(),
  hlc: z.string(),
  version: z.number().int(),
  /** When the server received the event, by its clock (null: before servers kept it). Optional: older servers do not send it. */
  receivedAt: z.number().nullable().optional(),
  /** The name of the device that pushed it (at the time). */
  deviceName: z.string().nullable().optional(),
});
export type SyncEvent = z.infer<typeof syncEvent>;

export const syncConflict = z.object({
  id: z.string(),
  ticketId: z.string(),
  field: z.enum(TICKET_TEXT_FIELDS),
  candidates: z.array(z.object({ value: z.string().nullable(), hlc: z.string(), deviceId: z.string() })),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
  version: z.number().int(),
});
export type SyncConflict = z.infer<typeof syncConflict>;

/** A reference record (customer, contract, contact, site, asset) as the server keeps it. */
export const syncRecord = z.object({
  kind: z.enum(RECORD_KINDS),
  id: z.string(),
  data: z.record(z.string(), z.unknown()),
  deleted: z.boolean(),
  hlc: z.string(),
  version: z.number().int(),
});
export type SyncRecord = z.infer<typeof syncRecord>;

/** An ack or snooze as the server keeps it (`alert.ack@1`); `receivedAt` is the server's clock. */
export const syncAlertAck = z.object({
  id: z.string(),
  alertKey: z.string(),
  ticketId: z.string(),
  userId: z.string(),
  action: z.enum(ALERT_ACK_ACTIONS),
  until: z.number().nullable(),
  at: z.number(),
  receivedAt: z.number(),
  hlc: z.string(),
  version: z.number().int(),
});
export type SyncAlertAck = z.infer<typeof syncAlertAck>;

/** The pulling device's own user's synced settings (`user.setAlertScope@1`); `id` is the user's id. */
export const syncUserSettings = z.object({
  id: z.string(),
  alertScope: z.enum(ALERT_SCOPES).nullable(),
  hlc: z.string(),
  version: z.number().int(),
});
export type SyncUserSettings = z.infer<typeof syncUserSettings>;

export const change = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ticket'), ticket: syncTicket }),
  z.object({ kind: z.literal('event'), event: syncEvent }),
  z.object({ kind: z.literal('conflict'), conflict: syncConflict }),
  z.object({ kind: z.literal('record'), record: syncRecord }),
  z.object({ kind: z.literal('ack'), ack: syncAlertAck }),
  z.object({ kind: z.literal('userSettings'), userSettings: syncUserSettings }),
]);
export type Change = z.infer<typeof change>;

export const pullRequest = z
  .object({
    cursor: z.string().max(200).default('0'),
    limit: z.number().int().min(1).max(LIMITS.pullChanges).default(2_000),
  })
  .strict();
export type PullRequest = z.input<typeof pullRequest>;

export const pullResponse = z.object({
  changes: z.array(change),
  cursor: z.string(),
  /** True when more changes are waiting: pull again with `cursor`. */
  more: z.boolean(),
  /** The latest HLC the server has seen in this tenant: the client's HLC absorbs it. */
  hlc: z.string().nullable(),
  /** The highest sequence number of this device the server has processed. */
  lastSeq: z.number().int(),
});
export type PullResponse = z.infer<typeof pullResponse>;
