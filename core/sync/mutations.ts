/**
 * Sync mutations and the push/pull wire shapes, as zod schemas.
 *
 * Every local change is a named, versioned mutation (`ticket.create@1`, ...)
 * with a client-made UUIDv7 id and a per-device sequence number. The client
 * writes it to its outbox in the transaction of the change; the server applies
 * it exactly once (see docs/sync.md).
 */
import { z } from 'zod';
import { isValidCaseNumber } from '../ids/case-number.js';
import { isUuid7 } from '../ids/uuid7.js';
import { isHlc } from './hlc.js';
import { id, instant } from '../api/fields.js';

import { checkCustomerRef, customerRefFits, LIMITS, sizeIssue, stringsIn } from './limits.js';
import { SIGNATURE_MAX_CHARS } from '../api/field.js';
import { ALERT_ACK_ACTIONS, ALERT_SCOPES } from './pull-shapes.js';

export const uuid7 = z.string().refine(isUuid7, { message: 'must be a UUIDv7 (lower-case, hyphenated)' });
export const hlcString = z.string().max(200).refine(isHlc, { message: 'must be an HLC timestamp (13 digits-4 hex-node)' });
/** Event and record instants: inside the supported range (core/time-range.ts). */
const shortText = z.string().max(LIMITS.shortText);
const longText = z.string().max(LIMITS.longText);
const policyName = z.string().max(LIMITS.policyName);

/**
 * Free-form JSON (an event's data, a record's data) of at most `maxChars` characters as JSON, each
 * string in it at most `maxString` (`longer` names keys allowed more). Oversize is a `too_big` issue
 * naming the field (the server answers `too_large`).
 */
function boundJson(v: unknown, ctx: z.RefinementCtx, at: (string | number)[], maxChars: number, maxString: number, longer: Record<string, number> = {}): void {
  let long = false;
  for (const [path, str] of stringsIn(v)) {
    const key = path[path.length - 1];
    const max = typeof key === 'string' && longer[key] !== undefined ? longer[key] : maxString;
    if (str.length <= max) continue;
    ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, input: str, path: [...at, ...path], message: `is ${str.length} characters; at most ${max}` });
    long = true;
  }
  const size = long ? 0 : JSON.stringify(v ?? null).length;
  if (size > maxChars) ctx.addIssue({ code: 'too_big', origin: 'string', maximum: maxChars, inclusive: true, input: v, path: at, message: `is ${size} characters as JSON; at most ${maxChars}` });
}

export { TICKET_STATUSES, type TicketStatus } from '../domain/ticket-status.js';
import { TICKET_STATUSES } from '../domain/ticket-status.js';
import { TICKET_CHANNELS, TICKET_EVENT_TYPES, type TicketEventType } from '../domain/ticket-vocabulary.js';
export type SyncEventType = TicketEventType;

/** Text fields where two concurrent edits are a conflict for a person to resolve (core/domain/ticket-fields.ts). */
export { TICKET_TEXT_FIELDS as CONFLICT_FIELDS, type TicketTextField as ConflictField } from '../domain/ticket-fields.js';
import { TICKET_TEXT_FIELDS } from '../domain/ticket-fields.js';

export const ticketCreateV1 = z
  .object({
    ticketId: uuid7,
    caseNumber: z.string().max(40).refine(isValidCaseNumber, { message: 'must be a valid case number (PREFIX-SEQ-CHECK)' }),
    customerId: id,
    channel: z.enum(TICKET_CHANNELS),
    title: shortText.nullable().optional(),
    description: longText.nullable().optional(),
    customerRef: z.string().max(LIMITS.customerRef).nullable().optional(),
    vendorRef: shortText.nullable().optional(),
    reporterName: shortText.nullable().optional(),
    reporterPhone: shortText.nullable().optional(),
    priority: z.string().max(50).nullable().optional(),
    assignee: z.string().max(LIMITS.name).nullable().optional(),
    policy: policyName.nullable().optional(),
    createdAt: instant,
    /** Id of the timeline's `created` event. */
    createdEventId: uuid7,
    author: shortText.nullable().optional(),
  })
  .strict();

