/** The deadlines a call registered now would get on this contract and policy (`desk.preview`), refreshed every 30 s; a warning when support is closed now. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IntakePreview } from '../../../core/api/desk.js';
import { formatMinutes, formatWhen } from '../../format.js';
import { call } from '../../transport.js';

export function DeadlinePreview({ contractId, policy, criticalPolicy }: { contractId: string; policy: string; criticalPolicy: string | null }) {
  const { t } = useTranslation();
  const [preview, setPreview] = useState<IntakePreview | null>(null);

  useEffect(() => {
    if (!policy) {
      setPreview(null);
      return;
    }
    let live = true;
    const load = () =>
      call('desk.preview', { contractId, policy })
        .then((p) => live && setPreview(p))
        .catch(() => live && setPreview(null));
    void load();
    const id = setInterval(load, 30_000);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [contractId, policy]);

  if (!preview) return null;
  return (
    <section aria-label={t('intake.deadlines')} className="preview">
      {!preview.open && (
        <p role="alert" className="warn-box">
          {t(criticalPolicy ? 'intake.closedNow' : 'intake.closedNoCritical', { opens: preview.opensAt ? formatWhen(preview.opensAt, preview.timezone) : t('intake.never') })}
        </p>
      )}
      <ul>
        {preview.targets.map((x) => (
          <li key={x.metric} data-testid={`preview-${x.metric}`}>
            {x.dueAt !== null
              ? t(`intake.due.${x.metric}`, { when: formatWhen(x.dueAt, x.timezone), left: formatMinutes(x.businessMinutesLeft ?? 0) })
              : t('intake.noDeadline', { metric: t(`metric.${x.metric}`) })}
            {x.wording && <q className="wording">{x.wording}</q>}
          </li>
        ))}
      </ul>
    </section>
  );
}
