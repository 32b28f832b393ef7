/**
 * A visit's inspection report for the customer (docs/maintenance.md): the
 * checklist and readings, parts, photos and the signature. The same page on
 * screen and in the PDF (`?print=visit&ticket=…`, rendered by the services).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { VisitReportView } from '../../../core/api/agreements.js';
import { formatDateTime } from '../../format.js';
import { call } from '../../transport.js';
import { download } from '../../download.js';
import { windowDays } from './dates.js';

function Photo({ sha256, name }: { sha256: string; name: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    call('field.photoData', { sha256 }).then(
      (r) => setSrc(r.dataBase64 ? `data:${r.mime};base64,${r.dataBase64}` : null),
      () => setSrc(null),
    );
  }, [sha256]);
  return src ? <img src={src} alt={name} className="report-photo" /> : <span className="muted">{name}</span>;
}

const valueText = (v: string | number | boolean | null, yes: string, no: string): string => (v === null ? '–' : typeof v === 'boolean' ? (v ? yes : no) : String(v));

export function VisitReportPage({ r }: { r: VisitReportView }) {
  const { t } = useTranslation();
  const w = r.visit ? windowDays(r.visit) : null;
  return (
    <article className="report" aria-labelledby="visit-report-title" data-testid="visit-report">
      <header>
        <h2 id="visit-report-title">{t('maintenance.reportTitle', { caseNumber: r.caseNumber })}</h2>
        <p>
          {r.customerName}
          {r.agreementNumber ? ` · ${r.agreementNumber}` : ''}
          {r.siteName || r.siteAddress ? ` · ${[r.siteName, r.siteAddress].filter(Boolean).join(', ')}` : ''}
        </p>
        {r.visit && w && (
          <p>
            {t(`maintenance.kind.${r.visit.kind}`)} · {t('maintenance.window', w)}
            {r.assignee ? ` · ${t('maintenance.assignee', { name: r.assignee })}` : ''}
          </p>
        )}
      </header>
      {r.steps.length > 0 && (
        <>
          <h3>{t('maintenance.steps')}</h3>
          <ul>
            {r.steps.map((s) => (
              <li key={`${s.step}-${s.at}`}>
                {t(`field.steps.${s.step}`)}: {formatDateTime(s.at)}
                {s.technician ? ` (${s.technician})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('maintenance.readings')}</h3>
      {r.checklist.length === 0 ? (
        <p>{t('maintenance.noChecklist')}</p>
      ) : (
        <table className="figures" data-testid="visit-report-checklist">
          <tbody>
            {r.checklist.map((i) => (
              <tr key={i.key}>
                <th scope="row">{i.label}</th>
                <td>{valueText(i.value, t('field.yes'), t('maintenance.no'))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {r.parts.length > 0 && (
        <>
          <h3>{t('field.parts')}</h3>
          <ul>
            {r.parts.map((p, i) => (
              <li key={i}>{t('field.partsText', { product: p.product, serialIn: p.serialIn ?? '–', serialOut: p.serialOut ?? '–' })}</li>
            ))}
          </ul>
        </>
      )}
      {r.photos.length > 0 && (
        <>
          <h3>{t('maintenance.photos')}</h3>
          <div className="report-photos">
            {r.photos.map((p) => (
              <Photo key={p.sha256} sha256={p.sha256} name={p.name} />
            ))}
          </div>
        </>
      )}
      <h3>{t('field.acceptance')}</h3>
      {r.acceptance ? (
        <p>
          <img src={r.acceptance.signature} alt={t('field.signature')} className="report-signature" />
          <br />
          {t('maintenance.acceptedBy', { name: r.acceptance.name, when: formatDateTime(r.acceptance.at) })}
        </p>
      ) : (
        <p>{t('maintenance.notAccepted')}</p>
      )}
    </article>
  );
}

/** What the PDF renderer loads: `?print=visit&ticket=…` shows only the inspection report. */
export function VisitReportPrintRoot({ query }: { query: URLSearchParams }) {
  const [r, setR] = useState<VisitReportView | null>(null);
  const [err, setErr] = useState('');
  useEffect(() => {
    call('agreements.visitReport', { ticketId: query.get('ticket') ?? '' }).then(setR, (e: Error) => setErr(e.message));
  }, [query]);
  if (err)
    return (
      <p data-print-ready data-print-error>
        {err}
      </p>
    );
  return r ? (
    <div className="print-root" data-print-ready>
      <VisitReportPage r={r} />
    </div>
  ) : null;
}

/** The ticket's "Inspection report (PDF)" button. */
export function VisitReportButton({ ticketId }: { ticketId: string }) {
  const { t, i18n } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [err, setErr] = useState('');
  const lang = (['en', 'da', 'nb', 'nl'] as const).find((l) => i18n.language.startsWith(l)) ?? 'en';
  const run = async () => {
    setBusy(true);
    setErr('');
    try {
      download(await call('agreements.visitReportPdf', { ticketId, language: lang }));
    } catch (e) {
      setErr((e as Error).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <p>
      <button type="button" onClick={() => void run()} disabled={busy}>
        {busy ? t('maintenance.pdfBusy') : t('maintenance.pdf')}
      </button>
      {err && <span role="alert"> {err}</span>}
    </p>
  );
}
