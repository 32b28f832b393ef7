/**
 * The words of a pop-up, written at the moment it is shown (a re-notification
 * or a release from quiet hours is written anew): who the customer is, what
 * the ticket is about, what is due and when as a clock time in the contract's
 * zone, and whom to call back on which number.
 */
import { DateTime } from 'luxon';
import type { AppNotification, NotifyAction } from '../notify/notifier.js';
import type { Alert, AlertFacts } from './types.js';

export const TITLES: Record<Alert['kind'], string> = {
  callback_due: 'callback due',
  callback_overdue: 'callback overdue',
  response_warning: 'response deadline near',
  resolution_warning: 'resolution deadline near',
  breach: 'SLA breached',
  sla_unavailable: 'SLA cannot be computed',
};

/** Most pressing first: what a pop-up leads with. */
const SEVERITY: Record<Alert['kind'], number> = { sla_unavailable: 0, breach: 0, callback_overdue: 1, response_warning: 2, resolution_warning: 2, callback_due: 3 };

export const bySeverity = (x: Alert, y: Alert): number => SEVERITY[x.kind] - SEVERITY[y.kind] || x.dueAt - y.dueAt;

export const TICKET_ACTIONS: Array<{ id: NotifyAction; label: string }> = [
  { id: 'acknowledge', label: 'Acknowledge' },
  { id: 'snooze', label: 'Snooze 15 min' },
  { id: 'open', label: 'Open' },
];
export const SUMMARY_ACTIONS: Array<{ id: NotifyAction; label: string }> = [
  { id: 'acknowledge-all', label: 'Acknowledge all' },
  { id: 'open-alerts', label: 'Open alerts' },
];

export const ticketNotificationId = (ticketId: string): string => `ticket|${ticketId}`;
export const SUMMARY_ID = 'summary';

/** "Mon 11:30 CET" in the zone, and how far from `now`, as of `now`. */
export function clockTime(at: number, zone: string, now: number): string {
  return withSpan(DateTime.fromMillis(at, { zone }).toFormat('ccc HH:mm ZZZZ'), at, now);
}

/** "<local> (in 15 min)" / "<local> (20 min ago)" / "<local> (now)". */
export function withSpan(local: string, at: number, now: number): string {
  const mins = Math.round((at - now) / 60_000);
  if (mins === 0) return `${local} (now)`;
  const span = Math.abs(mins) >= 120 ? `${Math.round(Math.abs(mins) / 60)} h` : `${Math.abs(mins)} min`;
  return mins > 0 ? `${local} (in ${span})` : `${local} (${span} ago)`;
}

/** One line: what is due and when. */
export function dueLine(a: Alert, facts: AlertFacts | null, now: number, fallbackZone: string): string {
  const when = clockTime(a.dueAt, facts?.zones[a.target] ?? fallbackZone, now);
  const name = a.target === 'response' ? 'Response' : a.target === 'resolution' ? 'Resolution' : 'Status callback';
  switch (a.kind) {
    case 'sla_unavailable':
      return a.text; // "cannot compute SLA: <why>": no deadline to name
    case 'breach':
      return `${name} deadline passed: ${when}`;
    case 'callback_overdue':
      return `${name} was due ${when}`;
    default:
      return `${name} due ${when}`;
  }
}

function contactLine(facts: AlertFacts | null): string | null {
  if (!facts || (!facts.contactName && !facts.contactPhone)) return null;
  return `Call back: ${[facts.contactName, facts.contactPhone].filter(Boolean).join(', ')}`;
}

/** The pop-up of one ticket: all its active alerts, the most pressing first. */
export function ticketNotification(alerts: Alert[], facts: AlertFacts | null, now: number, fallbackZone: string, sound: string | null): AppNotification {
  const sorted = [...alerts].sort(bySeverity);
  const top = sorted[0] as Alert;
  const critical = sorted.some((a) => a.critical);
  const who = facts?.customer ? ` · ${facts.customer}` : '';
  const lines = [
    [top.caseNumber, facts?.customer, facts?.title].filter(Boolean).join(' · '),
    ...sorted.map((a) => dueLine(a, facts, now, fallbackZone)),
    contactLine(facts),
  ].filter((l): l is string => Boolean(l));
  return {
    id: ticketNotificationId(top.ticketId),
    title: `${critical ? 'CRITICAL · ' : ''}${top.caseNumber}: ${TITLES[top.kind]}${who}`,
    body: lines.join('\n'),
    critical,
    ticketId: top.ticketId,
    actions: TICKET_ACTIONS,
    sound,
  };
}

/** One grouped pop-up for many alerts (a catch-up, a burst, a release from quiet hours). */
export function summaryNotification(
  alerts: Array<{ alert: Alert; facts: AlertFacts | null }>,
  why: string,
  now: number,
  fallbackZone: string,
  sound: string | null,
): AppNotification {
  const sorted = [...alerts].sort((x, y) => bySeverity(x.alert, y.alert));
  const lines = sorted.slice(0, 8).map(({ alert: a, facts }) => [a.caseNumber, facts?.customer, TITLES[a.kind], dueLine(a, facts, now, fallbackZone)].filter(Boolean).join(' · '));
  if (sorted.length > 8) lines.push(`… and ${sorted.length - 8} more`);
  return {
    id: SUMMARY_ID,
    title: `Vakt: ${alerts.length} alerts ${why}`,
    body: lines.join('\n'),
    critical: alerts.some((x) => x.alert.critical),
    actions: SUMMARY_ACTIONS,
    sound,
  };
}
