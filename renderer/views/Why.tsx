/**
 * "Why?" for a duty officer (issue 15 item 5): one sentence built from the
 * engine's trace, read structurally (its counted / closed / paused periods,
 * the target's start, deadline and state), never from the engine's English
 * notes; e.g. "Counted from 05:08; the clock was stopped 05:08–05:09 (outside
 * support hours); the next callback is due at 10:00." The raw trace stays
 * behind a "details" toggle. Unknown trace items (the trace may grow new
 * kinds or collapse runs of rules) are shown raw and do not break the text.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { TargetView, TraceView } from '../../core/api/desk.js';
import { formatClock, formatDateTime, formatMinutes, overdue, userZone } from '../format.js';

type Period = { kind: string; from: number; to: number; note?: unknown };
const isPeriod = (x: unknown): x is Period => {
  // structural: any item with a kind and a from–to span (new kinds are tolerated)
  const o = x as Record<string, unknown> | null;
  return !!o && typeof o.kind === 'string' && typeof o.from === 'number' && typeof o.to === 'number' && (o.to as number) > (o.from as number);
};
const SHOWN = 3;

/** The sentence for one target at `now`, in the user's language; times in the target's calendar zone. */
export function explainTarget(x: TargetView, now: number, t: TFunction): string {
  const zone = x.timezone || userZone();
  const at = (ms: number) => formatClock(ms, now, zone);
  const span = (p: Period) => ({ from: at(p.from), to: at(p.to) });
  const parts: string[] = [];
  if (x.startedAt === null) parts.push(t('why.notStarted'));
  else parts.push(t('why.countedFrom', { when: at(x.startedAt) }));
  const periods = ((x.trace ?? []) as unknown[]).filter(isPeriod);
  for (const kind of ['closed', 'paused'] as const) {
    const ps = periods.filter((p) => p.kind === kind);
    for (const p of ps.slice(-SHOWN)) parts.push(t(`why.${kind}`, span(p)));
    if (ps.length > SHOWN) parts.push(t(`why.${kind}More`, { count: ps.length - SHOWN }));
  }
  if (x.startedAt !== null) parts.push(t('why.counted', { used: formatMinutes(x.elapsedMinutes) }));
  if (x.missed) parts.push(t('why.missed', { count: x.missed }));
  if (x.state === 'stopped' && x.stoppedAt !== null) parts.push(t(x.breached ? 'why.stoppedLate' : 'why.stoppedMet', { when: at(x.stoppedAt) }));
  else if (x.dueAt !== null && overdue(x, now)) parts.push(t('why.breached', { when: at(x.dueAt), ago: formatMinutes(Math.floor((now - x.dueAt) / 60_000)) }));
  else if (x.dueAt !== null && x.state !== 'stopped') parts.push(t(`why.due.${x.metric}`, { when: at(x.dueAt) }));
  if (x.state === 'paused') parts.push(t('why.pausedNow'));
  const text = parts.join('; ');
  const sentence = text.charAt(0).toUpperCase() + text.slice(1) + '.';
  return zone !== userZone() ? `${sentence} ${t('why.zone', { zone })}` : sentence;
}

/** One raw trace line, for the details toggle. */
function rawLine(tr: TraceView | Record<string, unknown>, t: TFunction): string {
  const o = tr as Record<string, unknown>;
  if (isPeriod(o)) return `${t(`trace.${o.kind}`, { defaultValue: o.kind })} ${formatDateTime(o.from)} – ${formatDateTime(o.to)}: ${formatMinutes(Math.floor((o.to - o.from) / 60_000))}${typeof o.note === 'string' ? ` (${o.note})` : ''}`;
  if (typeof o.note === 'string') return typeof o.at === 'number' ? `${formatDateTime(o.at)}: ${o.note}` : o.note;
  return JSON.stringify(o);
}

export function Why({ x, now }: { x: TargetView; now: number }) {
  const { t } = useTranslation();
  return (
    <div className="why">
      <p data-testid={`why-${x.metric}`}>
        <strong>{t('why.heading')}</strong> {explainTarget(x, now, t)}
      </p>
      {x.trace && x.trace.length > 0 && (
        <details>
          <summary>{t('why.details')}</summary>
          <ol className="trace">
            {x.trace.map((tr, i) => (
              <li key={i}>{rawLine(tr, t)}</li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}
