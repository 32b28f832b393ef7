/** The calendar editor's day fields: the weekly schedule, special days and closed dates (with .ics import). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssueView } from '../../../core/api/desk.js';
import { FieldIssues } from '../../fields.js';
import { call } from '../../transport.js';
import { DAYS, issuesAt } from './calendar-draft.js';
import type { CalendarDraft, Day, Pair } from './calendar-draft.js';

/** The weekly schedule of a calendar: several intervals per day; an end at or before the start crosses midnight. */
export function WeekEditor({ cal, prefix, issues, onChange }: { cal: CalendarDraft; prefix: string; issues: IssueView[]; onChange(c: CalendarDraft): void }) {
  const { t } = useTranslation();
  const is24 = cal.week === '24x7';
  const week = cal.week === '24x7' ? null : cal.week;
  const set = (d: Day, pairs: Pair[]) => week && onChange({ ...cal, week: { ...week, [d]: pairs } });
  return (
    <fieldset className="week">
      <legend>{t('calendar.week')}</legend>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={is24}
          onChange={(e) => onChange({ ...cal, week: e.target.checked ? '24x7' : Object.fromEntries(DAYS.map((d) => [d, d === 'sat' || d === 'sun' ? [] : [['08:00', '16:00']]])) as Record<Day, Pair[]> })}
        />{' '}
        {t('calendar.allDay')}
      </label>
      {week &&
        DAYS.map((d) => {
          const dayName = t(`calendar.day.${d}`);
          const pairs = week[d] ?? [];
          return (
            <div key={d} className="dayrow" role="group" aria-label={dayName} data-day={d}>
              <span className="dayname">{dayName}</span>
              {pairs.length === 0 ? <span className="muted">{t('calendar.closedDay')}</span> : null}
              {pairs.map((p, i) => {
                const here = issuesAt(issues, `${prefix}.week.${d}[${i}]`);
                return (
                  <span key={i} className={`pair${here.length ? ' invalid' : ''}`}>
                    <input aria-label={t('calendar.from', { day: dayName, n: i + 1 })} aria-invalid={here.length ? true : undefined} value={p[0]} size={5} onChange={(e) => set(d, pairs.map((q, k) => (k === i ? [e.target.value, q[1]] : q)))} />
                    –
                    <input aria-label={t('calendar.to', { day: dayName, n: i + 1 })} aria-invalid={here.length ? true : undefined} value={p[1]} size={5} onChange={(e) => set(d, pairs.map((q, k) => (k === i ? [q[0], e.target.value] : q)))} />
                    <button type="button" aria-label={t('calendar.removeInterval', { day: dayName, n: i + 1 })} onClick={() => set(d, pairs.filter((_, k) => k !== i))}>
                      ×
                    </button>
                    <FieldIssues issues={here} />
                  </span>
                );
              })}
              <button type="button" aria-label={t('calendar.addInterval', { day: dayName })} onClick={() => set(d, [...pairs, ['08:00', '16:00']])}>
                +
              </button>
              <FieldIssues issues={issues.filter((i) => i.path === `${prefix}.week.${d}`)} />
            </div>
          );
        })}
      <FieldIssues issues={issues.filter((i) => i.path === `${prefix}.week`)} />
      <p className="hint">{t('calendar.nightHint')}</p>
    </fieldset>
  );
}

function parsePairs(text: string): Pair[] {
  return text
    .split(/[,;]+/)
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => {
      const [a = '', b = ''] = s.split(/\s*[-–]\s*/);
      return [a, b] as Pair;
    });
}

export function SpecialAndClosed({ cal, prefix, issues, onChange }: { cal: CalendarDraft; prefix: string; issues: IssueView[]; onChange(c: CalendarDraft): void }) {
  const { t } = useTranslation();
  const [newClosed, setNewClosed] = useState('');
  const [newSpecial, setNewSpecial] = useState('');
  const [icsMsg, setIcsMsg] = useState('');
  const [icsErr, setIcsErr] = useState('');
  const closed = cal.closed ?? [];
  const special = cal.special ?? {};
  const addClosed = (dates: string[]) => onChange({ ...cal, closed: [...new Set([...closed, ...dates])].sort() });

  async function importIcs(file: File) {
    setIcsMsg('');
    setIcsErr('');
    try {
      const r = await call('desk.parseIcs', { text: await file.text() });
      const fresh = r.days.map((d) => d.date).filter((d) => !closed.includes(d));
      addClosed(fresh);
      setIcsMsg(t('calendar.icsAdded', { count: fresh.length, name: file.name, skipped: r.skipped.length }));
    } catch (e) {
      setIcsErr((e as Error).message);
    }
  }
  return (
    <>
      <fieldset>
        <legend>{t('calendar.special')}</legend>
        <p className="hint">{t('calendar.specialHint')}</p>
        {Object.entries(special).map(([date, pairs]) => {
          const here = issuesAt(issues, `${prefix}.special.${date}`);
          return (
            <div key={date} className="row">
              <code>{date}</code>
              <input
                aria-label={t('calendar.specialHours', { date })}
                aria-invalid={here.length ? true : undefined}
                defaultValue={pairs.map(([a, b]) => `${a}–${b}`).join(', ')}
                onBlur={(e) => onChange({ ...cal, special: { ...special, [date]: parsePairs(e.target.value) } })}
              />
              <button type="button" aria-label={t('calendar.removeSpecial', { date })} onClick={() => onChange({ ...cal, special: Object.fromEntries(Object.entries(special).filter(([k]) => k !== date)) })}>
                ×
              </button>
              <FieldIssues issues={here} />
            </div>
          );
        })}
        <div className="row">
          <input type="date" aria-label={t('calendar.newSpecial')} value={newSpecial} onChange={(e) => setNewSpecial(e.target.value)} />
          <button
            type="button"
            disabled={!newSpecial || newSpecial in special}
            onClick={() => {
              onChange({ ...cal, special: { ...special, [newSpecial]: [] } });
              setNewSpecial('');
            }}
          >
            {t('calendar.addSpecial')}
          </button>
        </div>
      </fieldset>
      <fieldset>
        <legend>{t('calendar.closed')}</legend>
        <ul className="closed-list" aria-label={t('calendar.closed')}>
          {closed.map((d, i) => (
            <li key={d}>
              <code>{d}</code>{' '}
              <button type="button" aria-label={t('calendar.removeClosed', { date: d })} onClick={() => onChange({ ...cal, closed: closed.filter((x) => x !== d) })}>
                ×
              </button>
              <FieldIssues issues={issuesAt(issues, `${prefix}.closed[${i}]`)} />
            </li>
          ))}
        </ul>
        <div className="row">
          <input type="date" aria-label={t('calendar.newClosed')} value={newClosed} onChange={(e) => setNewClosed(e.target.value)} />
          <button
            type="button"
            disabled={!newClosed}
            onClick={() => {
              addClosed([newClosed]);
              setNewClosed('');
            }}
          >
            {t('calendar.addClosed')}
          </button>
        </div>
        <label className="field">
          {t('calendar.ics')}
          <input
            type="file"
            accept=".ics,text/calendar"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void importIcs(f);
              e.target.value = '';
            }}
          />
        </label>
        <p role="status" className="muted">
          {icsMsg}
        </p>
        {icsErr ? (
          <p role="alert" className="field-error">
            {icsErr}
          </p>
        ) : null}
      </fieldset>
    </>
  );
}
