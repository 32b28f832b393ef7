/**
 * Outages on a ticket (issue 20 item 2, docs/availability.md): on the ticket
 * page of a contract that names services, the outages handled on this ticket
 * (from monitoring or entered here) and a form to record one by hand, or to
 * end an open one now.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Result } from '../../../core/api/contract.js';
import { formatWhen } from '../../format.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { fromLocal } from './Availability.js';

export function TicketOutages({ ticketId }: { ticketId: string }) {
  const { t } = useTranslation();
  const [v, setV] = useState<Result<'agreements.ticketOutages'> | null>(null);
  const [service, setService] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [summary, setSummary] = useState('');
  const { err, busy, run } = useSave();
  const load = useCallback(() => void call('agreements.ticketOutages', { ticketId }).then(setV, () => setV(null)), [ticketId]);
  useEffect(load, [load]);
  useEventReload(['records.changed'], load, { debounceMs: 300 });
  if (!v || !v.contractId || !v.services.length) return null;
  const contractId = v.contractId;
  const name = (id: string) => v.services.find((s) => s.id === id)?.name ?? id;
  const save = () =>
    run(async () => {
      await call('agreements.recordOutage', {
        contractId,
        serviceId: service || (v.services[0]?.id as string),
        ticketId,
        start: fromLocal(start) as number,
        end: fromLocal(end),
        summary: summary || null,
      });
      setStart('');
      setEnd('');
      setSummary('');
      load();
    });
  return (
    <section className="panel" aria-labelledby="ticket-outages-heading">
      <h2 id="ticket-outages-heading">{t('availability.ticketHeading')}</h2>
      {v.outages.length ? (
        <ul>
          {v.outages.map((o) => (
            <li key={o.id} data-testid="ticket-outage">
              {name(o.serviceId)}: {formatWhen(o.start)} – {o.end === null ? t('availability.ongoing') : formatWhen(o.end)} ({t(`availability.sources.${o.source}`)})
              {o.summary ? ` – ${o.summary}` : ''}{' '}
              {o.end === null && (
                <button
                  type="button"
                  disabled={busy}
                  onClick={() =>
                    void run(async () => {
                      await call('agreements.recordOutage', { id: o.id, contractId, serviceId: o.serviceId, ticketId, start: o.start, end: Date.now(), summary: o.summary });
                      load();
                    })
                  }
                >
                  {t('availability.endNow')}
                </button>
              )}
            </li>
          ))}
        </ul>
      ) : (
        <p>{t('availability.noTicketOutages')}</p>
      )}
      <form
        aria-label={t('availability.record')}
        className="row"
        onSubmit={(ev) => {
          ev.preventDefault();
          void save();
        }}
      >
        <label>
          {t('availability.which')}
          <select value={service} onChange={(ev) => setService(ev.target.value)}>
            {v.services.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('availability.from')}
          <input type="datetime-local" value={start} onChange={(ev) => setStart(ev.target.value)} />
        </label>
        <label>
          {t('availability.to')}
          <input type="datetime-local" value={end} onChange={(ev) => setEnd(ev.target.value)} />
        </label>
        <label>
          {t('availability.summary')}
          <input value={summary} onChange={(ev) => setSummary(ev.target.value)} maxLength={500} />
        </label>
        <button type="submit" disabled={busy} aria-busy={busy}>
          {t('availability.save')}
        </button>
      </form>
      {err && <p role="alert">{err.path ? `${err.path}: ${err.message}` : err.message}</p>}
    </section>
  );
}