export const syncEventInput = z
  .object({
    id: uuid7,
    type: z.enum(TICKET_EVENT_TYPES).exclude(['created']),
    at: instant,
    author: shortText.nullable().optional(),
    data: z.record(z.string().max(100), z.unknown()).default({}),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (e.type === 'status' && !(TICKET_STATUSES as readonly unknown[]).includes(e.data.status)) {
      ctx.addIssue({ code: 'custom', path: ['data', 'status'], message: `a status event needs data.status, one of ${TICKET_STATUSES.join(', ')}` });
    }
    if (e.type === 'policy_changed' && typeof e.data.policy !== 'string') {
      ctx.addIssue({ code: 'custom', path: ['data', 'policy'], message: 'a policy_changed event needs data.policy' });
    } else if (e.type === 'policy_changed' && (e.data.policy as string).length > LIMITS.policyName) {
      ctx.addIssue({
        code: 'too_big',
        origin: 'string',
        maximum: LIMITS.policyName,
        inclusive: true,
        input: e.data.policy,
        path: ['data', 'policy'],
        message: `a policy name is at most ${LIMITS.policyName} characters`,
      });
    }
    // Each string at most a long text (a signature: a PNG data URL), the whole at most eventDataChars.
    boundJson(e.data, ctx, ['data'], LIMITS.eventDataChars, LIMITS.longText, { signature: SIGNATURE_MAX_CHARS });
  });

export const ticketEventV1 = z
  .object({
    ticketId: uuid7,
    event: syncEventInput,
    /** The ticket version the device's copy had when the change was made (0: never pulled). */
    baseVersion: z.number().int().min(0).default(0),
  })
  .strict();

export const ticketSetPriorityV1 = z.object({ ticketId: uuid7, priority: z.string().max(50).nullable() }).strict();
export const ticketAssignV1 = z.object({ ticketId: uuid7, assignee: z.string().max(LIMITS.name).nullable() }).strict();
export const ticketEditV1 = z
  .object({
    ticketId: uuid7,
    field: z.enum(TICKET_TEXT_FIELDS),
    value: longText.nullable(),
    /** The field's HLC in the device's copy when edited (null: the field had never been edited/synced). */
    baseHlc: hlcString.nullable(),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.field === 'customerRef') checkCustomerRef(m.value, ctx, ['value']);
  });
export const conflictResolveV1 = z.object({ conflictId: uuid7, value: longText.nullable() }).strict();
/**
 * Intake values changed after registration (the contract's extra fields: the caller's site phone,
 * an error code, ...). Only the changed keys travel; each key is last-writer-wins by HLC on its own
 * (`fieldHlc["intake.<key>"]`), so two devices filling in different fields both keep theirs.
 */
export const ticketSetIntakeV1 = z
  .object({
    ticketId: uuid7,
    values: z
      .record(z.string().min(1).max(100), z.string().max(LIMITS.intakeValue).nullable())
      .refine((v) => Object.keys(v).length > 0 && Object.keys(v).length <= LIMITS.intakeFields, `one to ${LIMITS.intakeFields} intake fields`)
      .superRefine(customerRefFits),
  })
  .strict();

/**
 * v2 adds what the SLA clock of another device needs: the contract (and so the
 * calendars and policies), the site and asset, and the intake field values.
 */
export const ticketCreateV2 = ticketCreateV1
  .extend({
    contractId: id.nullable().optional(),
    siteId: id.nullable().optional(),
    assetId: id.nullable().optional(),
    intake: z
      .record(z.string().max(100), z.string().max(LIMITS.intakeValue).nullable())
      .refine((v) => Object.keys(v).length <= LIMITS.intakeFields, `at most ${LIMITS.intakeFields} intake fields`)
      .superRefine(customerRefFits)
      .optional(),
  })
  .strict();

export { RECORD_DATA, RECORD_KINDS, type RecordData, type RecordKind } from './record-data.js';
import { RECORD_DATA, RECORD_KINDS, recId } from './record-data.js';

