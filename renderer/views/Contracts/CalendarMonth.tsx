/** A calendar's month as the engine sees it (desk.calendarMonth), stored or a draft being edited. */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarMonthView } from '../../../core/api/desk.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { DAYS } from './calendar-draft.js';
import type { Day } from './calendar-draft.js';

function monthOf(now: number): string {
  return new Date(now).toISOString().slice(0, 7);
}
function shiftMonth(m: string, by: number): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, mo - 1 + by, 1));
  return d.toISOString().slice(0, 7);
}

/** A month of a calendar: role=grid, one cell per day with its open hours and why. */
export function CalendarMonth({ contractId, calendarId, draft }: { contractId: string; calendarId: string; draft?: unknown }) {
  const { t, i18n } = useTranslation();
  const info = useApp((s) => s.info);
  const [month, setMonth] = useState(() => monthOf(info?.now ?? Date.now()));
  const [view, setView] = useState<CalendarMonthView | null>(null);
  const [error, setError] = useState('');
  const draftKey = draft === undefined ? '' : JSON.stringify(draft);
  useEffect(() => {
    let live = true;
    setError('');
    call('desk.calendarMonth', { contractId, calendar: calendarId, month, ...(draftKey ? { draft: JSON.parse(draftKey) as unknown } : {}) }).then(
      (v) => live && setView((prev) => (v.issues.length && prev ? { ...prev, issues: v.issues } : v)),
      (e: Error) => live && setError(e.message),
    );
    return () => {
      live = false;
    };
  }, [contractId, calendarId, month, draftKey]);

  const [y, mo] = month.split('-').map(Number) as [number, number];
  const title = new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(y, mo - 1, 1));
  const weeks: (CalendarMonthView['days'][number] | null)[][] = [];
  if (view && view.days.length) {
    let row: (CalendarMonthView['days'][number] | null)[] = Array.from({ length: view.days[0]!.weekday }, () => null);
    for (const d of view.days) {
      row.push(d);
      if (row.length === 7) {
        weeks.push(row);
        row = [];
      }
    }
    if (row.length) weeks.push([...row, ...Array.from({ length: 7 - row.length }, () => null)]);
  }
  const describe = (d: CalendarMonthView['days'][number]) => {
    const hours = d.intervals.map(([a, b]) => `${a}–${b}`).join(', ');
    if (d.rule === 'holiday') return t('calendar.rule.holiday');
    if (d.rule === 'closed') return t('calendar.rule.closed');
    const base = hours || t('calendar.closedDay');
    return d.rule === 'special' ? `${t('calendar.rule.special')}: ${base}` : base;
  };
  return (
    <div className="calmonth">
      <div className="row">
        <button type="button" onClick={() => setMonth(shiftMonth(month, -1))}>
          {t('calendar.prev')}
        </button>
        <strong>{title}</strong>
        <button type="button" onClick={() => setMonth(shiftMonth(month, 1))}>
          {t('calendar.next')}
        </button>
        {view?.timezone ? <code>{view.timezone}</code> : null}
      </div>
      {error ? <p className="bad-text">{error}</p> : null}
      {view && view.issues.length > 0 ? <p className="muted">{t('calendar.draftInvalid')}</p> : null}
      {weeks.length > 0 && (
        <table role="grid" className="calgrid" aria-label={t('calendar.monthOf', { calendar: view?.name ?? calendarId, month: title })}>
          <thead>
            <tr role="row">
              {DAYS.map((d) => (
                <th key={d} role="columnheader" scope="col">
                  {t(`calendar.dayShort.${d}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((w, i) => (
              <tr key={i} role="row">
                {w.map((d, j) =>
                  d ? (
                    <td key={j} role="gridcell" className={`calday ${d.rule} ${d.intervals.length ? 'open' : 'shut'}`} aria-label={`${d.date} ${t(`calendar.day.${DAYS[d.weekday] as Day}`)}: ${describe(d)}`}>
                      <span className="daynum">{Number(d.date.slice(8))}</span>
                      {d.intervals.map(([a, b]) => (
                        <span key={a} className="iv">
                          {a}–{b}
                        </span>
                      ))}
                      {d.rule !== 'week' ? <span className="rule">{t(`calendar.rule.${d.rule}`)}</span> : null}
                    </td>
                  ) : (
                    <td key={j} role="gridcell" aria-hidden="true" className="calday empty" />
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
