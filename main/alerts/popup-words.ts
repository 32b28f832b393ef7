/**
 * The words of OS pop-ups in each language the app speaks (issue 15 item 7).
 * Main cannot read the renderer's i18n files, so the pop-up words live here,
 * one record per language with the same keys (test/main/popup-words.test.ts).
 * The user's language reaches main through the alert settings (`language`).
 */
import type { Metric } from '../../core/domain/index.js';
import type { Alert } from './types.js';

export const POPUP_LANGUAGES = ['en', 'da', 'nb', 'nl'] as const;
export type PopupLanguage = (typeof POPUP_LANGUAGES)[number];

/** Why several alerts became one summary pop-up. */
export type SummaryWhy = 'catchup' | 'quiet' | 'unacked' | 'burst';

export interface PopupWords {
  /** Luxon locale: weekday names, and 24-hour clock times where the language uses them. */
  locale: string;
  titles: Record<Alert['kind'], string>;
  critical: string;
  targets: Record<Metric | 'report', string>;
  deadlinePassed: string;
  /** A planned visit: its due window opens (then the time). */
  visitWindowOpens: string;
  /** A ticket whose SLA cannot be computed: the reason is shown, translated, on the ticket (the stored alert text is English). */
  slaUnavailable: string;
  wasDue: string;
  due: string;
  callBack: string;
  now: string;
  /** "{span}" is "15 min" or "3 h". */
  inSpan: string;
  spanAgo: string;
  acknowledge: string;
  snooze15: string;
  open: string;
  acknowledgeAll: string;
  openAlerts: string;
  /** "{count}" alerts, then why. */
  summaryTitle: string;
  why: Record<SummaryWhy, string>;
  more: string;
  /** Handover at shift change. */
  shiftStarts: string;
  openCritical: string;
  callbacksInShift: string;
  notAcknowledged: string;
  at: string;
}

const en: PopupWords = {
  locale: 'en-US',
  titles: {
    callback_due: 'callback due',
    callback_overdue: 'callback overdue',
    response_warning: 'response deadline near',
    resolution_warning: 'resolution deadline near',
    breach: 'SLA breached',
    sla_unavailable: 'SLA cannot be computed',
    visit_due: 'planned visit due',
    report_due: 'SLA report to send',
  },
  critical: 'CRITICAL',
  targets: { response: 'Response', resolution: 'Resolution', update: 'Status callback', report: 'SLA report' },
  deadlinePassed: 'deadline passed:',
  visitWindowOpens: 'Visit window opens',
  slaUnavailable: 'The SLA cannot be computed; the ticket says why',
  wasDue: 'was due',
  due: 'due',
  callBack: 'Call back:',
  now: 'now',
  inSpan: 'in {span}',
  spanAgo: '{span} ago',
  acknowledge: 'Acknowledge',
  snooze15: 'Snooze 15 min',
  open: 'Open',
  acknowledgeAll: 'Acknowledge all',
  openAlerts: 'Open alerts',
  summaryTitle: '{count} alerts',
  why: { catchup: 'came due while Vakt was not running', quiet: 'held back during quiet hours', unacked: 'not yet acknowledged', burst: 'came due at once' },
  more: '… and {count} more',
  shiftStarts: 'Your shift in {team} starts (until {until})',
  openCritical: 'open critical ticket(s)',
  callbacksInShift: 'callback(s) due in your shift',
  notAcknowledged: 'alert(s) not acknowledged',
  at: 'at',
};

const da: PopupWords = {
  locale: 'da',
  titles: {
    callback_due: 'tilbagekald forfalder',
    callback_overdue: 'tilbagekald overskredet',
    response_warning: 'svarfrist nærmer sig',
    resolution_warning: 'løsningsfrist nærmer sig',
    breach: 'SLA overskredet',
    sla_unavailable: 'SLA kan ikke beregnes',
    visit_due: 'planlagt besøg forfalder',
    report_due: 'SLA-rapport skal sendes',
  },
  critical: 'KRITISK',
  targets: { response: 'Svarfrist', resolution: 'Løsningsfrist', update: 'Statusopkald', report: 'SLA-rapport' },
  deadlinePassed: 'overskredet:',
  visitWindowOpens: 'Besøgsvinduet åbner',
  slaUnavailable: 'SLA kan ikke beregnes; sagen viser hvorfor',
  wasDue: 'forfaldt',
  due: 'forfalder',
  callBack: 'Ring tilbage:',
  now: 'nu',
  inSpan: 'om {span}',
  spanAgo: 'for {span} siden',
  acknowledge: 'Kvittér',
  snooze15: 'Udsæt 15 min',
  open: 'Åbn',
  acknowledgeAll: 'Kvittér alle',
  openAlerts: 'Åbn alarmer',
  summaryTitle: '{count} alarmer',
  why: { catchup: 'forfaldt mens Vakt ikke kørte', quiet: 'holdt tilbage i stille timer', unacked: 'endnu ikke kvitteret', burst: 'forfaldt på én gang' },
  more: '… og {count} mere',
  shiftStarts: 'Din vagt i {team} begynder (til {until})',
  openCritical: 'åbne kritiske sager',
  callbacksInShift: 'tilbagekald i din vagt',
  notAcknowledged: 'alarmer ikke kvitteret',
  at: 'kl.',
};

