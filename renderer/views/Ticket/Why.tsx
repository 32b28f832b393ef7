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
import type { TargetView, TraceView } from '../../../core/api/desk.js';
import { formatClock, formatDateTime, formatMinutes, userZone } from '../../format.js';
import { explainTarget, isPeriod } from '../../why-text.js';

/** One raw trace line, for the details toggle. */
function rawLine(tr: TraceView | Record<string, unknown>, t: TFunction): string {
  const o = tr as Record<string, unknown>;
  if (isPeriod(o))
    return `${t(`trace.${o.kind}`, { defaultValue: o.kind })} ${formatDateTime(o.from)} – ${formatDateTime(o.to)}: ${formatMinutes(Math.floor((o.to - o.from) / 60_000))}${typeof o.note === 'string' ? ` (${o.note})` : ''}`;
  if (typeof o.note === 'string') return typeof o.at === 'number' ? `${formatDateTime(o.at)}: ${o.note}` : o.note;
  return JSON.stringify(o);
}

export function Why({ x, now }: { x: TargetView; now: number }) {
  const { t } = useTranslation();
  return (
    <div className="why">
      <p data-testid={`why-${x.metric}`}>
        <strong>{t('why.heading')}</strong> {explainTarget(x, now, t, { clock: formatClock, minutes: formatMinutes, userZone: userZone() })}
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
