/**
 * Billing view, issue 8: a contract's rate card as a form (specs/billing.md):
 * currency, VAT, hourly rate per level, discount, free / minimum / rounding
 * minutes per case, after-hours calendar and surcharge, price per km, fixed
 * fees. Money is entered as decimal text ("1095,50" or "1095.50") and held
 * in the form's model as integer minor units (øre, cents); it goes to the
 * services as exact decimal strings ("1095.50"), never as floating point.
 * Percentages go as typed and the billing engine checks them. Errors, the
 * form's own and the services' (`rateCard.rates.L1`), are shown at the field.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formOf, modelOf, rateCardOf } from '../../ratecard-model.js';
import type { Errors, Form, Row } from '../../ratecard-model.js';
import { ApiCallError, call } from '../../transport.js';

function Err({ text, id }: { text: string | undefined; id: string }) {
  if (!text) return null;
  return (
    <span id={id} className="field-error" role="alert">
      {text}
    </span>
  );
}

function RowsEditor(props: { kind: 'rates' | 'fees'; rows: Row[]; errors: Errors; onChange(rows: Row[]): void }) {
  const { t } = useTranslation();
  const { kind, rows, errors } = props;
  const set = (i: number, patch: Partial<Row>) => props.onChange(rows.map((r, k) => (k === i ? { ...r, ...patch } : r)));
  return (
    <fieldset>
      <legend>{t(`rateCard.${kind}`)}</legend>
      {rows.length === 0 ? <p className="muted">{t(`rateCard.no_${kind}`)}</p> : null}
      {rows.map((r, i) => {
        const nameErr = errors[`${kind}[${i}]`];
        const amountErr = errors[`${kind}.${r.name.trim() || `[${i}]`}`];
        const label = r.name.trim() || String(i + 1);
        return (
          <div key={i} className="row" role="group" aria-label={t(`rateCard.${kind}Row`, { name: label })}>
            <label>
              {t(kind === 'rates' ? 'rateCard.level' : 'rateCard.fee')}
              <input value={r.name} size={12} aria-invalid={nameErr ? true : undefined} onChange={(e) => set(i, { name: e.target.value })} />
            </label>
            <label>
              {t(kind === 'rates' ? 'rateCard.hourly' : 'rateCard.feeAmount')}
              <input value={r.text} size={10} inputMode="decimal" aria-invalid={amountErr ? true : undefined} onChange={(e) => set(i, { text: e.target.value })} />
            </label>
            <button type="button" aria-label={t(`rateCard.remove_${kind}`, { name: label })} onClick={() => props.onChange(rows.filter((_, k) => k !== i))}>
              ×
            </button>
            <Err id={`${kind}-${i}-name-err`} text={nameErr} />
            <Err id={`${kind}-${i}-amount-err`} text={amountErr} />
          </div>
        );
      })}
      <button type="button" onClick={() => props.onChange([...rows, { name: '', text: '' }])}>
        {t(`rateCard.add_${kind}`)}
      </button>
    </fieldset>
  );
}

/** The rate card form of one contract; `onSaved` lets the invoice preview reload. */
export function RateCardEditor({ contractId, agreementNumber, onSaved }: { contractId: string; agreementNumber: string; onSaved(): void }) {
  const { t } = useTranslation();
  const [form, setForm] = useState<Form | null>(null);
  const [calendars, setCalendars] = useState<string[]>([]);
  const [hadCard, setHadCard] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const [msg, setMsg] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    let live = true;
    setForm(null);
    setErrors({});
    setMsg('');
    call('billing.rateCard', { contractId }).then(
      (r) => {
        if (!live) return;
        setCalendars(r.calendars);
        setHadCard(r.rateCard !== null);
        setForm(formOf(r.rateCard, r.calendars));
      },
      (e: Error) => live && setErrors({ '': e.message }),
    );
    return () => {
      live = false;
    };
  }, [contractId]);

  async function save() {
    if (!form) return;
    setMsg('');
    const { model, errors: own } = modelOf(form, {
      notAmount: t('rateCard.notAmount'),
      wholeMinutes: t('rateCard.wholeMinutes'),
      nameMissing: t('rateCard.nameMissing'),
      nameTwice: t('rateCard.nameTwice'),
    });
    setErrors(own);
    if (!model) return;
    setBusy(true);
    try {
      await call('billing.setRateCard', { contractId, rateCard: rateCardOf(model) });
      setHadCard(true);
      setMsg(t('rateCard.saved'));
      onSaved();
    } catch (e) {
      const path = e instanceof ApiCallError && e.path ? e.path.replace(/^rateCard\.?/, '') : '';
      setErrors({ [path]: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const heading = t('rateCard.heading', { agreement: agreementNumber });
  if (!form)
    return (
      <section className="panel" aria-label={heading}>
        <h3>{heading}</h3>
        <Err id="ratecard-load-err" text={errors['']} />
      </section>
    );
  const set = (patch: Partial<Form>) => setForm({ ...form, ...patch });
  const text = (key: keyof Form & string, label: string, opts: { hint?: string; size?: number; decimal?: boolean } = {}) => {
    const err = errors[key];
    const errId = `ratecard-${key}-err`;
    return (
      <label className="field">
        {label}
        <input
          value={form[key] as string}
          size={opts.size ?? 8}
          inputMode={opts.decimal ? 'decimal' : undefined}
          aria-invalid={err ? true : undefined}
          aria-describedby={err ? errId : undefined}
          onChange={(e) => set({ [key]: e.target.value } as Partial<Form>)}
        />
        {opts.hint ? <small className="hint">{opts.hint}</small> : null}
        <Err id={errId} text={err} />
      </label>
    );
  };
  const shown = new Set([
    'id',
    'currency',
    'vatPct',
    'discountPct',
    'freeMinutesPerCase',
    'minimumMinutesPerCase',
    'roundUpToMinutes',
    'afterHours.calendar',
    'afterHours.surchargePct',
    'mileagePerKm',
  ]);
  const rest = Object.entries(errors).filter(([k]) => !shown.has(k) && !/^(rates|fees)[.[]/.test(k));
  return (
    <form
      className="panel ratecard"
      aria-label={heading}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{heading}</h3>
      {!hadCard ? <p className="muted">{t('rateCard.none')}</p> : null}
      <div className="row">
        {text('currency', t('rateCard.currency'), { size: 4, hint: t('rateCard.currencyHint') })}
        {text('vatPct', t('rateCard.vatPct'), { decimal: true })}
        {text('discountPct', t('rateCard.discountPct'), { decimal: true })}
        {text('id', t('rateCard.id'), { size: 14 })}
      </div>
      <RowsEditor kind="rates" rows={form.rates} errors={errors} onChange={(rates) => set({ rates })} />
      <div className="row">
        {text('freeMinutesPerCase', t('rateCard.freeMinutes'))}
        {text('minimumMinutesPerCase', t('rateCard.minimumMinutes'))}
        {text('roundUpToMinutes', t('rateCard.roundUp'))}
      </div>
      <fieldset>
        <legend>{t('rateCard.afterHours')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={form.afterHours} onChange={(e) => set({ afterHours: e.target.checked })} /> {t('rateCard.afterHoursOn')}
        </label>
        {form.afterHours && (
          <div className="row">
            <label className="field">
              {t('rateCard.calendar')}
              <select value={form.afterHoursCalendar} aria-invalid={errors['afterHours.calendar'] ? true : undefined} onChange={(e) => set({ afterHoursCalendar: e.target.value })}>
                {calendars.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
                {form.afterHoursCalendar && !calendars.includes(form.afterHoursCalendar) ? <option value={form.afterHoursCalendar}>{form.afterHoursCalendar}</option> : null}
              </select>
              <Err id="ratecard-ahcal-err" text={errors['afterHours.calendar']} />
            </label>
            <label className="field">
              {t('rateCard.surchargePct')}
              <input
                value={form.surchargePct}
                size={6}
                inputMode="decimal"
                aria-invalid={errors['afterHours.surchargePct'] ? true : undefined}
                onChange={(e) => set({ surchargePct: e.target.value })}
              />
              <Err id="ratecard-surcharge-err" text={errors['afterHours.surchargePct'] ?? errors.afterHours} />
            </label>
          </div>
        )}
      </fieldset>
      {text('mileagePerKm', t('rateCard.mileage'), { decimal: true, hint: t('rateCard.moneyHint') })}
      <RowsEditor kind="fees" rows={form.fees} errors={errors} onChange={(fees) => set({ fees })} />
      {rest.map(([k, v]) => (
        <p key={k} role="alert" className="field-error">
          {k ? `${k}: ` : ''}
          {v}
        </p>
      ))}
      <div className="row">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {t('rateCard.save')}
        </button>
      </div>
      <p role="status" className="ok-text">
        {msg}
      </p>
    </form>
  );
}
