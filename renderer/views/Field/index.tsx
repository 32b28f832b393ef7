/** The field technician's "My visits": open cases assigned to the name in the top bar (issue 8 §1). */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FieldVisitView } from '../../../core/api/field.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { VisitBadge } from '../Maintenance/VisitBadge.js';

export function Field() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me.trim());
  const openTicket = useApp((s) => s.openTicket);
  const [items, setItems] = useState<FieldVisitView[] | null>(null);
  const [err, setErr] = useState('');
  const load = useCallback(() => {
    if (!me) return setItems(null);
    call('field.myVisits', { assignee: me }).then(
      (r) => (setItems(r.items), setErr('')),
      (e: Error) => setErr(e.message),
    );
  }, [me]);
  useEffect(load, [load]);
  useEventReload(['tickets.changed'], load);

  return (
    <section className="panel" aria-labelledby="field-heading">
      <h2 id="field-heading">{t('field.heading')}</h2>
      {!me && <p>{t('field.noName')}</p>}
      {me && <p className="hint">{t('field.who', { name: me })}</p>}
      {err && <p role="alert">{err}</p>}
      {items && items.length === 0 && <p>{t('field.none')}</p>}
      {items && items.length > 0 && (
        <ul className="queue" aria-label={t('field.heading')}>
          {items.map((v) => (
            <li key={v.ticketId}>
              <button type="button" className="qopen" onClick={() => openTicket(v.ticketId)} aria-label={t('field.open', { caseNumber: v.caseNumber })}>
                <strong>{v.caseNumber}</strong> {v.customerName}
              </button>
              <div>
                {t('field.site')}: {[v.siteName, v.siteAddress].filter(Boolean).join(', ') || '–'}
              </div>
              <VisitBadge visit={v.visit} />
              {(v.title || v.description) && <div className="muted">{v.description ?? v.title}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
