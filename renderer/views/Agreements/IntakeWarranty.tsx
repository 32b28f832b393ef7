/**
 * Intake: whether the asset (product and serial number, the intake fields)
 * is under warranty under the contract's terms; the purchase date of an
 * asset not on file can be kept here (docs/warranty.md). A contract with
 * warranty terms that does not ask for the product and serial number gets
 * both fields here (their values go with the call's intake values).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssetWarrantyView } from '../../../core/api/terms.js';
import { Field } from '../../fields.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';
import { WarrantyLine } from './WarrantyLine.js';

interface Props {
  contractId: string;
  /** The intake fields the contract asks for (the form shows those already). */
  asked: readonly string[];
  intake: Record<string, string>;
  setIntake(values: Record<string, string>): void;
}

export function IntakeWarranty({ contractId, asked, intake, setIntake }: Props) {
  const { t } = useTranslation();
  const [hasTerms, setHasTerms] = useState(false);
  const [w, setW] = useState<AssetWarrantyView | null>(null);
  const [date, setDate] = useState('');
  const { err, busy, run } = useSave();
  const product = intake.product ?? '';
  const serialNumber = intake.serial_number ?? '';
  useEffect(() => {
    void call('agreements.contract', { contractId }).then(
      (a) => setHasTerms(!!a.warranty?.terms.length),
      () => setHasTerms(false),
    );
  }, [contractId]);
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
  const save = () => run(async () => setW(await call('agreements.saveAsset', { contractId, product: product || null, serialNumber, purchaseDate: date || null })));
  const extra = hasTerms ? (['product', 'serial_number'] as const).filter((f) => !asked.includes(f)) : [];
  if (!w && !extra.length) return null;
  return (
    <section className="intake-warranty" aria-label={t('agreements.warrantyHeading')}>
      {extra.map((f) => (
        <Field key={f} label={t(`intakeField.${f}`)}>
          {(id, d) => <input id={id} aria-describedby={d} value={intake[f] ?? ''} onChange={(e) => setIntake({ ...intake, [f]: e.target.value })} />}
        </Field>
      ))}
      {w && <WarrantyLine w={w} />}
      {w && serialNumber.trim() && (
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
