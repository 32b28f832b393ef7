/** The contract's guaranteed KPIs in the SLA report: met or breached (docs/scheduled-reports.md). */
import { useTranslation } from 'react-i18next';
import type { KpiResult } from '../../../core/agreements/reports.js';

export function KpiTable({ kpis }: { kpis: KpiResult[] | undefined }) {
  const { t } = useTranslation();
  if (!kpis?.length) return null;
  return (
    <table className="figures kpis" data-testid="report-kpis" aria-label={t('agreements.kpiHeading')}>
      <caption>{t('agreements.kpiHeading')}</caption>
      <tbody>
        {kpis.map((k, i) => (
          <tr key={i} data-testid={`kpi-${k.metric}`}>
            <th scope="row">{t('agreements.kpiLine', { name: k.name ?? t(`agreements.metric.${k.metric}`), min: k.minPct })}</th>
            <td>{k.pct === null ? '–' : `${k.pct} %`}</td>
            <td className={k.state === 'breached' ? 'bad-text' : undefined}>{t(`agreements.kpi.${k.state}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
