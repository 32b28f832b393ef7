/**
 * Alerts in the UI (issue 6): the top-bar badge with the active count, the
 * alerts panel (acknowledge, snooze, acknowledge all or all of one customer)
 * and the per-user alert settings dialog.
 * Refreshed on the services' `alerts.changed` push event.
 */
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { create } from 'zustand';
import { ALERT_PAGE_DEFAULT, ALERT_PAGE_MAX } from '../../../core/api/alerts.js';
import type { AlertView } from '../../../core/api/alerts.js';
import type { Result } from '../../../core/api/contract.js';
import { Field, errorFor } from '../../fields.js';
import type { FieldError } from '../../fields.js';
import { formatWhen } from '../../format.js';
import { AlertText } from './AlertText.js';
import { parseDecimal } from '../../number-text.js';
import { useRole } from '../../role.js';
import { useApp } from '../../store.js';
import { ApiCallError, call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';

type Settings = Result<'alerts.getSettings'>;

interface AlertsState {
  /** The first `limit` active alerts, soonest due first (a page of `alerts.list`). */
  active: AlertView[];
  /** All active alerts, and the critical ones among them (the badge). */
  total: number;
  critical: number;
  limit: number;
  loaded: boolean;
  open: boolean;
  reload(): Promise<void>;
  showMore(): Promise<void>;
  setOpen(open: boolean): void;
}

/** The last reload asked for: an answer to an earlier one (overtaken by "show more" or a change) is dropped. */
let asked = 0;

export const useAlerts = create<AlertsState>((set, get) => ({
  active: [],
  total: 0,
  critical: 0,
  limit: ALERT_PAGE_DEFAULT,
  loaded: false,
  open: true,
  async reload() {
    const mine = ++asked;
    try {
      const r = await call('alerts.list', { limit: get().limit });
      if (mine === asked) set({ active: r.active, total: r.total, critical: r.critical, loaded: true });
    } catch {
      // the services are not up yet: the next alerts.changed reloads
    }
  },
  async showMore() {
    set({ limit: Math.min(get().limit + ALERT_PAGE_DEFAULT, ALERT_PAGE_MAX) });
    await get().reload();
  },
  setOpen: (open) => set({ open }),
}));

/** Loads the alerts and keeps them fresh (mount once, in App). */
export function useAlertFeed(): void {
  const reload = useAlerts((s) => s.reload);
  useEffect(() => {
    void reload();
  }, [reload]);
  useEventReload(['alerts.changed'], () => void reload(), { debounceMs: 100 });
}

export function AlertBadge() {
  const { t } = useTranslation();
  const { total, critical, open, setOpen } = useAlerts();
  return (
    <button
      type="button"
      className={`alert-badge${total ? (critical ? ' bad' : ' warn') : ''}`}
      aria-expanded={open}
      aria-controls="alerts-panel"
      aria-label={t('alerts.badge', { count: total })}
      onClick={() => setOpen(!open)}
    >
      {t('alerts.heading')}{' '}
      <span className="count" data-testid="alert-count">
        {total}
      </span>
    </button>
  );
}

const SNOOZE = [5, 15, 30, 60, 120] as const;

function AlertRow({ a }: { a: AlertView }) {
  const { t } = useTranslation();
  const openTicket = useApp((s) => s.openTicket);
  const setView = useApp((s) => s.setView);
  const reload = useAlerts((s) => s.reload);
  const [minutes, setMinutes] = useState<number>(15);
  const { err, busy, run } = useSave();
  const label = `${a.caseNumber} ${t(`alerts.kind.${a.kind}`)}`;
  return (
    <tr className={a.critical ? 'critical' : undefined} data-key={a.key}>
      <td>
        <button
          type="button"
          className="link"
          onClick={() => (a.target === 'report' ? setView('reports') : openTicket(a.ticketId))}
          aria-label={a.target === 'report' ? t('agreements.openReports', { what: a.caseNumber }) : t('alerts.openTicket', { caseNumber: a.caseNumber })}
        >
          {a.caseNumber}
        </button>
      </td>
      <td>
        <strong>{t(`alerts.kind.${a.kind}`)}</strong>
        {a.critical ? <span className="tag bad-text"> {t('alerts.critical')}</span> : null}
        <AlertText a={a} />
      </td>
      <td>{formatWhen(a.dueAt)}</td>
      <td>{a.snoozedUntil !== null ? t('alerts.snoozedUntil', { when: formatWhen(a.snoozedUntil) }) : a.held ? t('alerts.held') : ''}</td>
      <td className="row">
        <button
          type="button"
          className="primary"
          disabled={busy}
          aria-busy={busy}
          aria-label={t('alerts.ackOne', { what: label })}
          onClick={() => void run(() => call('alerts.ack', { key: a.key }).then(reload))}
        >
          {t('alerts.ack')}
        </button>
        <select aria-label={t('alerts.snoozeFor', { what: label })} value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
          {SNOOZE.map((m) => (
            <option key={m} value={m}>
              {t('alerts.minutes', { count: m })}
            </option>
          ))}
        </select>
        <button
          type="button"
          disabled={busy}
          aria-busy={busy}
          aria-label={t('alerts.snoozeOne', { what: label })}
          onClick={() => void run(() => call('alerts.snooze', { key: a.key, minutes }).then(reload))}
        >
          {t('alerts.snooze')}
        </button>
        {err && (
          <span role="alert" className="bad-text">
            {err.message}
          </span>
        )}
      </td>
    </tr>
  );
}

/** "Acknowledge all", and "acknowledge all of <customer>" for each customer with active alerts. */
function AckAllBar({ active }: { active: AlertView[] }) {
  const { t } = useTranslation();
  const reload = useAlerts((s) => s.reload);
  const customers = new Map<string, string>();
  for (const a of active) if (a.customerId) customers.set(a.customerId, a.customerName ?? a.customerId);
  return (
    <div className="row">
      <button type="button" className="primary" onClick={() => void call('alerts.ackAll', {}).then(reload)}>
        {t('alerts.ackAll')}
      </button>
      {customers.size > 1 || (customers.size === 1 && active.some((a) => !a.customerId))
        ? [...customers].map(([id, name]) => (
            <button key={id} type="button" onClick={() => void call('alerts.ackAll', { customerId: id }).then(reload)}>
              {t('alerts.ackCustomer', { customer: name })}
            </button>
          ))
        : null}
    </div>
  );
}

export function AlertsPanel() {
  const { t } = useTranslation();
  const { active, total, limit, loaded, open, showMore } = useAlerts();
  const [settings, setSettings] = useState(false);
  if (!open) return null;
  return (
    <section id="alerts-panel" className="panel wide alerts" role="region" aria-label={t('alerts.heading')}>
      <div className="row spread">
        <h2>{t('alerts.heading')}</h2>
        <button type="button" onClick={() => setSettings(true)}>
          {t('alerts.settings')}
        </button>
      </div>
      {loaded && active.length > 0 ? <AckAllBar active={active} /> : null}
      {!loaded ? null : active.length === 0 ? (
        <p className="muted">{t('alerts.none')}</p>
      ) : (
        <table className="alert-table" aria-label={t('alerts.active')}>
          <thead>
            <tr>
              <th>{t('alerts.ticket')}</th>
              <th>{t('alerts.what')}</th>
              <th>{t('alerts.due')}</th>
              <th>{t('alerts.state')}</th>
              <th>{t('alerts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {active.map((a) => (
              <AlertRow key={a.key} a={a} />
            ))}
          </tbody>
        </table>
      )}
      {loaded && total > active.length ? (
        <div className="row">
          <span className="muted" data-testid="alerts-shown">
            {t('alerts.shownOf', { shown: active.length, total })}
          </span>
          {limit < ALERT_PAGE_MAX ? (
            <button type="button" onClick={() => void showMore()}>
              {t('alerts.showMore', { count: Math.min(ALERT_PAGE_DEFAULT, total - active.length) })}
            </button>
          ) : null}
        </div>
      ) : null}
      {settings && <AlertSettingsDialog onClose={() => setSettings(false)} />}
    </section>
  );
}

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