const nb: PopupWords = {
  locale: 'nb',
  titles: {
    callback_due: 'tilbakeringing forfaller',
    callback_overdue: 'tilbakeringing forfalt',
    response_warning: 'svarfrist nærmer seg',
    resolution_warning: 'løsningsfrist nærmer seg',
    breach: 'SLA brutt',
    sla_unavailable: 'SLA kan ikke beregnes',
    visit_due: 'planlagt besøk forfaller',
    report_due: 'SLA-rapport skal sendes',
  },
  critical: 'KRITISK',
  targets: { response: 'Svarfrist', resolution: 'Løsningsfrist', update: 'Statusoppringning', report: 'SLA-rapport' },
  deadlinePassed: 'passert:',
  visitWindowOpens: 'Besøksvinduet åpner',
  slaUnavailable: 'SLA kan ikke beregnes; saken viser hvorfor',
  wasDue: 'forfalt',
  due: 'forfaller',
  callBack: 'Ring tilbake:',
  now: 'nå',
  inSpan: 'om {span}',
  spanAgo: 'for {span} siden',
  acknowledge: 'Kvitter',
  snooze15: 'Utsett 15 min',
  open: 'Åpne',
  acknowledgeAll: 'Kvitter alle',
  openAlerts: 'Åpne varsler',
  summaryTitle: '{count} varsler',
  why: { catchup: 'forfalt mens Vakt ikke kjørte', quiet: 'holdt tilbake i stilletiden', unacked: 'ennå ikke kvittert', burst: 'forfalt samtidig' },
  more: '… og {count} til',
  shiftStarts: 'Vakten din i {team} begynner (til {until})',
  openCritical: 'åpne kritiske saker',
  callbacksInShift: 'tilbakeringinger i vakten din',
  notAcknowledged: 'varsler ikke kvittert',
  at: 'kl.',
};

const nl: PopupWords = {
  locale: 'nl',
  titles: {
    callback_due: 'terugbelafspraak nadert',
    callback_overdue: 'terugbelafspraak verlopen',
    response_warning: 'reactietermijn nadert',
    resolution_warning: 'oplostermijn nadert',
    breach: 'SLA overschreden',
    sla_unavailable: 'SLA kan niet worden berekend',
    visit_due: 'gepland bezoek nadert',
    report_due: 'SLA-rapport te versturen',
  },
  critical: 'KRITIEK',
  targets: { response: 'Reactietermijn', resolution: 'Oplostermijn', update: 'Statusupdate', report: 'SLA-rapport' },
  deadlinePassed: 'verstreken:',
  visitWindowOpens: 'Bezoekvenster opent',
  slaUnavailable: 'De SLA kan niet worden berekend; het ticket toont waarom',
  wasDue: 'was uiterlijk',
  due: 'uiterlijk',
  callBack: 'Terugbellen:',
  now: 'nu',
  inSpan: 'over {span}',
  spanAgo: '{span} geleden',
  acknowledge: 'Bevestigen',
  snooze15: '15 min uitstellen',
  open: 'Openen',
  acknowledgeAll: 'Alles bevestigen',
  openAlerts: 'Meldingen openen',
  summaryTitle: '{count} meldingen',
  why: { catchup: 'verlopen terwijl Vakt niet draaide', quiet: 'vastgehouden tijdens stille uren', unacked: 'nog niet bevestigd', burst: 'tegelijk verlopen' },
  more: '… en nog {count}',
  shiftStarts: 'Je dienst in {team} begint (tot {until})',
  openCritical: 'open kritieke tickets',
  callbacksInShift: 'terugbelafspraken in je dienst',
  notAcknowledged: 'meldingen niet bevestigd',
  at: 'om',
};

export const POPUP_WORDS: Record<PopupLanguage, PopupWords> = { en, da, nb, nl };

/** The words of a language; English for none or an unknown one. */
export function popupWords(lang: string | undefined): PopupWords {
  return POPUP_WORDS[(POPUP_LANGUAGES as readonly string[]).includes(lang ?? '') ? (lang as PopupLanguage) : 'en'];
}

/** "{name}" placeholders filled in. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_m, k: string) => String(values[k] ?? `{${k}}`));
}
