/**
 * Intake: whether the asset (product and serial number, the intake fields)
 * is under warranty under the contract's terms; the purchase date of an
 * asset not on file can be kept here (docs/warranty.md).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetWarrantyView } from '../../../core/api/agreements.js';
import { Field } from '../../fields.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';
import { WarrantyLine } from './WarrantyLine.js';

export function IntakeWarranty({ contractId, product, serialNumber }: { contractId: string; product: string; serialNumber: string }) {
  const { t } = useTranslation();
  const [w, setW] = useState<AssetWarrantyView | null>(null);
  const [date, setDate] = useState('');
  const { err, busy, run } = useSave();
  useEffect(() => {
    if (!product.trim() && !serialNumber.trim()) return setW(null);
    let gone = false;
    const timer = setTimeout(() => {
      void call('agreements.intakeWarranty', { contractId, product: product || null, serialNumber: serialNumber || null }).then((r) => {
        if (gone) return;
        setW(r);
        setDate(r.purchaseDate ?? '');
      });
    }, 250);
    return () => {
      gone = true;
      clearTimeout(timer);
    };
  }, [contractId, product, serialNumber]);
  if (!w) return null;
  const save = () => run(async () => setW(await call('agreements.saveAsset', { contractId, product: product || null, serialNumber, purchaseDate: date || null })));
  return (
    <section className="intake-warranty" aria-label={t('agreements.warrantyHeading')}>
      <WarrantyLine w={w} />
      {serialNumber.trim() && (
        <div className="row">
          <Field label={t('agreements.purchaseDate')} error={err?.message}>
            {(id, d) => <input id={id} type="date" aria-describedby={d} aria-invalid={!!err} value={date} onChange={(e) => setDate(e.target.value)} />}
          </Field>
          <button type="button" onClick={() => void save()} disabled={busy || date === (w.purchaseDate ?? '')} aria-busy={busy}>
            {t('agreements.saveAsset')}
          </button>
        </div>
      )}
    </section>
  );
}
