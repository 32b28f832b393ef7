/**
 * Contract methods for the duty officer desk (intake, queue, ticket page,
 * callbacks, contracts). See docs/desk.md.
 *
 * Requests are validated with zod; results are typed views (the dispatcher
 * does not re-validate results, so they are declared with `z.custom`).
 */
import { z } from 'zod';
import { idKeyedRecord } from '../id-schema.js';
import { agreementNumber, contactFields, id, instant, optPhone, optText, text } from './fields.js';
import { customerRefFits, LIMITS } from '../sync/limits.js';

import { CALLBACK_CHANNELS, OPEN_TICKET_STATUSES, TICKET_CHANNELS, WAITING_TICKET_STATUSES } from '../domain/index.js';
import type {
  CalendarMonthView,
  CallerView,
  ContactView,
  ContractEditCheck,
  ContractTemplate,
  ContractView,
  CustomerView,
  IcsImportView,
  IntakePreview,
  IssueView,
  TargetView,
  TicketDetail,
  TicketSummary,
} from './desk-views.js';

// The result views live in desk-views.ts; re-exported so importers of desk.ts keep working.
export type * from './desk-views.js';

// ---------- requests ----------

export const registerRequest = z
  .object({
    /**
     * The intake's id, made by the client once per call taken: a second register with the same id
     * answers the ticket the first made (a double-click, a retry), and stores nothing.
     */
    intakeId: z.uuid('must be a UUID').nullish(),
    customerId: id,
    contractId: id,
    policy: text(LIMITS.policyName),
    critical: z.boolean().default(false),
    channel: z.enum(TICKET_CHANNELS),
    /** How the caller was authorised: a named contact of the contract, or the contract's support code. */
    authorisedBy: z.enum(['contact', 'support_code']),
    contactId: id.nullish(),
    supportCode: z.string().max(200).nullish(),
    reporterName: optText(200),
    reporterPhone: optPhone,
    title: optText(300),
    description: optText(LIMITS.longText),
    intake: z.record(z.string(), z.string().max(LIMITS.intakeValue)).default({}).superRefine(customerRefFits),
    assignee: optText(LIMITS.name),
    author: optText(LIMITS.name),
  })
  .strict();

export const queueFilter = z
  .object({
    contractId: id.nullish(),
    priority: z.string().max(100).nullish(),
    status: z.enum(OPEN_TICKET_STATUSES).nullish(),
    assignee: z.string().max(200).nullish(),
    /** Full-text search (titles, descriptions, notes, callbacks) or a case number. */
    q: z.string().max(200).nullish(),
  })
  .strict();
export type QueueFilter = z.input<typeof queueFilter>;

const cursor = z.object({ dueKey: z.number(), id: z.string() }).strict();

export const ticketAction = z.discriminatedUnion('type', [
  z.object({ type: z.literal('respond'), text: optText(LIMITS.longText) }).strict(),
  z
    .object({
      type: z.literal('callback'),
      channel: z.enum(CALLBACK_CHANNELS),
      reached: text(200),
      text: text(LIMITS.longText),
      nextCallbackAt: instant.nullish(),
    })
    .strict(),
  z.object({ type: z.literal('pause'), reason: z.enum(WAITING_TICKET_STATUSES), text: optText(2000) }).strict(),
  z.object({ type: z.literal('resume'), text: optText(2000) }).strict(),
  z.object({ type: z.literal('escalate'), to: z.enum(['level2', 'vendor']), vendorRef: optText(100), reason: optText(2000) }).strict(),
  z.object({ type: z.literal('note'), text: text(LIMITS.longText) }).strict(),
  z.object({ type: z.literal('priority'), policy: text(LIMITS.policyName), reason: optText(2000) }).strict(),
  z.object({ type: z.literal('resolve'), text: optText(LIMITS.longText) }).strict(),
  z.object({ type: z.literal('reopen'), text: optText(2000) }).strict(),
  z.object({ type: z.literal('close'), text: optText(2000) }).strict(),
  z.object({ type: z.literal('assign'), assignee: optText(LIMITS.name) }).strict(),
]);
export type TicketAction = z.input<typeof ticketAction>;

