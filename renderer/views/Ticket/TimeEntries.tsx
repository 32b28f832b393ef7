/**
 * The ticket's time entries, and the field visit's proposals to confirm
 * (issue 15 item 8): the steps say when the travel and the work took place,
 * so the technician confirms them instead of typing them again.
 */
import { useTranslation } from 'react-i18next';
import type { CaseBillingView } from '../../../core/api/reports.js';
import { formatDateTime, formatNumber, formatTimeOfDay } from '../../format.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';

export function VisitProposals({ ticketId, view, level, onLogged }: { ticketId: string; view: CaseBillingView; level: string; onLogged(): void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const { err, busy, run } = useSave();
  if (!view.proposals.length) return null;
  return (
    <div role="group" aria-labelledby="proposals-heading">
      <h3 id="proposals-heading">{t('timeEntry.proposals')}</h3>
      <ul className="proposals">
        {view.proposals.map((p) => {
          const what = t(`timeEntry.parts.${p.part}`);
          return (
            <li key={p.part}>
              {t('timeEntry.proposal', { part: what, from: formatDateTime(p.start), to: formatTimeOfDay(p.end), minutes: formatNumber(p.minutes) })}{' '}
              <button
                type="button"
                disabled={busy}
                aria-busy={busy}
                onClick={() =>
                  void run(async () => {
                    await call('billing.addTimeEntry', { ticketId, kind: p.kind, level, start: p.start, end: p.end, fromVisit: p.part, author: me || null, text: what });
                    onLogged();
                  })
                }
              >
                {t('timeEntry.confirm', { part: what, minutes: formatNumber(p.minutes) })}
              </button>
            </li>
          );
        })}
      </ul>
      {err && <p role="alert">{err.message}</p>}
    </div>
  );
}

export function TimeEntryList({ view }: { view: CaseBillingView }) {
  const { t } = useTranslation();
  return (
    <table className="invoice" aria-label={t('timeEntry.list')}>
      <thead>
        <tr>
          <th scope="col">{t('billing.date')}</th>
          <th scope="col">{t('timeEntry.kind')}</th>
          <th scope="col">{t('timeEntry.level')}</th>
          <th scope="col">{t('billing.minutes')}</th>
          <th scope="col">{t('timeEntry.billable')}</th>
          <th scope="col">{t('timeEntry.text')}</th>
          <th scope="col">{t('timeEntry.by')}</th>
        </tr>
      </thead>
      <tbody>
        {view.timeEntries.map((e) => (
          <tr key={e.eventId}>
            <td>{formatDateTime(e.start)}</td>
            <td>{t(`timeEntry.kinds.${e.kind}`)}</td>
            <td>{e.level}</td>
            <td className="num">{formatNumber(e.minutes)}</td>
            <td>{e.billable ? t('field.yes') : t('timeEntry.no')}</td>
            <td>{e.text ?? ''}</td>
            <td>{e.author ?? ''}</td>
          </tr>
        ))}
        {!view.timeEntries.length && (
          <tr>
            <td colSpan={7}>{t('timeEntry.none')}</td>
          </tr>
        )}
      </tbody>
    </table>
  );
}
