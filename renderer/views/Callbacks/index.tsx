import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '../../../core/api/desk.js';
import { formatWhen, useNow } from '../../format.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { Countdown } from '../Queue/index.js';

const CALLBACK_WINDOWS = ['hour', 'hours4', 'shift', 'today', 'day'] as const;
type CallbackWindow = (typeof CALLBACK_WINDOWS)[number];

/** Minutes from now to the end of the window: the next hour(s), the end of the shift (next HH:MM), the end of today (user's zone). */
function windowMinutes(win: CallbackWindow, now: number, shiftEnd: string): number {
  if (win === 'hour') return 60;
  if (win === 'hours4') return 240;
  if (win === 'day') return 24 * 60;
  const end = new Date(now);
  if (win === 'today') end.setHours(24, 0, 0, 0);
  else {
    const [h, m] = shiftEnd.split(':').map(Number) as [number, number];
    end.setHours(h, m, 0, 0);
    if (end.getTime() <= now) end.setDate(end.getDate() + 1);
  }
  return Math.max(0, Math.ceil((end.getTime() - now) / 60_000));
}

export function Callbacks() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const openTicket = useApp((s) => s.openTicket);
  const now = useNow();
  const [items, setItems] = useState<TicketSummary[] | null>(null);
  const [msg, setMsg] = useState('');
  const [win, setWin] = useState<CallbackWindow>(() => (localStorage.getItem('vakt.callbacks.window') as CallbackWindow | null) ?? 'today');
  const [shiftEnd, setShiftEnd] = useState(() => localStorage.getItem('vakt.shiftEnd') ?? '08:00');
  const skew = useApp((s) => s.skew);
  const load = useCallback(async () => setItems((await call('desk.callbacks', { withinMinutes: windowMinutes(win, Date.now() + skew, shiftEnd) })).items), [win, shiftEnd, skew]);
  useEffect(() => {
    void load();
    const id = setInterval(() => void load(), 60_000);
    return () => clearInterval(id);
  }, [load]);
  useEventReload(['tickets.changed', 'alerts.changed'], () => void load());

  const { err, busy, run } = useSave();
  const logOne = (it: TicketSummary) =>
    run(async () => {
      setMsg('');
      await call('desk.act', {
        ticketId: it.id,
        action: { type: 'callback', channel: 'phone', reached: it.reporterName ?? it.customerName, text: t('callbacks.defaultText') },
        author: me || null,
      });
      setMsg(t('callbacks.logged', { caseNumber: it.caseNumber }));
      await load();
    });

  return (
    <section className="panel wide" aria-labelledby="callbacks-heading">
      <h2 id="callbacks-heading">{t('callbacks.heading')}</h2>
      <div className="filters" role="group" aria-label={t('callbacks.window')}>
        <label>
          {t('callbacks.window')}
          <select
            value={win}
            onChange={(e) => {
              setWin(e.target.value as CallbackWindow);
              localStorage.setItem('vakt.callbacks.window', e.target.value);
            }}
          >
            {CALLBACK_WINDOWS.map((w) => (
              <option key={w} value={w}>
                {t(`callbacks.win.${w}`)}
              </option>
            ))}
          </select>
        </label>
        {win === 'shift' && (
          <label>
            {t('callbacks.shiftEnd')}
            <input
              type="time"
              value={shiftEnd}
              onChange={(e) => {
                if (!e.target.value) return;
                setShiftEnd(e.target.value);
                localStorage.setItem('vakt.shiftEnd', e.target.value);
              }}
            />
          </label>
        )}
      </div>
      <p role="status" className="muted">
        {msg}
      </p>
      {err && (
        <p role="alert" className="bad-text">
          {err.message}
        </p>
      )}
      {items === null ? (
        <p>{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p>{t('callbacks.none')}</p>
      ) : (
        <ul className="cblist" aria-label={t('callbacks.heading')}>
          {items.map((it) => {
            const upd = it.targets.find((x) => x.metric === 'update');
            const due = it.nextCallbackAt;
            return (
              <li key={it.id} className="qrow static">
                <button type="button" className="qopen" onClick={() => openTicket(it.id)} aria-label={t('queue.open', { caseNumber: it.caseNumber, title: it.title ?? '' })}>
                  <span className="case">{it.caseNumber}</span>
                  <span className="qtitle">{it.title ?? ''}</span>
                  <span className="muted">
                    {it.customerName} · {it.reporterName ?? ''} ·{' '}
                    {due !== null ? (due < now ? t('callbacks.overdue', { when: formatWhen(due, upd?.timezone) }) : t('callbacks.due', { when: formatWhen(due, upd?.timezone) })) : ''}
                  </span>
                </button>
                {it.reporterPhone ? (
                  <a
                    className="tel"
                    href={`tel:${it.reporterPhone.replace(/[^\d+]/g, '')}`}
                    aria-label={t('callbacks.callLabel', { name: it.reporterName ?? it.customerName, phone: it.reporterPhone, caseNumber: it.caseNumber })}
                  >
                    {t('callbacks.call', { phone: it.reporterPhone })}
                  </a>
                ) : (
                  <span className="muted">{t('callbacks.noPhone')}</span>
                )}
                {upd && <Countdown target={upd} now={now} large />}
                <button type="button" className="primary" disabled={busy} aria-busy={busy} onClick={() => void logOne(it)} aria-label={t('callbacks.logOne', { caseNumber: it.caseNumber })}>
                  {t('callbacks.log')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