const issues = z.custom<IssueView[]>();
/** A customer as the Contracts view's form edits it (empty strings clear a field). */
const customerForm = { name: text(LIMITS.name), orgNumber: optText(40), notes: optText(LIMITS.notes) };

const policySetInput = z.object({ calendars: idKeyedRecord, policies: idKeyedRecord }).strict();

export const deskMethods = {
  /** Who is calling: contacts matching a phone number, customers matching a name. */
  'desk.lookup': {
    request: z.object({ query: z.string().trim().max(200) }).strict(),
    result: z.custom<{ callers: CallerView[]; customers: CustomerView[] }>(),
  },
  'desk.contract': {
    request: z.object({ contractId: id }).strict(),
    result: z.custom<ContractView>(),
  },
  'desk.verifySupportCode': {
    request: z.object({ contractId: id, code: z.string().min(1, 'is required').max(200) }).strict(),
    result: z.object({ valid: z.boolean() }),
  },
  /** What-if at now: a synthetic `created` event with the policy. */
  'desk.preview': {
    request: z.object({ contractId: id, policy: text(LIMITS.policyName) }).strict(),
    result: z.custom<IntakePreview>(),
  },
  'desk.register': {
    request: registerRequest,
    result: z.custom<{ ticket: TicketSummary }>(),
  },
  /** Open tickets, most urgent first (keyset paging), with live targets. */
  'desk.queue': {
    request: z
      .object({
        filter: queueFilter.default({}),
        cursor: cursor.nullish(),
        limit: z.number().int().min(1).max(500).default(100),
      })
      .strict(),
    result: z.custom<{ items: TicketSummary[]; next: { dueKey: number; id: string } | null }>(),
  },
  'desk.ticket': {
    request: z.object({ id }).strict(),
    result: z.custom<TicketDetail>(),
  },
  'desk.act': {
    request: z.object({ ticketId: id, action: ticketAction, author: optText(LIMITS.name) }).strict(),
    result: z.custom<TicketDetail>(),
  },
  /**
   * Edits a registered ticket's fields (issue 15 item 3): the ones that differ
   * from the stored ticket are written, with an `edited` event in the timeline;
   * an empty text clears a field.
   */
  'desk.editTicket': {
    request: z.object({ ticketId: id, title: optText(300), reporterName: optText(200), reporterPhone: optPhone, description: optText(20000), author: optText(200) }).strict(),
    result: z.custom<TicketDetail>(),
  },
  /** The people known on this device (assignees, authors of ticket events), to assign a ticket to. */
  'desk.users': {
    request: z.object({}).strict(),
    result: z.custom<{ users: string[] }>(),
  },
  /** The SLA as it stands now, and as it would stand after the action (nothing is stored). */
  'desk.whatIf': {
    request: z.object({ ticketId: id, action: ticketAction }).strict(),
    result: z.custom<{ before: TargetView[]; after: TargetView[] }>(),
  },
  /** Callbacks due (within `withinMinutes`) or overdue, across tickets. */
  'desk.callbacks': {
    request: z
      .object({
        withinMinutes: z
          .number()
          .int()
          .min(0)
          .max(7 * 24 * 60)
          .default(60),
      })
      .strict(),
    result: z.custom<{ items: TicketSummary[] }>(),
  },
  'desk.customers': {
    request: z.object({ prefix: z.string().max(200).default('') }).strict(),
    result: z.custom<{ customers: CustomerView[] }>(),
  },
  /** The shipped contract templates (contracts/templates), to import with a customer (desk.importContract). */
  'desk.templates': {
    request: z.object({}).strict(),
    result: z.custom<{ templates: ContractTemplate[] }>(),
  },
  /** Checks a contract file (docs/desk.md) without storing it. */
  'desk.checkContractFile': {
    request: z.object({ file: z.unknown() }).strict(),
    result: z.object({ issues }),
  },
  'desk.importContract': {
    request: z.object({ file: z.unknown() }).strict(),
    result: z.custom<{ imported: true; contractId: string; customerId: string } | { imported: false; issues: IssueView[] }>(),
  },
  'desk.exportContract': {
    request: z.object({ contractId: id }).strict(),
    result: z.object({ file: z.record(z.string(), z.unknown()) }),
  },
  /** A month of a contract's calendar (or of a draft of it) as the engine sees it: open hours per day, and why. */
  'desk.calendarMonth': {
    request: z
      .object({
        contractId: id,
        calendar: text(LIMITS.policyName),
        month: z.string().regex(/^2\d{3}-(0[1-9]|1[0-2])$/, 'must be YYYY-MM, from 2000-01 to 2999-12'),
        /** An edited calendar to show instead of the stored one (night shifts are split first). */
        draft: z.unknown().optional(),
      })
      .strict(),
    result: z.custom<CalendarMonthView>(),
  },
  /** Checks an edited policy set (night shifts split) and counts the open tickets whose deadlines it moves. Nothing is stored. */
  'desk.checkContractEdit': {
    request: z.object({ contractId: id, policySet: policySetInput }).strict(),
    result: z.custom<ContractEditCheck>(),
  },
  /** Stores an edited policy set (after the same check); the contract's open tickets are re-planned. */
  'desk.updateContract': {
    request: z
      .object({
        contractId: id,
        policySet: policySetInput,
        version: z.number().int().min(1),
        /** The agreement's wording ("policy" / "policy.metric" -> text); replaces the stored wording when given. */
        wording: z.record(z.string().max(200), z.string().max(2000)).optional(),
        /** The policy a critical fault gets (null: none); unchanged when not given. */
        criticalPolicy: id.nullable().optional(),
      })
      .strict(),
    result: z.custom<{ contract: ContractView; moved: number }>(),
  },
  /** A new customer (then a contract for it: desk.createContract). */
  'desk.createCustomer': {
    request: z.object(customerForm).strict(),
    result: z.custom<{ customer: CustomerView }>(),
  },
  'desk.updateCustomer': {
    request: z.object({ customerId: id, ...customerForm }).strict(),
    result: z.custom<{ customer: CustomerView }>(),
  },
  /**
   * A new contract for a customer; its calendars, policies and intake fields
   * are copied from another contract (`copyFrom`), or it gets one 24x7 policy
   * "normal" to edit in the policy editor.
   */
  'desk.createContract': {
    request: z.object({ customerId: id, agreementNumber, name: optText(200), copyFrom: id.nullish(), template: z.string().min(1).max(200).nullish() }).strict(),
    result: z.custom<ContractView>(),
  },
  'desk.addContact': {
    request: z.object({ contractId: id, ...contactFields }).strict(),
    result: z.custom<{ contact: ContactView }>(),
  },
  'desk.updateContact': {
    request: z.object({ contactId: id, ...contactFields }).strict(),
    result: z.custom<{ contact: ContactView }>(),
  },
  'desk.removeContact': {
    request: z.object({ contactId: id }).strict(),
    result: z.object({ removed: z.literal(true) }),
  },
  /** Sets (at least 4 characters) or clears (null) the contract's support code; only its hash is stored. */
  'desk.setSupportCode': {
    request: z.object({ contractId: id, code: z.string().max(200).nullable() }).strict(),
    result: z.object({ hasSupportCode: z.boolean() }),
  },
  /** Closed days from an .ics file's all-day events. */
  'desk.parseIcs': {
    request: z.object({ text: z.string().max(5_000_000) }).strict(),
    result: z.custom<IcsImportView>(),
  },
} as const;

export const deskEvents = {
  /** Tickets changed (registered, an event appended, synced in): the queue refreshes. */
  'tickets.changed': z.object({ ticketIds: z.array(z.string()) }),
  /** Customers, contracts, contacts, sites or assets came in by sync: lists of them refresh. */
  'records.changed': z.object({ kinds: z.array(z.string()) }),
} as const;
