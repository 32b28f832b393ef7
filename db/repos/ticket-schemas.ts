/**
 * The ticket repo's input schemas: event payloads by type, registration, edits and the queue filter.
 * The repo takes their parsed types and parses nothing; a caller whose input was not validated where
 * it entered (a test, a bench, an import) parses it here first (docs/architecture.md "Where input is validated").
 */
import type { KeyedIssue } from '../../core/domain/issue-keys.js';
import { z } from 'zod';
import { instant, patchText as optText, text } from '../../core/api/fields.js';
import { OPEN_TICKET_STATUSES, SLA_METRICS, TICKET_CHANNELS, TICKET_STATUSES } from '../../core/domain/index.js';
import type { TicketChannel, TicketEventType, TicketStatus } from '../../core/domain/index.js';
import { FIELD_STEPS, PHOTO_MAX_BYTES, PHOTO_MIMES, SHA256_PATTERN, SIGNATURE_MAX_CHARS, SIGNATURE_PATTERN } from '../../core/api/field.js';
import { VISIT_PARTS } from '../../core/reports/time-entries.js';
import { isUuid7 } from '../../core/ids/uuid7.js';
import { customerRefFits, LIMITS } from '../../core/sync/limits.js';

/** Statuses and channels: core/domain's, under the names the repo's callers use. */
export const STATUSES = TICKET_STATUSES;
export type { TicketStatus };
export const OPEN_STATUSES: readonly TicketStatus[] = OPEN_TICKET_STATUSES;
export const CHANNELS = TICKET_CHANNELS;
export type Channel = TicketChannel;

export { instant };

/** Event payloads by type. `created` is written by register() only. */
export const eventData = {
  created: z.object({ policy: z.string().nullable() }).strict(),
  responded: z.object({ text: optText(20000) }).strict(),
  status: z.object({ status: z.enum(STATUSES), text: optText(20000) }).strict(),
  update_logged: z.object({ text: optText(20000) }).strict(),
  policy_changed: z.object({ policy: text(100), reason: optText(2000) }).strict(),
  /** `quoteAccepted`: the customer accepted (true) or withdrew (false) the repair quote (docs/warranty.md). */
  note: z.object({ text: text(20000), quoteAccepted: z.boolean().nullish() }).strict(),
  callback: z
    .object({
      reached: text(200),
      channel: z.enum(CHANNELS),
      text: text(20000),
      /** When true the callback also counts as a status update for the SLA (the desk's callback action says so: core/tickets/actions.ts). */
      countsAsUpdate: z.boolean(),
      nextCallbackAt: instant.nullish(),
    })
    .strict(),
  escalation: z.object({ level: z.number().int().min(0).max(99), to: optText(200), reason: optText(2000) }).strict(),
  /** Billable time (docs/reports.md): level, kind and start/end are optional (older entries have only minutes). */
  time_entry: z
    .object({
      minutes: z
        .number()
        .int()
        .min(1)
        .max(24 * 60),
      activity: optText(200),
      /** Given by the caller (the request's default is core/api/reports.ts's; an older stored entry without it counts as billable). */
      billable: z.boolean(),
      text: optText(20000),
      level: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,20}$/, 'letters, digits, _ and - only (e.g. L1)')
        .nullish(),
      kind: z.enum(['phone', 'remote', 'onsite', 'travel']).nullish(),
      start: instant.nullish(),
      end: instant.nullish(),
      /** The field visit's proposal it confirms (core/reports/time-entries.ts). */
      fromVisit: z.enum(VISIT_PARTS).nullish(),
    })
    .strict(),
  /** `km` driven and fixed `fees` of the visit are invoiced (docs/reports.md). */
  visit: z
    .object({
      arrivedAt: instant,
      leftAt: instant.nullish(),
      technician: optText(200),
      text: optText(20000),
      km: z.number().min(0).max(100_000).nullish(),
      fees: z
        .array(z.object({ fee: text(100), waived: z.boolean() }).strict())
        .max(20)
        .nullish(),
    })
    .strict(),
  assigned: z.object({ assignee: z.string().trim().max(200).nullable() }).strict(),
  /**
   * A step of a field visit (issue 8 §1) at `at` (the event's time). A later
   * step event with `replaces` corrects an earlier one's time; its `reason` is
   * mandatory. `km` driven go with the step (usually `depart`).
   */
  visit_step: z
    .object({
      step: z.enum(FIELD_STEPS),
      technician: optText(200),
      km: z.number().min(0).max(100_000).nullish(),
      replaces: z.string().min(1).max(100).nullish(),
      reason: optText(2000),
    })
    .strict()
    .refine((d) => !d.replaces || !!d.reason, { message: 'a corrected time needs a reason', path: ['reason'] }),
  /** Parts used on a visit: the product, the serial number put in and the one taken out. */
  parts: z
    .object({
      parts: z
        .array(z.object({ product: text(200), serialIn: optText(100), serialOut: optText(100) }).strict())
        .min(1, 'at least one part')
        .max(50),
    })
    .strict(),
  /** The inspection checklist as filled in (the items' keys and labels as they were asked). */
  checklist: z
    .object({
      items: z
        .array(z.object({ key: text(100), label: text(200), value: z.union([z.string().max(2000), z.boolean(), z.number()]).nullable() }).strict())
        .min(1, 'at least one item')
        .max(100),
    })
    .strict(),
  /** The customer's acceptance: their name and the signature drawn on the device (a PNG data URL). */
  acceptance: z
    .object({
      name: text(200),
      signature: z.string().max(SIGNATURE_MAX_CHARS, `at most ${SIGNATURE_MAX_CHARS} characters`).regex(SIGNATURE_PATTERN, 'must be a PNG data URL (data:image/png;base64,…)'),
    })
    .strict(),
  /** A photo of the visit: its bytes are stored content-addressed by `sha256` (see the `attachments` table). */
  photo: z
    .object({
      sha256: z.string().regex(SHA256_PATTERN, 'must be 64 lowercase hex digits'),
      name: text(200),
      mime: z.enum(PHOTO_MIMES),
      size: z.number().int().min(1).max(PHOTO_MAX_BYTES),
    })
    .strict(),
  edited: z.object({ fields: z.record(z.string(), z.unknown()) }).strict(),
} as const satisfies Record<TicketEventType, z.ZodType>;
export type EventType = keyof typeof eventData;
export const EVENT_TYPES = Object.keys(eventData) as EventType[];
/** An event's data as parsed (the caller validated it at its entry: docs/architecture.md "Where input is validated"). */
export type EventData<T extends EventType> = z.output<(typeof eventData)[T]>;
export type AppendEventInput = { [T in Exclude<EventType, 'created' | 'edited'>]: { type: T; at?: number; author?: string | null; data: EventData<T> } }[Exclude<EventType, 'created' | 'edited'>];

