/**
 * Reports to send (docs/scheduled-reports.md): each contract's report of the
 * current period, its window and state; the PDF prepared from the monthly SLA
 * report; "Mark as sent" records when and to whom (synced with the contract).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { DueReportView } from '../../../core/api/terms.js';
import { formatDateTime } from '../../format.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { download } from '../../download.js';

const LANGS = ['en', 'da', 'nb', 'nl'] as const;

function DueRow({ d, onSent }: { d: DueReportView; onSent(): void }) {
  const { t, i18n } = useTranslation();
  const [to, setTo] = useState(d.to.join(', '));
  const pdf = useSave();
  const sent = useSave();
  const busy = pdf.busy || sent.busy;
  const err = pdf.err ?? sent.err;
  const last = d.sent.at(-1);
  const lastDay = formatDateTime(d.windowTo - 1, d.timezone);
  return (
    <li className={`due-report due-${d.state}`} data-testid={`due-${d.agreementNumber}-${d.scheduleId}`}>
      <p>
        <strong>{d.agreementNumber}</strong> · {d.customerName} · {d.scheduleName} · {t('agreements.period')} <span data-testid="due-period">{d.period}</span> ·{' '}
        <span data-testid="due-state">{t(`agreements.state.${d.state}`)}</span>
      </p>
      <p className="hint">
        {t('agreements.window')}: {t('agreements.windowText', { from: formatDateTime(d.windowFrom, d.timezone), to: lastDay })}
        {d.fee ? ` · ${t('agreements.fee', { fee: d.fee })}` : ''}
        {last ? ` · ${t('agreements.lastSent', { when: formatDateTime(last.sentAt, d.timezone), to: last.to.join(', ') })}` : ''}
      </p>
      <div className="row">
        <button
          type="button"
          disabled={busy}
          aria-busy={pdf.busy}
          onClick={() =>
            void pdf.run(async () =>
              (await call('agreements.reportPdf', { contractId: d.contractId, schedule: d.scheduleId, period: d.period, language: LANGS.find((l) => l === i18n.language) ?? 'en' })).files.forEach(
                download,
              ),
            )
          }
        >
          {pdf.busy ? t('agreements.makingPdf') : t('agreements.preparePdf')}
        </button>
        <label>
          {t('agreements.recipients')}
          <input value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button
          type="button"
          disabled={busy || d.state === 'upcoming'}
          aria-busy={sent.busy}
          onClick={() =>
            void sent.run(async () => {
              await call('agreements.markReportSent', { contractId: d.contractId, schedule: d.scheduleId, period: d.period, to: to.split(/[,;\s]+/).filter(Boolean) });
              onSent();
            })
          }
        >
          {t('agreements.markSent')}
        </button>
      </div>
      {err && <p role="alert">{err.path ? `${err.path}: ${err.message}` : err.message}</p>}
    </li>
  );
}

export function DueReports() {
  const { t } = useTranslation();
  const [list, setList] = useState<DueReportView[] | null>(null);
  const [reload, setReload] = useState(0);
  useEventReload(['records.changed'], () => setReload((n) => n + 1));
  useEffect(() => {
    void call('agreements.dueReports', {}).then((r) => setList(r.reports));
  }, [reload]);
  if (!list) return null;
  return (
    <section className="due-reports no-print" aria-labelledby="due-reports-heading">
      <h3 id="due-reports-heading">{t('agreements.dueHeading')}</h3>
      {list.length === 0 ? (
        <p className="hint">{t('agreements.noneDue')}</p>
      ) : (
        <ul>
          {list.map((d) => (
            <DueRow key={`${d.contractId}|${d.scheduleId}|${d.period}`} d={d} onSent={() => setReload((n) => n + 1)} />
          ))}
        </ul>
      )}
    </section>
  );
}
