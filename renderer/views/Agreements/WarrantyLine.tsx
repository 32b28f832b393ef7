/** One line saying an asset's warranty, in the user's language (docs/warranty.md). */
import { useTranslation } from 'react-i18next';
import type { AssetWarrantyView } from '../../../core/api/terms.js';

export function WarrantyLine({ w }: { w: AssetWarrantyView }) {
  const { t } = useTranslation();
  const s = w.status.state;
  return (
    <p className={s === 'under_warranty' ? 'ok-text' : s === 'unknown' ? 'hint' : 'warn-text'} data-testid="warranty-state" data-state={s}>
      {t(`agreements.warranty.${s}`, { until: w.status.until ?? '' })}
      {w.diagnosisFee && (s === 'expired' || s === 'not_covered') ? ` · ${t('agreements.fee_proposed', { fee: w.diagnosisFee })}` : ''}
    </p>
  );
}
