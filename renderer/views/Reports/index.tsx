/** Monthly SLA compliance per contract (docs/reports.md): figures, charts, breaches; CSV, PDF, print. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { FileView, SlaReportView } from '../../../core/api/reports.js';
import type { ContractSummary } from '../../../core/api/desk.js';
import type { MetricFigures, TimeFigures } from '../../../core/reports/index.js';
import { formatDateTime } from '../../format.js';
import { call } from '../../transport.js';
import { EvidenceTable } from './Evidence.js';
import { Histogram, PolicyBars } from './ReportsChart.js';
import { Availability, ServiceMonths } from '../Availability/Availability.js';
import type { ServiceMonthView } from '../../../core/api/availability.js';
import { VisitsSection } from '../Maintenance/VisitsSection.js';
import { DueReports } from '../Agreements/DueReports.js';
import { KpiTable } from '../Agreements/KpiTable.js';

/** Saves a method's file (CSV text, or base64 for PDFs) as a download. */
import { download } from '../../download.js';
export { download };

export const thisMonth = (): string => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}`;
};

/** Contracts of all customers, for the pickers. */
export function useContracts(): ContractSummary[] {
  const [list, setList] = useState<ContractSummary[]>([]);
  useEffect(() => {
    void call('desk.customers', { prefix: '' }).then((r) => setList(r.customers.flatMap((c) => c.contracts)));
  }, []);
  return list;
}

const pctText = (p: number | null) => (p === null ? '–' : `${p} %`);
const minText = (m: number | null) => (m === null ? '–' : `${m} min`);

/** The report itself: the same component on screen, in print and in the PDF. */
export function SlaReportPage({ r }: { r: SlaReportView }) {
  const { t } = useTranslation();
  const metric = (key: 'response' | 'resolution', f: MetricFigures) => (
    <tr key={key}>
      <th scope="row">{t(`reports.${key}Met`)}</th>
      <td data-testid={`report-${key}-pct`}>{pctText(f.pct)}</td>
      <td>{t('reports.metOf', { met: f.met, decided: f.met + f.breached, open: f.open })}</td>
    </tr>
  );
  const times = (key: 'timeToResponse' | 'timeToResolution', f: TimeFigures) => (
    <tr key={key}>
      <th scope="row">{t(`reports.${key}`)}</th>
      <td data-testid={`report-${key}-median`}>{minText(f.median)}</td>
      <td>{minText(f.p90)}</td>
      <td>{f.count}</td>
    </tr>
  );
  return (
    <article className="report" aria-labelledby="report-title">
      <header>
        <h2 id="report-title">{t('reports.title', { agreement: r.agreementNumber, month: r.month })}</h2>
        <p>
          {r.customerName}
          {r.contractName ? ` · ${r.contractName}` : ''} · {t('reports.asOf', { when: formatDateTime(r.asOf, r.timezone) })} · {r.timezone}
        </p>
      </header>
      <table className="figures">
        <tbody>
          <tr>
            <th scope="row">{t('reports.tickets')}</th>
            <td data-testid="report-tickets">{r.tickets}</td>
            <td />
          </tr>
          {metric('response', r.response)}
          {metric('resolution', r.resolution)}
          <tr>
            <th scope="row">{t('reports.callbacksOnTime')}</th>
            <td data-testid="report-updates-pct">{pctText(r.updates.pct)}</td>
            <td>{t('reports.callbacksOf', { onTime: r.updates.onTime, due: r.updates.due, missed: r.updates.missed })}</td>
          </tr>
        </tbody>
      </table>
      <KpiTable kpis={r.kpis} />
      <table className="figures">
        <thead>
          <tr>
            <th />
            <th scope="col">{t('reports.median')}</th>
            <th scope="col">{t('reports.p90')}</th>
            <th scope="col">{t('reports.count')}</th>
          </tr>
        </thead>
        <tbody>
          {times('timeToResponse', r.timeToResponse)}
          {times('timeToResolution', r.timeToResolution)}
        </tbody>
      </table>
      <p className="hint">{t('reports.businessMinutes')}</p>
      <div className="charts">
        <figure>
          <figcaption>{t('reports.byPriority')}</figcaption>
          <PolicyBars rows={r.byPolicy} names={r.policyNames} labels={{ response: t('reports.responseMet'), resolution: t('reports.resolutionMet'), title: t('reports.byPriority') }} />
          <p className="legend">
            <span className="swatch bar-response" /> {t('reports.responseMet')} <span className="swatch bar-resolution" /> {t('reports.resolutionMet')}
          </p>
        </figure>
        <figure>
          <figcaption>{t('reports.histogram')}</figcaption>
          <Histogram bins={r.resolutionHistogram} title={t('reports.histogram')} />
        </figure>
      </div>
      <h3>{t('reports.breaches', { count: r.breaches.length })}</h3>
      {r.breaches.length === 0 ? (
        <p>{t('reports.noBreaches')}</p>
      ) : (
        <table className="breaches" data-testid="report-breaches">
          <thead>
            <tr>
              <th scope="col">{t('reports.caseNumber')}</th>
              <th scope="col">{t('reports.priority')}</th>
              <th scope="col">{t('reports.target')}</th>
              <th scope="col">{t('reports.due')}</th>
              <th scope="col">{t('reports.detail')}</th>
            </tr>
          </thead>
          <tbody>
            {r.breaches.map((b) => (
              <tr key={`${b.ticketId}-${b.metric}`}>
                <td>{b.caseNumber}</td>
                <td>{r.policyNames[b.policy] ?? b.policy}</td>
                <td>{t(`metric.${b.metric}`)}</td>
                <td>{b.dueAt === null ? '–' : formatDateTime(b.dueAt, r.timezone)}</td>
                <td>{b.metric === 'update' ? t('reports.missedCallbacks', { count: b.missed ?? 0 }) : t('reports.elapsed', { minutes: b.elapsedMinutes })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <VisitsSection visits={r.visits} timezone={r.timezone} />
      <EvidenceTable rows={r.evidence ?? []} timezone={r.timezone} />
    </article>
  );
}

/** What the PDF renderer loads: `?print=sla&contract=…&month=…` shows only the report. */
export function ReportPrintRoot({ query }: { query: URLSearchParams }) {
  const [r, setR] = useState<SlaReportView | null>(null);
  const [services, setServices] = useState<ServiceMonthView[]>([]);
  const [err, setErr] = useState('');
  useEffect(() => {
    const contractId = query.get('contract') ?? '';
    const month = query.get('month') ?? '';
    // The services' availability (issue 20) loads with the report, before the page says it is ready.
    Promise.all([call('reports.sla', { contractId, month }), call('agreements.availability', { month, contractId })]).then(
      ([rep, av]) => {
        setServices(av.services);
        setR(rep);
      },
      (e: Error) => setErr(e.message),
    );
  }, [query]);
  if (err)
    return (
      <p data-print-ready data-print-error>
        {err}
      </p>
    );
  return r ? (
    <div className="print-root" data-print-ready>
      <SlaReportPage r={r} />
      <ServiceMonths services={services} />
    </div>
  ) : null;
}

export function Reports() {
  const { t, i18n } = useTranslation();
  const contracts = useContracts();
  const [contractId, setContractId] = useState('');
  const [month, setMonth] = useState(thisMonth());
  const [r, setR] = useState<SlaReportView | null>(null);
  const [busy, setBusy] = useState('');
  const [err, setErr] = useState('');
  const cid = contractId || contracts[0]?.id || '';

  async function run<T>(what: string, fn: () => Promise<T>): Promise<void> {
    setBusy(what);
    setErr('');
    try {
      await fn();
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy('');
    }
  }
  useEffect(() => {
    if (cid) void run('show', async () => setR(await call('reports.sla', { contractId: cid, month })));
  }, [cid, month]);

  return (
    <section className="panel wide reports" aria-labelledby="reports-heading">
      <h2 id="reports-heading" className="no-print">
        {t('reports.heading')}
      </h2>
      <div className="row no-print">
        <label>
          {t('reports.contract')}
          <select value={cid} onChange={(e) => setContractId(e.target.value)}>
            {contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.agreementNumber} – {c.customerName}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.month')}
          <input type="month" value={month} onChange={(e) => e.target.value && setMonth(e.target.value)} />
        </label>
        <button type="button" disabled={!cid || !!busy} onClick={() => void run('csv', async () => download(await call('reports.slaCsv', { contractId: cid, month })))}>
          {t('reports.downloadCsv')}
        </button>
        <button
          type="button"
          disabled={!cid || !!busy}
          onClick={() =>
            void run('pdf', async () => download(await call('reports.slaPdf', { contractId: cid, month, language: (['en', 'da', 'nb', 'nl'] as const).find((l) => l === i18n.language) ?? 'en' })))
          }
        >
          {busy === 'pdf' ? t('reports.makingPdf') : t('reports.downloadPdf')}
        </button>
        <button type="button" disabled={!r} onClick={() => window.print()}>
          {t('reports.print')}
        </button>
      </div>
      {err && <p role="alert">{err}</p>}
      <DueReports />
      {!contracts.length && <p>{t('reports.noContracts')}</p>}
      {r && <SlaReportPage r={r} />}
      {cid && <Availability month={month} contractId={cid} />}
    </section>
  );
}
