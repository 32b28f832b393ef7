/** Planned visits in the monthly SLA report (screen, print and PDF): done in time or missed. */
import { useTranslation } from 'react-i18next';
import type { VisitFigures } from '../../../core/agreements/maintenance-report.js';
import { formatDay, windowDays } from './dates.js';

export function VisitsSection({ visits, timezone }: { visits: VisitFigures | null | undefined; timezone: string }) {
  const { t } = useTranslation();
  if (!visits) return null;
  return (
    <section aria-labelledby="report-visits">
      <h3 id="report-visits">{t('maintenance.reportHeading')}</h3>
      <p data-testid="report-visits">{t('maintenance.reportSummary', { due: visits.due, done: visits.done, missed: visits.missed })}</p>
      {visits.rows.length > 0 && (
        <table className="breaches" data-testid="report-visit-rows">
          <thead>
            <tr>
              <th scope="col">{t('maintenance.visit')}</th>
              <th scope="col">{t('maintenance.due')}</th>
              <th scope="col">{t('maintenance.windowCol')}</th>
              <th scope="col">{t('maintenance.case')}</th>
              <th scope="col">{t('maintenance.state')}</th>
            </tr>
          </thead>
          <tbody>
            {visits.rows.map((r) => {
              const w = windowDays(r, timezone);
              return (
                <tr key={`${r.planId}|${r.due}`} className={r.state === 'missed' ? 'missed' : undefined}>
                  <td>{r.title}</td>
                  <td>{r.due}</td>
                  <td>
                    {w.from} – {w.to}
                  </td>
                  <td>{r.caseNumber ?? t('maintenance.noCase')}</td>
                  <td>{r.state === 'done' ? t('maintenance.done') : r.doneAt !== null ? t('maintenance.doneLate', { when: formatDay(r.doneAt, timezone) }) : t('maintenance.missed')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