/** Intake values by field: each at most an intake value, the customer's reference at most its own limit. */
const intakeValues = z.record(z.string(), z.string().max(LIMITS.intakeValue)).superRefine(customerRefFits);

export const registerInput = z
  .object({
    customerId: z.string().min(1, 'is required'),
    /** A client's id for this intake (unique): a second register with it returns the first's ticket and stores nothing. */
    intakeId: z.string().min(1).max(100).nullish(),
    /** The ticket's id, when the caller derives it (a planned visit: the same on every device); a second register with it returns the first. */
    id: z.string().refine(isUuid7, 'must be a UUIDv7').optional(),
    /** The id of its `created` event, derived like `id` (two devices' creates of one planned visit are one create). */
    createdEventId: z.string().refine(isUuid7, 'must be a UUIDv7').optional(),
    /** A planned visit: no SLA clock (its due window is its deadline) and no intake fields required (nobody called). */
    planned: z.boolean().optional(),
    contractId: z.string().min(1).nullish(),
    siteId: z.string().min(1).nullish(),
    assetId: z.string().min(1).nullish(),
    /** Creates an asset for this customer (or reuses the one with the same serial number). */
    asset: z
      .object({ product: optText(200), serialNumber: optText(100) })
      .strict()
      .nullish(),
    policy: optText(100),
    priority: optText(50),
    channel: z.enum(CHANNELS),
    assignee: optText(200),
    title: optText(300),
    description: optText(20000),
    reporterName: optText(200),
    reporterPhone: optText(40),
    customerRef: optText(LIMITS.customerRef),
    vendorRef: optText(100),
    /** The intake form's values (absent: none; the request's default is the contract's, core/api/desk.ts). */
    intake: intakeValues.optional(),
    at: instant.optional(),
    author: optText(200),
    nextDueAt: instant.nullish(),
    nextCallbackAt: instant.nullish(),
    sla: z.lazy(() => slaSummary).nullish(),
  })
  .strict();
/** A registration as parsed: what `tickets.register` takes (validated once, at the caller's entry). */
export type RegisterTicketInput = z.output<typeof registerInput>;

export const updateInput = z
  .object({
    priority: optText(50),
    title: optText(300),
    description: optText(20000),
    customerRef: optText(LIMITS.customerRef),
    vendorRef: optText(100),
    reporterName: optText(200),
    reporterPhone: optText(40),
    intake: intakeValues.optional(),
  })
  .strict();
export type UpdateTicketInput = z.output<typeof updateInput>;

export const queueFilterInput = z
  .object({
    contractId: z.string().min(1).nullish(),
    priority: z.string().min(1).nullish(),
    status: z.enum(OPEN_TICKET_STATUSES).nullish(),
    assignee: z.string().min(1).nullish(),
  })
  .strict();
export type QueueFilterInput = z.output<typeof queueFilterInput>;

/**
 * A ticket's SLA as of its last change (tickets.sla_summary, derived, not synced): the engine's
 * targets, or why its SLA cannot be computed. The queue's rows are built from it (main/tickets/sla.ts).
 */
const storedTarget = z
  .object({
    metric: z.enum(SLA_METRICS),
    state: z.enum(['pending', 'running', 'paused', 'stopped']),
    dueAt: instant.nullable(),
    stoppedAt: instant.nullable(),
    startedAt: instant.nullable(),
    breached: z.boolean(),
    elapsedMinutes: z.number().min(0),
    remainingMinutes: z.number().nullable(),
    missed: z.number().int().min(0).optional(),
    timezone: z.string().min(1).max(100),
  })
  .strict();
/** `contractVersion`: the version of the contract it was computed with (null: no contract here); another version makes it stale. */
const contractVersion = z.number().int().nullable();
export const slaSummary = z.union([
  z.object({ at: instant, contractVersion, policy: z.string().max(100), targets: z.array(storedTarget).max(SLA_METRICS.length) }).strict(),
  z
    .object({
      at: instant,
      contractVersion,
      error: z.string().max(2000),
      issues: z
        .array(z.custom<KeyedIssue>((v) => typeof v === 'object' && v !== null && typeof (v as { message?: unknown }).message === 'string'))
        .max(50)
        .optional(),
    })
    .strict(),
]);
export type SlaSummary = z.output<typeof slaSummary>;
export type StoredTarget = z.output<typeof storedTarget>;

/** The schedule of one ticket as the SLA engine gives it (absent fields: keep the stored ones). */
export const scheduleInput = z.object({ nextDueAt: instant.nullish(), nextCallbackAt: instant.nullish(), sla: slaSummary.nullish() }).strict();
export type ScheduleInput = z.output<typeof scheduleInput>;
