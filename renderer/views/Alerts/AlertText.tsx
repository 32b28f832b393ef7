/**
 * An alert's text, computed when shown (issue 15 item 5): from its kind,
 * target and deadline, in the user's language, locale and zone, with "in
 * 15 min" / "5 min ago" against the services' clock as it ticks. The
 * reason an SLA cannot be computed is said from `reason` (keyed issues the
 * services work out when listing); the planner's stored English `text` only
 * when there is none.
 */
import { useTranslation } from 'react-i18next';
import type { AlertView } from '../../../core/api/alerts.js';
import { issuesText } from '../../fields.js';
import { formatWhen, relative, useNow } from '../../format.js';

export function AlertText({ a }: { a: AlertView }) {
  const { t } = useTranslation();
  const now = useNow(15_000);
  const text =
    a.kind === 'sla_unavailable'
      ? t('alerts.text.sla_unavailable', { why: a.reason?.length ? issuesText(a.reason) : a.text.replace(/^cannot compute SLA: /, '') })
      : t(`alerts.text.${a.kind}`, { when: formatWhen(a.dueAt), rel: relative(a.dueAt, now), metric: t(`metric.${a.target}`) });
  return <div className="muted">{text}</div>;
}
