/** Planned visits in the monthly SLA report (screen, print and PDF): done in time or missed. */
import { useTranslation } from 'react-i18next';
import type { VisitFigures } from '../../../core/agreements/maintenance-report.js';
import { formatDay } from './dates.js';
import { VisitsTable } from './VisitsTable.js';

export function VisitsSection({ visits, timezone }: { visits: VisitFigures | null | undefined; timezone: string }) {
  const { t } = useTranslation();
  if (!visits) return null;
  return (
    <section aria-labelledby="report-visits">
      <h3 id="report-visits">{t('maintenance.reportHeading')}</h3>
      <p data-testid="report-visits">{t('maintenance.reportSummary', { due: visits.due, done: visits.done, missed: visits.missed })}</p>
      {visits.rows.length > 0 && (
        <VisitsTable
          testId="report-visit-rows"
          timezone={timezone}
          rows={visits.rows.map((r) => ({
            ...r,
            missed: r.state === 'missed',
            caseCell: r.caseNumber ?? t('maintenance.noCase'),
            state: r.state === 'done' ? t('maintenance.done') : r.doneAt !== null ? t('maintenance.doneLate', { when: formatDay(r.doneAt, timezone) }) : t('maintenance.missed'),
          }))}
        />
      )}
    </section>
  );
}
