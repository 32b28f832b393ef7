/**
 * An alert's line in the user's language, computed when shown (issue 15
 * item 7): the services' `alert.text` is English and frozen at the moment the
 * alert was raised ("(in 2 min)"); here the target, the due time (user's
 * locale and zone, renderer/format.ts) and how far it is from now are said
 * anew. Only `sla_unavailable` keeps the engine's reason as sent.
 */
import type { TFunction } from 'i18next';
import type { AlertView } from '../core/api/alerts.js';
import { formatRelative, formatWhen } from './format.js';

export function alertText(a: Pick<AlertView, 'kind' | 'target' | 'dueAt' | 'text'>, now: number, t: TFunction): string {
  const vars = { target: t(`metric.${a.target}`), when: formatWhen(a.dueAt), span: formatRelative(a.dueAt - now) };
  switch (a.kind) {
    case 'sla_unavailable':
      return t('ticket.slaError', { why: a.text.replace(/^cannot compute SLA: /, '') });
    case 'breach':
      return t('alerts.text.breach', vars);
    case 'callback_overdue':
      return t('alerts.text.overdue', vars);
    default:
      return t('alerts.text.due', vars);
  }
}
