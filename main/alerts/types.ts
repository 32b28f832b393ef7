/** Alerts the scheduler raises; see docs/alerts.md. */
import type { Metric } from '../../core/domain/index.js';
export type AlertKind = 'callback_due' | 'callback_overdue' | 'response_warning' | 'resolution_warning' | 'breach' | 'sla_unavailable' | 'visit_due' | 'report_due';
/** `report`: a scheduled report's reminder (main/agreements/reminders.ts), whose ticketId is `report|<contract>|<schedule>`. */
export type AlertTarget = Metric | 'report';

/** An alert whose cause holds at the instant the planner looked. */
export interface AlertCandidate {
  ticketId: string;
  caseNumber: string;
  target: AlertTarget;
  kind: AlertKind;
  /** The deadline (or callback due time) the alert is about: part of its key. */
  dueAt: number;
  critical: boolean;
  /** One line for the notification body, e.g. "Response due 11:30 (in 15 min)". */
  text: string;
}

export type AlertState = 'active' | 'acked' | 'resolved';

export interface Alert extends AlertCandidate {
  /** `${ticketId}|${target}|${kind}|${dueAt}`: recorded once, never shown twice. */
  key: string;
  state: AlertState;
  raisedAt: number;
  /** Last time it went to the OS; null while held back by quiet hours. */
  notifiedAt: number | null;
  snoozedUntil: number | null;
  /** Held back by quiet hours, to be shown in the summary when they end. */
  held: boolean;
  closedAt: number | null;
}

export function alertKey(c: Pick<AlertCandidate, 'ticketId' | 'target' | 'kind' | 'dueAt'>): string {
  return `${c.ticketId}|${c.target}|${c.kind}|${c.dueAt}`;
}

export interface PlanResult {
  /** Alerts whose cause holds now (due at or before now). */
  candidates: AlertCandidate[];
  /** The next instant at which anything about the ticket changes, or null (closed, nothing running). */
  nextAt: number | null;
  /** What a pop-up about the ticket names, from what planning read (showing it reads nothing more); absent: read when shown. */
  facts?: AlertFacts | null;
  /** The ticket's assignee and contract as planning read them: the alert scope (scope.ts) reads nothing more. */
  owner?: { assignee: string | null; contractId: string | null };
}

/**
 * A ticket's plan made by the change that wrote it (main/tickets/sla.ts), at `at`. `created`: that change
 * created the ticket, so it has no alerts yet and none are read for it (alert-cache.ts `created`).
 */
export interface ChangePlan {
  at: number;
  plan: PlanResult;
  created?: boolean;
}

/** Evaluates one ticket at an instant; backed by the SLA engine and the store. */
export interface TicketPlanner {
  plan(ticketId: string, now: number, settings: AlertSettings): Promise<PlanResult>;
  /** A plan made elsewhere (by the change that wrote the ticket, main/tickets/sla.ts) as this planner would leave it: e.g. out of the user's alert scope (scope.ts). */
  admit?(ticketId: string, plan: PlanResult, settings: AlertSettings): Promise<PlanResult>;
}

import type { AlertCursor, RenotifyStamp, TimedIndex } from '../../db/repos/notifications.js';
export type { AlertCursor, RenotifyStamp, TimedIndex } from '../../db/repos/notifications.js';

/**
 * Where alerts are kept; `recordNew` must insert atomically by key and return only the ones it inserted.
 * The scheduler reads at start only what it acts on by itself (`startup`, `timed` pages), and a ticket's
 * open alerts when it plans or shows that ticket (`openOf`); docs/alerts.md.
 */
export interface AlertStore {
  /** Every open alert (tests, tools); the scheduler does not read it. */
  loadOpen(): Promise<Alert[]>;
  /** The active alerts, soonest due first (the Alerts panel). */
  active(): Promise<Alert[]>;
  /** The number of active alerts, and those held back by the quiet hours. */
  /** `unshown`: the active alerts never shown (not held, not snoozed), which a start shows; `renotified`: the last re-notification stamp. */
  startup(): Promise<{ active: number; held: Alert[]; unshown: Alert[]; renotified: RenotifyStamp | null }>;
  /** The open alerts of these tickets. */
  openOf(ticketIds: readonly string[]): Promise<Alert[]>;
  /** A page of `index` in order after `after`, with the cursor of its last alert. */
  timed(index: TimedIndex, after: AlertCursor | null, limit: number): Promise<{ alerts: Alert[]; last: AlertCursor | null }>;
  recordNew(alerts: Alert[]): Promise<Alert[]>;
  /** `durable`: a person's acknowledgement or snooze, committed to disk before it answers; the scheduler's own marks are not (db/repos/no-fsync.ts). */
  update(alerts: Alert[], durable?: boolean): Promise<void>;
  /** Stores a re-notification stamp (the alerts it covers read as shown at its instant) and these alerts' rows, as `update`. */
  renotified(stamp: RenotifyStamp, alerts: Alert[]): Promise<void>;
}

export interface QuietHours {
  /** Local wall times, HH:MM; start > end means the quiet hours cross midnight. */
  start: string;
  end: string;
  timezone: string;
}

export interface AlertSettings {
  /** Warn when this percentage of a target's time has passed (default [75]). */
  warnPercent: number[];
  /** Warn this many minutes before a deadline (default [15]). */
  warnMinutesBefore: number[];
  /** Raise "callback due" this many minutes before the callback is due (default 5). */
  callbackLeadMinutes: number;
  /** Re-notify unacknowledged critical alerts every N minutes (default 5). */
  renotifyMinutes: number;
  quietHours: QuietHours | null;
  /** More new alerts than this at once become one summary notification (default 5). */
  summaryThreshold: number;
  /** The freedesktop sound name each pop-up plays, or null for silence (default "alarm-clock-elapsed"). */
  sound: string | null;
  /** Pop-ups also for alerts an on-call rota routes to someone else (default false: Alerts panel only). */
  popupsForAll?: boolean;
  /** The user's language: OS pop-ups are written in it (main/alerts/popup-words.ts; default 'en'). */
  language?: 'en' | 'da' | 'nb' | 'nl';
  /** Whose tickets alert this user (scope.ts): `mine` (assigned to them, or on contracts their rotas cover) or `all`; absent or null: the role's default. */
  alertScope?: 'mine' | 'all' | null;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  warnPercent: [75],
  warnMinutesBefore: [15],
  callbackLeadMinutes: 5,
  renotifyMinutes: 5,
  quietHours: null,
  summaryThreshold: 5,
  sound: 'alarm-clock-elapsed',
  popupsForAll: false,
  language: 'en',
};

/** What a pop-up says about a ticket, looked up when it is shown (never stored with the alert). */
export interface AlertFacts {
  customer: string | null;
  title: string | null;
  /** The contact to call back (the reporter), with their number. */
  contactName: string | null;
  contactPhone: string | null;
  /** The zone of the calendar each target counts on: due times are clock times there. */
  zones: Partial<Record<AlertTarget, string>>;
  /** The ticket's priority is critical: only then do its alerts break through quiet hours. */
  criticalTicket: boolean;
}

/** Timers, injected so that tests drive them with a fake clock (core/clock.ts). */
export type { Timers } from '../../core/clock.js';
