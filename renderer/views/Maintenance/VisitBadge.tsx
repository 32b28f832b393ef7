/** A planned visit in "My visits": its kind, due date and window (docs/maintenance.md). */
import { useTranslation } from 'react-i18next';
import type { VisitFacts } from '../../../core/agreements/maintenance.js';
import { windowDays } from './dates.js';

export function VisitBadge({ visit }: { visit: VisitFacts | null | undefined }) {
  const { t } = useTranslation();
  if (!visit) return null;
  const w = windowDays(visit);
  return (
    <div className="visit-badge" data-testid="visit-badge">
      <strong>{t(`maintenance.kind.${visit.kind}`)}</strong> · {t('maintenance.window', w)}
    </div>
  );
}
