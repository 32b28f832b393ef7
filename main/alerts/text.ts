/**
 * The words of a pop-up, written at the moment it is shown (a re-notification
 * or a release from quiet hours is written anew): who the customer is, what
 * the ticket is about, what is due and when as a clock time in the contract's
 * zone, and whom to call back on which number.
 */
import { DateTime } from 'luxon';
import type { AppNotification, NotifyAction } from '../notify/notifier.js';
import { POPUP_WORDS, fill, popupWords } from './popup-words.js';
import type { PopupWords, SummaryWhy } from './popup-words.js';
import type { Alert, AlertFacts } from './types.js';

/** Most pressing first: what a pop-up leads with. */
const SEVERITY: Record<Alert['kind'], number> = { sla_unavailable: 0, breach: 0, callback_overdue: 1, response_warning: 2, resolution_warning: 2, callback_due: 3, visit_due: 3, report_due: 3 };

export const bySeverity = (x: Alert, y: Alert): number => SEVERITY[x.kind] - SEVERITY[y.kind] || x.dueAt - y.dueAt;

export const ticketActions = (w: PopupWords): Array<{ id: NotifyAction; label: string }> => [
  { id: 'acknowledge', label: w.acknowledge },
  { id: 'snooze', label: w.snooze15 },
  { id: 'open', label: w.open },
];
export const summaryActions = (w: PopupWords): Array<{ id: NotifyAction; label: string }> => [
  { id: 'acknowledge-all', label: w.acknowledgeAll },
  { id: 'open-alerts', label: w.openAlerts },
];

export const ticketNotificationId = (ticketId: string): string => `ticket|${ticketId}`;
export const SUMMARY_ID = 'summary';

/** "Mon 11:30 CET" in the zone (24-hour, weekday in the language), and how far from `now`, as of `now`. */
export function clockTime(at: number, zone: string, now: number, w: PopupWords = popupWords('en')): string {
  return withSpan(DateTime.fromMillis(at, { zone }).setLocale(w.locale).toFormat('ccc HH:mm ZZZZ'), at, now, w);
}

/** "<local> (in 15 min)" / "<local> (20 min ago)" / "<local> (now)", in the language. */
export function withSpan(local: string, at: number, now: number, w: PopupWords = popupWords('en')): string {
  const mins = Math.round((at - now) / 60_000);
  if (mins === 0) return `${local} (${w.now})`;
  const span = Math.abs(mins) >= 120 ? `${Math.round(Math.abs(mins) / 60)} h` : `${Math.abs(mins)} min`;
  return `${local} (${fill(mins > 0 ? w.inSpan : w.spanAgo, { span })})`;
}

/** One line: what is due and when. */
export function dueLine(a: Alert, facts: AlertFacts | null, now: number, fallbackZone: string, w: PopupWords = popupWords('en')): string {
  const when = clockTime(a.dueAt, facts?.zones[a.target] ?? fallbackZone, now, w);
  const name = w.targets[a.target];
  switch (a.kind) {
    case 'sla_unavailable':
      // No deadline to name; the reason (English in a.text) is shown translated on the ticket page.
      return w === POPUP_WORDS.en ? a.text : w.slaUnavailable;
    case 'breach':
      return `${name} ${w.deadlinePassed} ${when}`;
    case 'callback_overdue':
      return `${name} ${w.wasDue} ${when}`;
    case 'visit_due':
      return `${w.visitWindowOpens} ${when}`;
    default:
      return `${name} ${w.due} ${when}`;
  }
}

function contactLine(facts: AlertFacts | null, w: PopupWords): string | null {
  if (!facts || (!facts.contactName && !facts.contactPhone)) return null;
  return `${w.callBack} ${[facts.contactName, facts.contactPhone].filter(Boolean).join(', ')}`;
}

/** The pop-up of one ticket: all its active alerts, the most pressing first. */
export function ticketNotification(alerts: Alert[], facts: AlertFacts | null, now: number, fallbackZone: string, sound: string | null, lang?: string): AppNotification {
  const w = popupWords(lang);
  const sorted = [...alerts].sort(bySeverity);
  const top = sorted[0] as Alert;
  const critical = sorted.some((a) => a.critical);
  const who = facts?.customer ? ` · ${facts.customer}` : '';
  const lines = [[top.caseNumber, facts?.customer, facts?.title].filter(Boolean).join(' · '), ...sorted.map((a) => dueLine(a, facts, now, fallbackZone, w)), contactLine(facts, w)].filter(
    (l): l is string => Boolean(l),
  );
  return {
    id: ticketNotificationId(top.ticketId),
    title: `${critical ? `${w.critical} · ` : ''}${top.caseNumber}: ${w.titles[top.kind]}${who}`,
    body: lines.join('\n'),
    critical,
    ticketId: top.ticketId,
    actions: ticketActions(w),
    sound,
  };
}

/** How many alerts the summary pop-up names (the most severe first); it counts the others. */
const SUMMARY_LINES = 8;

/** The entries the summary pop-up names: only their facts are read (show-due.ts). */
export function summaryNamed<T extends { alert: Alert }>(entries: T[]): T[] {
  // The first SUMMARY_LINES of a stable sort, in one pass: not a sort of the 44k alerts a re-notification lists.
  const top: T[] = [];
  for (const e of entries) {
    if (top.length === SUMMARY_LINES && bySeverity(e.alert, top[SUMMARY_LINES - 1]!.alert) >= 0) continue;
    let i = top.length;
    while (i > 0 && bySeverity(e.alert, top[i - 1]!.alert) < 0) i--;
    top.splice(i, 0, e);
    if (top.length > SUMMARY_LINES) top.pop();
  }
  return top;
}

/** One grouped pop-up for many alerts (a catch-up, a burst, a release from quiet hours). */
export function summaryNotification(
  alerts: Array<{ alert: Alert; facts: AlertFacts | null }>,
  why: SummaryWhy,
  now: number,
  fallbackZone: string,
  sound: string | null,
  lang?: string,
): AppNotification {
  const w = popupWords(lang);
  const named = summaryNamed(alerts);
  const lines = named.map(({ alert: a, facts }) => [a.caseNumber, facts?.customer, w.titles[a.kind], dueLine(a, facts, now, fallbackZone, w)].filter(Boolean).join(' · '));
  if (alerts.length > named.length) lines.push(fill(w.more, { count: alerts.length - named.length }));
  return {
    id: SUMMARY_ID,
    title: `Vakt: ${fill(w.summaryTitle, { count: alerts.length })} ${w.why[why]}`,
    body: lines.join('\n'),
    critical: alerts.some((x) => x.alert.critical),
    actions: summaryActions(w),
    sound,
  };
}
