/**
 * Contract methods for the duty officer desk (intake, queue, ticket page,
 * callbacks, contracts). See docs/desk.md.
 *
 * Requests are validated with zod; results are typed views (the dispatcher
 * does not re-validate results, so they are declared with `z.custom`).
 */
import { z } from 'zod';
import { idKeyedRecord } from '../id-schema.js';
import { id, instant, optText, text } from './fields.js';
import { LIMITS } from '../sync/limits.js';
import { isPhoneNumber, NOT_A_PHONE } from './phone.js';

import { CALLBACK_CHANNELS, OPEN_TICKET_STATUSES, TICKET_CHANNELS, WAITING_TICKET_STATUSES } from '../domain/index.js';
import type { IntakeField, Metric, TicketChannel, TicketStatus } from '../domain/index.js';
import type { VisitFacts } from '../agreements/maintenance.js';
import type { KeyedIssue } from '../domain/issue-keys.js';

// ---------- views (results) ----------

export interface ContactView {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  role: string | null;
}
export interface PolicyView {
  id: string;
  name: string;
  calendar: string;
  /** The agreement's own wording for the policy, if the contract file had it. */
  wording: string | null;
}
export interface ContractSummary {
  id: string;
  customerId: string;
  customerName: string;
  agreementNumber: string;
  name: string | null;
}
export interface ContractView extends ContractSummary {
  policies: PolicyView[];
  defaultPolicy: string | null;
  /** The policy a call marked "critical fault" gets; null: the contract has none. */
  criticalPolicy: string | null;
  intakeFields: IntakeField[];
  hasSupportCode: boolean;
  contacts: ContactView[];
  calendars: Record<string, unknown>;
  /** "policy" or "policy.metric" -> the agreement's own wording. */
  wording: Record<string, string>;
  version: number;
  /** The contract's calendars and policies as stored (the editor's starting point). */
  policySet: PolicySetJson;
}

/** A contract's `{calendars, policies}` in the contract format (specs/sla-clock.md §1–§3). */
export interface PolicySetJson {
  calendars: Record<string, unknown>;
  policies: Record<string, unknown>;
}

/** One local day of a calendar, as the engine computes it (CompiledCalendar). */
export interface CalendarDayView {
  date: string;
  /** 0 = Monday … 6 = Sunday. */
  weekday: number;
  /** Why the day has these hours: the weekly schedule, a special day, a closed date, a public holiday. */
  rule: 'week' | 'special' | 'closed' | 'holiday';
  /** Open intervals in local wall time, `[HH:MM, HH:MM]` (end may be 24:00). */
  intervals: [string, string][];
  openMinutes: number;
}
export interface CalendarMonthView {
  calendar: string;
  name: string | null;
  timezone: string;
  /** YYYY-MM */
  month: string;
  days: CalendarDayView[];
  /** Problems of a draft calendar (paths relative to the calendar); days are empty then. */
  issues: IssueView[];
}

/** A ticket whose deadline a contract edit moves. */
export interface MovedDeadline {
  ticketId: string;
  caseNumber: string;
  metric: Metric;
  before: number | null;
  after: number | null;
}
export interface ContractEditCheck {
  /** The policy set as it would be stored (night shifts split over midnight). */
  policySet: PolicySetJson;
  /** Problems with their paths (`calendars.dk-office.week.tue[1]`); nothing can be saved while there are any. */
  issues: IssueView[];
  /** Open tickets of the contract re-evaluated. */
  checked: number;
  /** Open tickets whose deadlines (due times) the edit moves. */
  moved: number;
  /** The first few moved deadlines. */
  examples: MovedDeadline[];
}

export interface IcsImportView {
  days: { date: string; summary: string | null }[];
  skipped: { summary: string | null; reason: string }[];
}
export interface CallerView {
  contact: ContactView;
  contract: ContractSummary;
}
export interface CustomerView {
  id: string;
  name: string;
  orgNumber: string | null;
  /** Free text about the customer (desk.updateCustomer). */
  notes?: string | null;
  contracts: ContractSummary[];
}

/** A shipped contract template: a contract file without customer, agreement number or contacts. */
export interface ContractTemplate {
  id: string;
  name: string;
  description: string | null;
  file: Record<string, unknown>;
}

export type TraceView = { kind: 'counted' | 'closed' | 'paused' | 'resolved'; from: number; to: number; minutes: number; note?: string } | { kind: 'rule'; note: string; at?: number };

