/**
 * Alerts in the UI (issue 6): the top-bar badge with the active count, the
 * alerts panel (acknowledge, snooze, acknowledge all or all of one customer);
 * the per-user alert settings dialog is AlertSettings.tsx.
 * Refreshed on the services' `alerts.changed` push event.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { create } from 'zustand';
import { ALERT_PAGE_DEFAULT, ALERT_PAGE_MAX } from '../../../core/api/alerts.js';
import type { AlertView } from '../../../core/api/alerts.js';
import { formatWhen } from '../../format.js';
import { AlertSettingsDialog } from './AlertSettings.js';
import { AlertText } from './AlertText.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';

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
