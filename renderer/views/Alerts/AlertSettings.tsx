/** The per-user alert settings dialog (docs/alerts.md): warnings, callbacks, re-notify, quiet hours, sound, scope; checked here, then by `alerts.setSettings`. */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { Result } from '../../../core/api/contract.js';
import { Field, errorFor } from '../../fields.js';
import type { FieldError } from '../../fields.js';
import { parseDecimal } from '../../number-text.js';
import { useRole } from '../../role.js';
import { useApp } from '../../store.js';
import { ApiCallError, call } from '../../transport.js';

type Settings = Result<'alerts.getSettings'>;

/** freedesktop sound theme names a pop-up can play. */
const SOUNDS = ['alarm-clock-elapsed', 'bell', 'phone-incoming-call', 'message-new-instant', 'dialog-warning'];

const list = (s: string) =>
  s
    .split(/[,;\s]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Parses the form into a settings patch; a problem comes back as a FieldError at its path. */
function parseForm(f: Record<string, string>, zone: string, t: TFunction): { patch: Partial<Settings> } | { error: FieldError } {
  const nums = (path: string, s: string, int: boolean): number[] | FieldError => {
    const out: number[] = [];
    for (const [i, x] of list(s).entries()) {
      const n = parseDecimal(x);
      if (n === null || (int && !Number.isInteger(n))) return { path: `${path}[${i}]`, message: t(int ? 'alerts.notWhole' : 'field.notNumber', { text: x }) };
      out.push(n);
    }
    return out;
  };
  const one = (path: string, s: string): number | FieldError => {
    const n = Number(s.trim());
    if (!s.trim() || !Number.isInteger(n)) return { path, message: t('rateCard.wholeMinutes') };
    return n;
  };
  const isErr = (x: unknown): x is FieldError => typeof x === 'object' && x !== null && 'message' in x;
  const warnPercent = nums('warnPercent', f.warnPercent ?? '', false);
  if (isErr(warnPercent)) return { error: warnPercent };
  const warnMinutesBefore = nums('warnMinutesBefore', f.warnMinutesBefore ?? '', true);
  if (isErr(warnMinutesBefore)) return { error: warnMinutesBefore };
  const callbackLeadMinutes = one('callbackLeadMinutes', f.callbackLeadMinutes ?? '');
  if (isErr(callbackLeadMinutes)) return { error: callbackLeadMinutes };
  const renotifyMinutes = one('renotifyMinutes', f.renotifyMinutes ?? '');
  if (isErr(renotifyMinutes)) return { error: renotifyMinutes };
  const qs = (f.quietStart ?? '').trim();
  const qe = (f.quietEnd ?? '').trim();
  if (!qs !== !qe) return { error: { path: qs ? 'quietHours.end' : 'quietHours.start', message: t('alerts.quietBoth') } };
  const quietHours = qs && qe ? { start: qs, end: qe, timezone: f.quietZone || zone } : null;
  const sound = f.sound ? f.sound : null;
  return {
    patch: {
      warnPercent,
      warnMinutesBefore,
      callbackLeadMinutes,
      renotifyMinutes,
      quietHours,
      sound,
      popupsForAll: f.popupsForAll === 'yes',
      alertScope: f.alertScope === 'mine' || f.alertScope === 'all' ? f.alertScope : null,
    },
  };
}

export function AlertSettingsDialog({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const zone = useApp((s) => s.info?.timezone) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [form, setForm] = useState<Record<string, string> | null>(null);
  // Enrolled: "Alert me for" is the user's, on all their devices (docs/alerts.md "Alert scope").
  const enrolledAs = useRole((s) => s.userName);
  const [err, setErr] = useState<FieldError | null>(null);
  const [msg, setMsg] = useState('');
  const fill = (s: Settings) =>
    setForm({
      warnPercent: s.warnPercent.join(', '),
      warnMinutesBefore: s.warnMinutesBefore.join(', '),
      callbackLeadMinutes: String(s.callbackLeadMinutes),
      renotifyMinutes: String(s.renotifyMinutes),
      quietStart: s.quietHours?.start ?? '',
      quietEnd: s.quietHours?.end ?? '',
      quietZone: s.quietHours?.timezone ?? '',
      sound: s.sound ?? '',
      popupsForAll: s.popupsForAll ? 'yes' : '',
      alertScope: s.alertScope ?? '',
    });
  useEffect(() => {
    void call('alerts.getSettings', {}).then(fill);
  }, []);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  async function save(e: FormEvent) {
    e.preventDefault();
    if (!form) return;
    setErr(null);
    setMsg('');
    const parsed = parseForm(form, zone, t);
    if ('error' in parsed) return setErr(parsed.error);
    try {
      fill(await call('alerts.setSettings', parsed.patch));
      setMsg(t('alerts.saved'));
    } catch (x) {
      setErr(x instanceof ApiCallError ? { path: x.path ?? '', message: x.message } : { message: (x as Error).message });
    }
  }
  const input = (key: string, label: string, hint?: string, paths: string[] = [key]) => (
    <Field label={label} error={errorFor(err, ...paths)} {...(hint ? { hint } : {})}>
      {(id, describedBy) => (
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={errorFor(err, ...paths) ? true : undefined}
          value={form?.[key] ?? ''}
          onChange={(e) => setForm({ ...(form ?? {}), [key]: e.target.value })}
        />
      )}
    </Field>
  );
  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-labelledby="alert-settings-heading" className="panel dialog">
        <h2 id="alert-settings-heading">{t('alerts.settingsHeading')}</h2>
        {!form ? (
          <p>{t('queue.loading')}</p>
        ) : (
          <form onSubmit={(e) => void save(e)} noValidate>
            {input('warnPercent', t('alerts.warnPercent'), t('alerts.listHint'))}
            {input('warnMinutesBefore', t('alerts.warnMinutesBefore'), t('alerts.listHint'))}
            {input('callbackLeadMinutes', t('alerts.callbackLead'))}
            {input('renotifyMinutes', t('alerts.renotify'))}
            <div className="grid2">
              {input('quietStart', t('alerts.quietStart'), t('alerts.quietHint'), ['quietHours.start', 'quietHours.timezone'])}
              {input('quietEnd', t('alerts.quietEnd'), undefined, ['quietHours.end'])}
            </div>
            <Field label={t('alerts.sound')} error={errorFor(err, 'sound')} hint={t('alerts.soundHint')}>
              {(id, describedBy) => (
                <select id={id} aria-describedby={describedBy} value={form.sound ?? ''} onChange={(e) => setForm({ ...form, sound: e.target.value })}>
                  <option value="">{t('alerts.soundOff')}</option>
                  {[...new Set([...SOUNDS, ...(form.sound ? [form.sound] : [])])].map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={t('alerts.scope')} error={errorFor(err, 'alertScope')} {...(enrolledAs ? { hint: t('alerts.scopeFollows') } : {})}>
              {(id, describedBy) => (
                <select id={id} aria-describedby={describedBy} value={form.alertScope ?? ''} onChange={(e) => setForm({ ...form, alertScope: e.target.value })}>
                  <option value="">{t('alerts.scopeDefault')}</option>
                  <option value="mine">{t('alerts.scopeMine')}</option>
                  <option value="all">{t('alerts.scopeAll')}</option>
                </select>
              )}
            </Field>
            <label>
              <input type="checkbox" checked={form.popupsForAll === 'yes'} onChange={(e) => setForm({ ...form, popupsForAll: e.target.checked ? 'yes' : '' })} /> {t('alerts.popupsForAll')}
            </label>
            {err && !errorFor(err, 'warnPercent', 'warnMinutesBefore', 'callbackLeadMinutes', 'renotifyMinutes', 'quietHours', 'sound') ? (
              <p className="field-error" role="alert">
                {err.message}
              </p>
            ) : null}
            <p role="status" className="ok-text">
              {msg}
            </p>
            <div className="row">
              <button type="submit" className="primary">
                {t('alerts.save')}
              </button>
              <button type="button" onClick={onClose}>
                {t('alerts.close')}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}