export interface TargetView {
  metric: Metric;
  state: 'pending' | 'running' | 'paused' | 'stopped';
  dueAt: number | null;
  stoppedAt: number | null;
  breached: boolean;
  elapsedMinutes: number;
  remainingMinutes: number | null;
  missed?: number;
  startedAt: number | null;
  /** The IANA zone of the target's calendar. */
  timezone: string;
  /** Open (business) minutes from now to dueAt, when running. */
  businessMinutesLeft: number | null;
  /** The agreement's own wording for this target. */
  wording: string | null;
  trace?: TraceView[];
}

export interface SlaView {
  policy: string;
  policyName: string;
  targets: TargetView[];
}

export interface IntakePreview {
  now: number;
  policy: string;
  /** Is the policy's calendar open now (support hours)? */
  open: boolean;
  /** When it opens next (null when open now or never within the horizon). */
  opensAt: number | null;
  timezone: string;
  targets: TargetView[];
}

export interface TicketSummary {
  id: string;
  caseNumber: string;
  customerId: string;
  customerName: string;
  contractId: string | null;
  agreementNumber: string | null;
  policy: string | null;
  status: TicketStatus;
  priority: string | null;
  channel: TicketChannel;
  assignee: string | null;
  title: string | null;
  reporterName: string | null;
  /** The reporter's number (the Callbacks view dials it). */
  reporterPhone: string | null;
  /** The contract's own name of the ticket's priority (its policy), null when the contract has none by that id. */
  priorityName: string | null;
  escalationLevel: number;
  vendorRef: string | null;
  createdAt: number;
  nextDueAt: number | null;
  nextCallbackAt: number | null;
  /**
   * The targets. On the ticket's page and after a change: evaluated at the time of the call. In lists
   * (queue, callbacks): from the summary stored with the ticket's last change, `breached` derived at the
   * time of the call from the stored due times; minutes as of that change, `businessMinutesLeft` null.
   */
  targets: TargetView[];
  /** Why this ticket's SLA cannot be computed (its contract or policy), shown as "cannot compute SLA: <why>"; null when it can (or has none). */
  slaError: string | null;
  /** `slaError` as issues with their keys (the renderer says it in the user's language); null with it. */
  slaErrorIssues?: IssueView[] | null;
}

export interface TicketDetail extends TicketSummary {
  description: string | null;
  customerRef: string | null;
  intake: Record<string, string>;
  /** A planned visit's kind, due date and window (docs/maintenance.md); null for a call. */
  visit?: VisitFacts | null;
  events: EventView[];
  sla: SlaView | null;
  policies: PolicyView[];
}

export interface EventView {
  id: string;
  type: string;
  at: number;
  author: string | null;
  data: Record<string, unknown>;
  /**
   * For events that stop or pause a clock: the device that recorded it, when the sync server received it
   * (null: not synced yet) and, when that was more than 15 minutes after `at`, by how much
   * (core/reports/evidence.ts). Absent for other events.
   */
  receipt?: { deviceId: string; deviceName: string | null; receivedAt: number | null; lateMs: number | null };
}

/** A problem at a path, in English, with its key and values (core/domain/issue-keys.ts) for the renderer. */
export type IssueView = KeyedIssue;

// ---------- requests ----------


/** A phone number field (the handler checks it again in the contract's country). */
const phoneText = optText(40).refine((p) => p == null || isPhoneNumber(p), { message: 'is not a phone number', params: { key: NOT_A_PHONE } });

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
    reporterPhone: phoneText,
    title: optText(300),
    description: optText(LIMITS.longText),
    intake: z.record(z.string(), z.string().max(LIMITS.intakeValue)).default({}),
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
/** An authorised contact as the form edits it (checked again by the store: phone, e-mail). */
const contactForm = { name: text(LIMITS.name), phone: phoneText, email: optText(200), role: optText(100) };

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
    request: z
      .object({ ticketId: id, title: optText(300), reporterName: optText(200), reporterPhone: phoneText, description: optText(20000), author: optText(200) })
      .strict(),
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
    request: z.object({ withinMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60) }).strict(),
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
    request: z.object({ customerId: id, agreementNumber: text(40), name: optText(200), copyFrom: id.nullish(), template: z.string().min(1).max(200).nullish() }).strict(),
    result: z.custom<ContractView>(),
  },
  'desk.addContact': {
    request: z.object({ contractId: id, ...contactForm }).strict(),
    result: z.custom<{ contact: ContactView }>(),
  },
  'desk.updateContact': {
    request: z.object({ contactId: id, ...contactForm }).strict(),
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
