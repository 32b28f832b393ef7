/**
 * Availability of the contracts' services in a month (issue 20 item 2,
 * docs/availability.md), shown under the SLA report: per service its target,
 * the availability measured, time down against the time allowed, met or
 * breached, and the outages (from monitoring or entered by hand); and a form
 * to record an outage by hand, on a ticket by its case number.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceMonthView } from '../../../core/api/availability.js';
import { errorFor } from '../../fields.js';
import { formatNumber, formatWhen } from '../../format.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';

/** A datetime-local input's value as an instant (the browser's zone); null when empty. */
export const fromLocal = (v: string): number | null => (v ? new Date(v).getTime() : null);
const pct = (x: number) => `${formatNumber(x)} %`;
const mins = (x: number) => formatNumber(x, { maximumFractionDigits: 2 });

function ServiceMonth({ s }: { s: ServiceMonthView }) {
  const { t } = useTranslation();
  return (
    <article className="availability-service" aria-label={s.serviceName} data-testid={`availability-${s.serviceId}`}>
      <h4>{t('availability.service', { service: s.serviceName, agreement: s.agreementNumber, customer: s.customerName })}</h4>
      <dl className="facts">
        <dt>{t('availability.target')}</dt>
        <dd>{pct(s.target)}</dd>
        <dt>{t('availability.measured')}</dt>
        <dd data-testid="availability-percent">{pct(s.availability)}</dd>
        <dt>{t('availability.down')}</dt>
        <dd data-testid="availability-down">{t('availability.minutesN', { n: mins(s.downMinutes) })}</dd>
        <dt>{t('availability.allowed')}</dt>
        <dd>{t('availability.minutesN', { n: mins(s.allowedMinutes) })}</dd>
        <dt>{t('availability.over')}</dt>
        <dd>{s.calendar ? t('availability.calendar', { calendar: s.calendar, zone: s.timezone }) : t('availability.allDay', { zone: s.timezone })}</dd>
      </dl>
      <p data-testid="availability-state" className={s.state === 'breached' ? 'bad-text' : 'ok-text'}>
        {s.state === 'breached' ? t('availability.breached') : t('availability.met')}
        {!s.complete && ` (${t('availability.soFar')})`}
      </p>
      {s.outages.length === 0 ? (
        <p>{t('availability.noOutages')}</p>
      ) : (
        <table>
          <caption>{t('availability.outages')}</caption>
          <thead>
            <tr>
              <th>{t('availability.from')}</th>
              <th>{t('availability.to')}</th>
              <th>{t('availability.minutes')}</th>
              <th>{t('availability.source')}</th>
              <th>{t('availability.ticket')}</th>
            </tr>
          </thead>
          <tbody>
            {s.outages.map((o) => (
              <tr key={o.id} data-testid="outage-row">
                <td>{formatWhen(o.start, s.timezone)}</td>
                <td>{o.end === null ? t('availability.ongoing') : formatWhen(o.end, s.timezone)}</td>
                <td>{mins(o.minutes)}</td>
                <td>{t(`availability.sources.${o.source}`)}</td>
                <td>{[o.caseNumber, o.summary].filter(Boolean).join(' – ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}

function RecordOutage({ services, onSaved }: { services: ServiceMonthView[]; onSaved: () => void }) {
  const { t } = useTranslation();
  const [which, setWhich] = useState('');
  const [start, setStart] = useState('');
  const [end, setEnd] = useState('');
  const [summary, setSummary] = useState('');
  const [caseNumber, setCaseNumber] = useState('');
  const [msg, setMsg] = useState('');
  const { err, busy, run } = useSave();
  const chosen = services.find((s) => `${s.contractId}|${s.serviceId}` === which) ?? services[0];
  const save = () =>
    run(async () => {
      setMsg('');
      if (!chosen) return;
      await call('agreements.recordOutage', {
        contractId: chosen.contractId,
        serviceId: chosen.serviceId,
        start: fromLocal(start) as number,
        end: fromLocal(end),
        summary: summary || null,
        caseNumber: caseNumber || null,
      });
      setMsg(t('availability.saved'));
      setStart('');
      setEnd('');
      setSummary('');
      setCaseNumber('');
      onSaved();
    });
  const e = (p: string) => errorFor(err, p);
  return (
    <form
      className="availability-record"
      aria-label={t('availability.record')}
      onSubmit={(ev) => {
        ev.preventDefault();
        void save();
      }}
    >
      <h4>{t('availability.record')}</h4>
      <div className="row">
        <label>
          {t('availability.which')}
          <select value={which} onChange={(ev) => setWhich(ev.target.value)}>
            {services.map((s) => (
              <option key={`${s.contractId}|${s.serviceId}`} value={`${s.contractId}|${s.serviceId}`}>
                {s.serviceName} – {s.agreementNumber}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('availability.from')}
          <input type="datetime-local" value={start} onChange={(ev) => setStart(ev.target.value)} aria-invalid={!!e('start')} />
        </label>
        <label>
          {t('availability.to')}
          <input type="datetime-local" value={end} onChange={(ev) => setEnd(ev.target.value)} aria-invalid={!!e('end')} />
        </label>
        <label>
          {t('availability.summary')}
          <input value={summary} onChange={(ev) => setSummary(ev.target.value)} maxLength={500} />
        </label>
        <label>
          {t('availability.caseNumber')}
          <input value={caseNumber} onChange={(ev) => setCaseNumber(ev.target.value)} maxLength={40} aria-invalid={!!e('caseNumber')} />
        </label>
      </div>
      <button type="submit" disabled={busy || !chosen} aria-busy={busy}>
        {t('availability.save')}
      </button>
      {err && <p role="alert">{err.path ? `${err.path}: ${err.message}` : err.message}</p>}
      {msg && <p role="status">{msg}</p>}
    </form>
  );
}

/** The services' months as shown in the report (the PDF page renders this with the data loaded). */
export function ServiceMonths({ services }: { services: ServiceMonthView[] }) {
  const { t } = useTranslation();
  if (!services.length) return null;
  return (
    <section className="availability" aria-label={t('availability.heading')}>
      <h3>{t('availability.heading')}</h3>
      {services.map((s) => (
        <ServiceMonth key={`${s.contractId}|${s.serviceId}`} s={s} />
      ))}
    </section>
  );
}

/** The contract's services in the month (all contracts' when no contract is given), and the form to record an outage. */
export function Availability({ month, contractId }: { month: string; contractId?: string }) {
  const { t } = useTranslation();
  const [services, setServices] = useState<ServiceMonthView[] | null>(null);
  const [err, setErr] = useState('');
  const load = useCallback(() => {
    call('agreements.availability', { month, ...(contractId ? { contractId } : {}) }).then(
      (r) => {
        setServices(r.services);
        setErr('');
      },
      (e: Error) => setErr(e.message),
    );
  }, [month, contractId]);
  useEffect(load, [load]);
  useEventReload(['records.changed', 'tickets.changed'], load, { debounceMs: 500 });
  return (
    <section className="availability" aria-labelledby="availability-heading">
      <h3 id="availability-heading">{t('availability.heading')}</h3>
      <p className="no-print">{t('availability.intro')}</p>
      {err && <p role="alert">{err}</p>}
      {services && services.length === 0 && <p>{t('availability.none')}</p>}
      {services?.map((s) => (
        <ServiceMonth key={`${s.contractId}|${s.serviceId}`} s={s} />
      ))}
      {services && services.length > 0 && (
        <div className="no-print">
          <RecordOutage services={services} onSaved={load} />
        </div>
      )}
    </section>
  );
}
