import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketSummary } from '../../core/api/desk.js';
import { formatWhen, useNow } from '../format.js';
import { useApp } from '../store.js';
import { call } from '../transport.js';
import { useEventReload } from '../use-event-reload.js';
import { useSave } from '../use-save.js';
import { Countdown } from './Queue.js';

export function Callbacks() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const openTicket = useApp((s) => s.openTicket);
  const now = useNow();
  const [items, setItems] = useState<TicketSummary[] | null>(null);
  const [msg, setMsg] = useState('');
  const load = useCallback(async () => setItems((await call('desk.callbacks', { withinMinutes: 60 })).items), []);
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
                    {it.customerName} · {it.reporterName ?? ''} · {due !== null ? (due < now ? t('callbacks.overdue', { when: formatWhen(due) }) : t('callbacks.due', { when: formatWhen(due) })) : ''}
                  </span>
                </button>
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