export const recordPutV1 = z
  .object({
    kind: z.enum(RECORD_KINDS),
    id: recId,
    deleted: z.boolean().default(false),
    data: z.record(z.string(), z.unknown()),
  })
  .strict()
  .superRefine((m, ctx) => {
    if (m.deleted && m.kind !== 'contact') ctx.addIssue({ code: 'custom', path: ['deleted'], message: `a ${m.kind} cannot be deleted (only contacts can)` });
    const r = RECORD_DATA[m.kind].safeParse(m.data);
    if (!r.success) {
      for (const i of r.error.issues) {
        const path = ['data', ...i.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
        const size = sizeIssue(i);
        if (size) ctx.addIssue({ code: 'too_big', origin: 'string', maximum: size.maximum, inclusive: true, input: undefined, path, message: size.message });
        else ctx.addIssue({ code: 'custom', path, message: i.message });
      }
    }
    // The whole record at most recordDataChars as JSON, each string in it at most a long text.
    boundJson(m.data, ctx, ['data'], LIMITS.recordDataChars, LIMITS.longText);
  });

/**
 * An alert acknowledged or snoozed by a user (issue 18 item 4): the alert's
 * key (`ticket|target|kind|due instant`, the same on every device). The user
 * is the pushing device's, not the payload's; the server keeps the latest
 * action per (alert, user) by HLC. An ack counts once it is on the server.
 */
export const alertAckV1 = z
  .object({
    alertKey: z.string().min(1).max(300),
    ticketId: uuid7,
    action: z.enum(ALERT_ACK_ACTIONS),
    /** The end of a snooze. */
    until: instant.nullable().optional(),
    at: instant,
  })
  .strict()
  .refine((m) => m.action !== 'snooze' || m.until != null, { path: ['until'], message: 'a snooze needs its end (until)' });

/**
 * Whose alerts reach a user (issue 17 item 4, docs/alerts.md "Alert scope"): `mine` (the tickets
 * assigned to them, or of the contracts their rotas cover), `all`, or null (the role's default:
 * technician `mine`, else `all`). A per-user setting: the user is the pushing device's, never the
 * payload's, so a person changes only their own; the server keeps the latest by HLC.
 */
export const userSetAlertScopeV1 = z.object({ alertScope: z.enum(ALERT_SCOPES).nullable() }).strict();

/** Every mutation the server knows, by `name@version`. */
export const MUTATIONS = {
  'ticket.create@1': ticketCreateV1,
  'ticket.create@2': ticketCreateV2,
  'ticket.event@1': ticketEventV1,
  'ticket.setPriority@1': ticketSetPriorityV1,
  'ticket.assign@1': ticketAssignV1,
  'ticket.edit@1': ticketEditV1,
  'conflict.resolve@1': conflictResolveV1,
  'record.put@1': recordPutV1,
  'ticket.setIntake@1': ticketSetIntakeV1,
  'alert.ack@1': alertAckV1,
  'user.setAlertScope@1': userSetAlertScopeV1,
} as const;
export type MutationKey = keyof typeof MUTATIONS;
export type MutationPayload<K extends MutationKey> = z.infer<(typeof MUTATIONS)[K]>;

export function mutationKey(name: string, version: number): string {
  return `${name}@${version}`;
}

export function isKnownMutation(key: string): key is MutationKey {
  return Object.prototype.hasOwnProperty.call(MUTATIONS, key);
}

/** One mutation on the wire. */
export const mutationEnvelope = z
  .object({
    id: uuid7,
    seq: z.number().int().min(1),
    name: z.string().min(1).max(100),
    version: z.number().int().min(1).max(1000),
    hlc: hlcString,
    payload: z.unknown(),
  })
  .strict();
export type MutationEnvelope = z.infer<typeof mutationEnvelope>;

export const pushRequest = z
  .object({
    mutations: z.array(mutationEnvelope).min(1).max(LIMITS.pushMutations),
  })
  .strict();
export type PushRequest = z.infer<typeof pushRequest>;

export const mutationResult = z.object({
  id: z.string(),
  seq: z.number().int(),
  status: z.enum(['applied', 'duplicate', 'rejected']),
  /** For `duplicate`: what happened the first time. */
  outcome: z.enum(['applied', 'rejected']).optional(),
  reason: z.string().optional(),
  message: z.string().optional(),
  /** Set when the change was applied but recorded a conflict for a person to resolve. */
  conflictId: z.string().optional(),
});
export type MutationResult = z.infer<typeof mutationResult>;

export const pushResponse = z.object({
  results: z.array(mutationResult),
  /** The highest sequence number of this device the server has processed. */
  lastSeq: z.number().int(),
});
export type PushResponse = z.infer<typeof pushResponse>;

// The pull side's wire shapes (a page of changes): core/sync/pull-shapes.ts.
export * from './pull-shapes.js';

export const enrolRequest = z
  .object({
    code: z.string().min(4).max(100),
    deviceName: z.string().min(1).max(LIMITS.name),
    provisionalPrefix: z.string().max(20).optional(),
  })
  .strict();
export const enrolResponse = z.object({
  deviceId: z.string(),
  tenantId: z.string(),
  token: z.string(),
  casePrefix: z.string(),
  role: z.string(),
  provisionalPrefixAccepted: z.boolean().nullable(),
  /** The user the code was made for (who the device is in an on-call rota). */
  userId: z.string().optional(),
  /** That user's name as the admin wrote it: a technician's "own" tickets are assigned to it, and the app's "Your name" is it. */
  userName: z.string().optional(),
});
export type EnrolResponse = z.infer<typeof enrolResponse>;

export const ROLES = ['duty_officer', 'technician', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export const enrolmentCodeRequest = z
  .object({
    role: z.enum(ROLES).default('duty_officer'),
    userName: z.string().min(1).max(LIMITS.name),
    ttlMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .default(60 * 24),
  })
  .strict();

export const errorBody = z.object({ error: z.string(), message: z.string() });
