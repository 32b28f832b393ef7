/** The ticket page's timeline: its events in words, with signatures, photos and sync receipts. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventView, TicketDetail } from '../../../core/api/desk.js';
import { formatDateTime, formatNumber } from '../../format.js';
import { call } from '../../transport.js';
import { TICKET_FIELDS, isTicketTextField } from '../../../core/domain/index.js';
import { useEventReload } from '../../use-event-reload.js';
import { ReceiptNote } from '../Reports/Evidence.js';

/** An event in words; `policyName` turns a policy id into the contract's name for it (the timeline never shows "p1"). */
function describeEvent(e: EventView, t: (k: string, o?: Record<string, unknown>) => string, policyName: (id: string) => string): string {
  const d = e.data;
  const txt = typeof d.text === 'string' ? `: ${d.text}` : '';
  switch (e.type) {
    case 'status':
      return `${t(`status.${String(d.status)}`)}${txt}`;
    case 'callback':
      return t('event.callbackText', { channel: t(`channel.${String(d.channel)}`), reached: String(d.reached), text: String(d.text) });
    case 'escalation':
      return `${t('event.escalationText', { to: String(d.to ?? d.level) })}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'policy_changed':
      return `${t('event.policyText', { policy: policyName(String(d.policy)) })}${d.reason ? `: ${String(d.reason)}` : ''}`;
    case 'assigned':
      return t('event.assignedText', { assignee: String(d.assignee ?? '–') });
    case 'edited':
      return t('event.editedText', {
        fields: Object.keys((d.fields as object) ?? {})
          .map((f) => (isTicketTextField(f) ? t(TICKET_FIELDS[f].label) : t(`errors.fields.${f}`, { defaultValue: f })))
          .join(', '),
      });
    case 'created':
      return t('event.createdText', { policy: d.policy ? policyName(String(d.policy)) : '–' });
    case 'visit_step': {
      const parts = [t(`field.steps.${String(d.step)}`)];
      if (typeof d.km === 'number') parts.push(t('field.kmText', { km: formatNumber(d.km) }));
      if (d.replaces) parts.push(t('field.corrected', { reason: String(d.reason ?? '') }));
      return parts.join(', ');
    }
    case 'parts':
      return ((d.parts as Array<Record<string, unknown>> | undefined) ?? [])
        .map((p) => t('field.partsText', { product: String(p.product), serialIn: String(p.serialIn ?? '–'), serialOut: String(p.serialOut ?? '–') }))
        .join('; ');
    case 'checklist':
      return ((d.items as Array<{ label: string; value: unknown }> | undefined) ?? [])
        .filter((i) => i.value !== null && i.value !== false)
        .map((i) => `${i.label}: ${i.value === true ? t('field.yes') : String(i.value)}`)
        .join('; ');
    case 'acceptance':
      return t('field.signedBy', { name: String(d.name) });
    case 'photo':
      return String(d.name ?? '');
    default:
      return txt.slice(2);
  }
}

/**
 * A photo event's thumbnail: the bytes are fetched from this device's attachment store and shown as a data: URL.
 * A photo taken on another device says it is still downloading until sync has brought its bytes (asked again on each sync status).
 */
function PhotoThumb({ sha256, name }: { sha256: string; name: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [waiting, setWaiting] = useState<string | null>(null);
  const [asked, setAsked] = useState(0);
  useEffect(() => {
    let live = true;
    call('field.photoData', { sha256 }).then(
      (r) => {
        if (!live) return;
        if (r.dataBase64 === null) return setWaiting(r.message);
        setWaiting(null);
        setSrc(`data:${r.mime};base64,${r.dataBase64}`);
      },
      () => live && setMissing(true),
    );
    return () => {
      live = false;
    };
  }, [sha256, asked]);
  // still downloading: asked again on each sync status
  useEventReload(['sync.status'], () => src === null && !missing && setAsked((n) => n + 1));
  if (missing) return <span className="muted"> ({sha256.slice(0, 12)}…)</span>;
  if (waiting !== null)
    return (
      <span className="muted photo-downloading" title={waiting}>
        {' '}
        {t('field.photoDownloading', { name })}
      </span>
    );
  return src ? <img className="photo-thumb" src={src} alt={t('field.photoAlt', { name })} style={{ maxWidth: 160, maxHeight: 120, display: 'block' }} /> : null;
}

export function Timeline({ tk }: { tk: TicketDetail }) {
  const { t } = useTranslation();
  return (
    <section className="panel" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">{t('ticket.timeline')}</h2>
      <ol className="timeline">
        {tk.events.map((e) => (
          <li key={e.id}>
            <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time> <strong>{t(`event.${e.type}`)}</strong>{' '}
            {describeEvent(e, t, (id) => tk.policies.find((p) => p.id === id)?.name || (id === 'critical' ? t('intake.critical') : id))}
            {e.author ? <span className="muted"> — {e.author}</span> : null}
            {e.receipt ? <ReceiptNote author={e.author} receipt={e.receipt} /> : null}
            {e.type === 'acceptance' && typeof e.data.signature === 'string' && e.data.signature.startsWith('data:image/png;base64,') ? (
              <img className="signature" src={e.data.signature} alt={t('field.signedBy', { name: String(e.data.name) })} width={200} height={75} />
            ) : null}
            {e.type === 'photo' && typeof e.data.sha256 === 'string' ? <PhotoThumb sha256={e.data.sha256} name={String(e.data.name ?? '')} /> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
