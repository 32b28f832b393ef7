/**
 * Contract methods and events for sync (see docs/sync.md, "In the app").
 *
 * `sync.status` (method and pushed event) is what a status line shows:
 * offline / syncing / up to date, pending changes, last sync time, conflicts
 * waiting for a person, changes the server refused.
 */
import { id } from './fields.js';
import { z } from 'zod';
import { LIMITS } from '../sync/limits.js';

export const SYNC_STATES = ['not_enrolled', 'offline', 'syncing', 'up_to_date', 'error'] as const;

export const syncStatusSchema = z.object({
  /** `not_enrolled` until `sync.enrol` succeeded; then the worker's state. */
  state: z.enum(SYNC_STATES),
  enrolled: z.boolean(),
  serverUrl: z.string().nullable(),
  /** The device id the server assigned at enrolment. */
  deviceId: z.string().nullable(),
  casePrefix: z.string().nullable(),
  role: z.string().nullable(),
  /** The enrolled user's name (the app's "Your name"; a technician's own tickets are assigned to it). */
  userName: z.string().nullable().default(null),
  /**
   * What the enrolled role may do: its column of the role matrix (core/sync/roles.ts), by action
   * (`ticket.setPriority`: yes, own, own_or_unassigned, new, no); null when not enrolled (all, locally).
   * The UI hides what is `no`; the server stays the authority.
   */
  permissions: z
    .record(z.string(), z.enum(['yes', 'own', 'own_or_unassigned', 'new', 'no']))
    .nullable()
    .default(null),
  /** Local changes not yet accepted by the server. */
  pending: z.number().int(),
  /** Changes the server refused (kept; see `sync.rejected`). */
  rejected: z.number().int(),
  /** Conflicts waiting for a person (see `sync.conflicts`). */
  conflicts: z.number().int(),
  /** When the last sync completed (epoch ms). */
  lastSyncAt: z.number().nullable(),
  /** Why the last attempt failed (offline / error). */
  message: z.string().nullable(),
  /** The server needs a newer app before it syncs again. */
  updateRequired: z.boolean(),
  /** When the next attempt is scheduled (epoch ms). */
  nextAttemptAt: z.number().nullable(),
  /** Photos taken here whose bytes the server does not have yet (added later: absent means 0). */
  uploads: z.number().int().default(0),
  /** Photos from other devices whose bytes are not here yet. */
  downloads: z.number().int().default(0),
  /** Photo uploads the server refused for good (e.g. larger than its limit); the files are kept. */
  attachmentsFailed: z.number().int().default(0),
  /** The latest photo transfer failure, in words. */
  attachmentError: z.string().nullable().default(null),
});
export type SyncStatusView = z.output<typeof syncStatusSchema>;

export const rejectedMutationSchema = z.object({
  id: z.string(),
  seq: z.number().int().nullable(),
  /** `ticket.create`, `ticket.event`, ... */
  name: z.string(),
  version: z.number().int(),
  /** A stable code (core/sync/protocol.ts REJECT_REASONS) ... */
  reason: z.string(),
  /** ... and the server's text. */
  message: z.string().nullable(),
  ticketId: z.string().nullable(),
  caseNumber: z.string().nullable(),
  /** For a refused record.put: which record (its kind, id, and a name a person recognises). */
  record: z.object({ kind: z.string(), id: z.string(), name: z.string().nullable() }).nullable().default(null),
  payload: z.unknown(),
  createdAt: z.number(),
  updatedAt: z.number(),
});

export const conflictSchema = z.object({
  id: z.string(),
  ticketId: z.string(),
  caseNumber: z.string().nullable(),
  field: z.enum(['title', 'description', 'customerRef', 'vendorRef', 'reporterName', 'reporterPhone']),
  candidates: z.array(z.object({ value: z.string().nullable(), hlc: z.string(), deviceId: z.string() })),
  status: z.enum(['open', 'resolved']),
  resolution: z.string().nullable(),
  /** This device sent a resolution the server has not answered yet. */
  resolving: z.boolean(),
});

const empty = z.object({}).strict();
const limit = z.number().int().min(1).max(1000).default(100);

export const syncMethods = {
  'sync.status': { request: empty, result: syncStatusSchema },
  /** Enrols this device with a one-time code from the server's admin (`POST /v1/admin/enrolment-codes`). */
  'sync.enrol': {
    request: z
      .object({
        serverUrl: z
          .string()
          .trim()
          .max(500)
          .regex(/^https?:\/\/[^\s/?#]+[^\s]*$/, 'must be an http(s) URL such as https://sync.example.com'),
        code: z.string().trim().min(4).max(100),
        deviceName: z.string().trim().min(1).max(LIMITS.name).optional(),
      })
      .strict(),
    result: syncStatusSchema,
  },
  /** Syncs now (or joins the sync running); answers with the status after it. */
  'sync.now': { request: empty, result: syncStatusSchema },
  'sync.rejected': { request: z.object({ limit }).strict(), result: z.object({ items: z.array(rejectedMutationSchema) }) },
  'sync.conflicts': { request: z.object({ limit }).strict(), result: z.object({ items: z.array(conflictSchema) }) },
  /** Resolves a conflict with the chosen value (duty officers and admins; the server refuses technicians). */
  'sync.resolveConflict': {
    request: z.object({ conflictId: id, value: z.string().max(LIMITS.longText).nullable() }).strict(),
    result: conflictSchema,
  },
} as const;

export const syncEvents = {
  'sync.status': syncStatusSchema,
} as const;
