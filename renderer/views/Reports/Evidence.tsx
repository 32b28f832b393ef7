/**
 * Who recorded a clock event, on which device, the time it claims and when the sync server
 * received it, marked "recorded offline, received N later" when that is more than 15 minutes
 * (core/reports/evidence.ts, docs/reports.md "Evidence"): on the ticket's timeline and in the
 * SLA report (screen, print, PDF).
 */
import { useTranslation } from 'react-i18next';
import type { EventView } from '../../../core/api/desk.js';
import type { EvidenceRow } from '../../../core/reports/index.js';
import { formatDateTime, formatMinutes, formatWhen } from '../../format.js';

const deviceText = (name: string | null, id: string | null): string => name ?? (id ? id.slice(0, 8) : '–');

function OfflineMark({ lateMs }: { lateMs: number | null }) {
  const { t } = useTranslation();
  if (lateMs === null) return null;
  return (
    <span className="offline-mark" data-testid="offline-mark">
      {t('evidence.offline', { late: formatMinutes(lateMs / 60_000) })}
    </span>
  );
}

/** The timeline's line under a clock event. */
export function ReceiptNote({ author, receipt }: { author: string | null; receipt: NonNullable<EventView['receipt']> }) {
  const { t } = useTranslation();
  const who = { who: author ?? t('evidence.unknownWho'), device: deviceText(receipt.deviceName, receipt.deviceId) };
  return (
    <div className="receipt muted" data-testid="event-receipt">
      {receipt.receivedAt === null ? t('evidence.lineNotSynced', who) : t('evidence.line', { ...who, when: formatDateTime(receipt.receivedAt) })} <OfflineMark lateMs={receipt.lateMs} />
    </div>
  );
}

/** The SLA report's section: every clock event behind the figures. */
export function EvidenceTable({ rows, timezone }: { rows: readonly EvidenceRow[]; timezone: string }) {
  const { t } = useTranslation();
  return (
    <section className="evidence-section" aria-label={t('evidence.title', { count: rows.length })}>
      <h3>{t('evidence.title', { count: rows.length })}</h3>
      <p className="hint">{t('evidence.intro')}</p>
      {rows.length === 0 ? (
        <p>{t('evidence.none')}</p>
      ) : (
        <table className="evidence" data-testid="report-evidence">
          <thead>
            <tr>
              <th scope="col">{t('evidence.case')}</th>
              <th scope="col">{t('evidence.event')}</th>
              <th scope="col">{t('evidence.who')}</th>
              <th scope="col">{t('evidence.device')}</th>
              <th scope="col">{t('evidence.claimed')}</th>
              <th scope="col">{t('evidence.received')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r, i) => (
              <tr key={`${r.ticketId}-${i}`} className={r.lateMs === null ? undefined : 'late'}>
                <td>{r.caseNumber}</td>
                <td>
                  {t(`event.${r.type}`)}
                  {r.type === 'status' && r.detail ? ` · ${t(`status.${r.detail}`, { defaultValue: r.detail })}` : r.detail ? ` · ${r.detail}` : ''}
                </td>
                <td>{r.author ?? t('evidence.unknownWho')}</td>
                <td>{deviceText(r.deviceName, r.deviceId)}</td>
                <td>{formatWhen(r.at, timezone)}</td>
                <td>
                  {r.receivedAt === null ? t('evidence.notReceived') : formatWhen(r.receivedAt, timezone)} <OfflineMark lateMs={r.lateMs} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
