/** The ticket page's SLA targets: one line per target, and the what-if table of a planned action. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TargetView, TicketAction } from '../../../core/api/desk.js';
import { formatMinutes, formatWhen, overdue } from '../../format.js';
import { call } from '../../transport.js';
import { Countdown } from '../Queue/index.js';
import { Why } from './Why.js';

export function TargetLine({ x, now }: { x: TargetView; now: number }) {
  const { t } = useTranslation();
  const total = x.remainingMinutes !== null ? x.elapsedMinutes + x.remainingMinutes : null;
  // past its deadline: "breached 5 min ago", not "running" with a full budget
  const late = overdue(x, now);
  return (
    <li className="target" data-testid={`target-${x.metric}`}>
      <div className="target-head">
        <strong>{t(`metric.${x.metric}`)}</strong>
        <Countdown target={x} now={now} large />
        <span className="muted">
          {late ? <strong className="bad-text">{t('countdown.breachedAgo', { ago: formatMinutes(Math.floor((now - (x.dueAt ?? now)) / 60_000)) })}</strong> : t(`state.${x.state}`)}
          {x.dueAt !== null ? ` · ${t('ticket.due', { when: formatWhen(x.dueAt, x.timezone) })}` : ''}
          {x.missed ? ` · ${t('ticket.missed', { count: x.missed })}` : ''}
        </span>
      </div>
      {total !== null && total > 0 && !late && (
        <label className="progress">
          {t('ticket.used', { used: formatMinutes(x.elapsedMinutes), total: formatMinutes(total) })}
          <progress max={total} value={Math.min(x.elapsedMinutes, total)} />
        </label>
      )}
      {x.wording && (
        <blockquote className="wording" aria-label={t('ticket.wording')}>
          {x.wording}
        </blockquote>
      )}
      <Why x={x} now={now} />
    </li>
  );
}

export function WhatIf({ ticketId, action }: { ticketId: string; action: TicketAction | null }) {
  const { t } = useTranslation();
  const [r, setR] = useState<{ before: TargetView[]; after: TargetView[] } | null>(null);
  const key = JSON.stringify(action);
  useEffect(() => {
    if (!action) return;
    let live = true;
    call('desk.whatIf', { ticketId, action })
      .then((x) => live && setR(x))
      .catch(() => live && setR(null));
    return () => {
      live = false;
    };
  }, [ticketId, key]);
  if (!r) return null;
  const show = (x: TargetView | undefined) =>
    !x ? '–' : x.state === 'paused' ? t('countdown.paused') : x.dueAt === null ? t(`state.${x.state}`) : `${formatWhen(x.dueAt, x.timezone)}${x.breached ? ` (${t('countdown.breached')})` : ''}`;
  return (
    <table className="whatif" aria-label={t('ticket.whatIf')}>
      <thead>
        <tr>
          <th scope="col">{t('ticket.target')}</th>
          <th scope="col">{t('ticket.now')}</th>
          <th scope="col">{t('ticket.after')}</th>
        </tr>
      </thead>
      <tbody>
        {r.before.map((b) => {
          const a = r.after.find((x) => x.metric === b.metric);
          return (
            <tr key={b.metric}>
              <th scope="row">{t(`metric.${b.metric}`)}</th>
              <td>{show(b)}</td>
              <td className={a?.breached ? 'bad-text' : ''}>{show(a)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
