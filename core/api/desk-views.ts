/**
 * The result views of the duty officer desk's contract methods (core/api/desk.ts,
 * docs/desk.md): typed, not validated (the dispatcher does not re-validate results).
 */
import type { IntakeField, Metric, TicketChannel, TicketStatus } from '../domain/index.js';
import type { VisitFacts } from '../agreements/maintenance.js';
import type { KeyedIssue } from '../domain/issue-keys.js';

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
