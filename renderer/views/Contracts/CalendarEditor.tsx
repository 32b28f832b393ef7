/**
 * Contracts view, issue 5 §5: a calendar's month as the engine sees it, and
 * the calendar/policy editor. Night shifts may be entered as one interval
 * crossing midnight (22:00–06:00 on Monday); the services split them over the
 * two days (what the contract format stores) and the editor shows the split
 * after "Check changes". Before saving, the editor says how many open
 * tickets' deadlines the change moves. Problems are shown at their field.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CalendarMonthView, ContractEditCheck, ContractView, IssueView, PolicySetJson } from '../../../core/api/desk.js';
import { FieldIssues, issueText } from '../../fields.js';
import { formatWhen } from '../../format.js';
import { useApp } from '../../store.js';
import { ApiCallError, call } from '../../transport.js';
import { PolicyEditor } from './PolicyEditor.js';
import type { PoliciesDraft, WordingDraft } from './PolicyEditor.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
type Day = (typeof DAYS)[number];
type Pair = [string, string];
interface CalendarDraft {
  name?: string;
  timezone: string;
  week: Record<Day, Pair[]> | '24x7';
  holidays?: { country: string; region?: string };
  closed?: string[];
  special?: Record<string, Pair[]>;
  [k: string]: unknown;
}

const clone = <T,>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const issuesAt = (issues: IssueView[], prefix: string) => issues.filter((i) => i.path === prefix || i.path.startsWith(`${prefix}.`) || i.path.startsWith(`${prefix}[`));

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

/** The weekly schedule of a calendar: several intervals per day; an end at or before the start crosses midnight. */
function WeekEditor({ cal, prefix, issues, onChange }: { cal: CalendarDraft; prefix: string; issues: IssueView[]; onChange(c: CalendarDraft): void }) {
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

function SpecialAndClosed({ cal, prefix, issues, onChange }: { cal: CalendarDraft; prefix: string; issues: IssueView[]; onChange(c: CalendarDraft): void }) {
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

/** Editor of a contract's calendars and policies, with the "moves N tickets" check before saving. */
export function ContractEditor({ contract, onSaved }: { contract: ContractView; onSaved(c: ContractView): void }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<PolicySetJson>(() => clone(contract.policySet));
  const [calId, setCalId] = useState(() => Object.keys(contract.policySet.calendars)[0] ?? '');
  const [policies, setPolicies] = useState<PoliciesDraft>(() => clone(contract.policySet.policies) as PoliciesDraft);
  const [wording, setWording] = useState<WordingDraft>(() => ({ ...contract.wording }));
  const [criticalPolicy, setCriticalPolicy] = useState(contract.criticalPolicy ?? '');
  const [check, setCheck] = useState<ContractEditCheck | null>(null);
  const [checkedKey, setCheckedKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  // the policy set as it would be sent: the calendars and the policies from the forms
  const current = (): PolicySetJson => ({ calendars: draft.calendars, policies });
  const key = JSON.stringify([draft.calendars, policies, wording, criticalPolicy]);
  const issues = check?.issues ?? [];
  const cal = draft.calendars[calId] as CalendarDraft | undefined;
  const setCal = (c: CalendarDraft) => setDraft({ ...draft, calendars: { ...draft.calendars, [calId]: c } });

  async function runCheck(): Promise<ContractEditCheck | null> {
    setMsg('');
    setErr('');
    const ps = current();
    setBusy(true);
    try {
      const r = await call('desk.checkContractEdit', { contractId: contract.id, policySet: ps });
      setCheck(r);
      // show what would be stored: night shifts split over midnight (policies are stored as given)
      setDraft({ calendars: r.policySet.calendars, policies: ps.policies });
      setCheckedKey(JSON.stringify([r.policySet.calendars, policies, wording, criticalPolicy]));
      return r;
    } catch (e) {
      setErr((e as Error).message);
      return null;
    } finally {
      setBusy(false);
    }
  }

  async function save() {
    const ps = current();
    setBusy(true);
    setErr('');
    try {
      // the wording only when edited (it is stored apart from the policies)
      const wordingChanged = JSON.stringify(wording) !== JSON.stringify(contract.wording);
      const criticalChanged = criticalPolicy !== (contract.criticalPolicy ?? '');
      const r = await call('desk.updateContract', {
        contractId: contract.id,
        policySet: ps,
        version: contract.version,
        ...(wordingChanged ? { wording } : {}),
        ...(criticalChanged ? { criticalPolicy: criticalPolicy || null } : {}),
      });
      setMsg(t('calendar.saved', { count: r.moved }));
      setCheck(null);
      onSaved(r.contract);
    } catch (e) {
      setErr(e instanceof ApiCallError && e.path ? `${e.path}: ${e.message}` : (e as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const upToDate = check !== null && checkedKey === key;
  const policyIssues = issues.filter((i) => i.path.startsWith('policies'));
  const shownAtField = ['timezone', 'week', 'special', 'closed'].map((f) => `calendars.${calId}.${f}`);
  const otherIssues = issues.filter((i) => !i.path.startsWith('policies') && !shownAtField.some((p) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)));
  return (
    <section className="panel wide editor" aria-labelledby="editor-heading">
      <h2 id="editor-heading">{t('calendar.editorHeading', { agreement: contract.agreementNumber })}</h2>
      <label className="field">
        {t('calendar.pick')}
        <select value={calId} onChange={(e) => setCalId(e.target.value)}>
          {Object.entries(draft.calendars).map(([id, c]) => (
            <option key={id} value={id}>
              {String((c as { name?: string }).name ?? id)} ({id})
            </option>
          ))}
        </select>
      </label>
      {cal && (
        <div className="editor-cols">
          <div>
            <label className="field">
              {t('calendar.timezone')}
              <input value={cal.timezone} aria-invalid={issuesAt(issues, `calendars.${calId}.timezone`).length ? true : undefined} onChange={(e) => setCal({ ...cal, timezone: e.target.value })} />
              <FieldIssues issues={issuesAt(issues, `calendars.${calId}.timezone`)} />
            </label>
            <WeekEditor cal={cal} prefix={`calendars.${calId}`} issues={issues} onChange={setCal} />
            <SpecialAndClosed key={calId + String(check ? 1 : 0)} cal={cal} prefix={`calendars.${calId}`} issues={issues} onChange={setCal} />
          </div>
          <div>
            <h3>{t('calendar.preview')}</h3>
            <CalendarMonth contractId={contract.id} calendarId={calId} draft={cal} />
          </div>
        </div>
      )}
      <PolicyEditor policies={policies} calendars={Object.keys(draft.calendars)} wording={wording} issues={policyIssues} defaultPolicy={contract.defaultPolicy} onChange={setPolicies} onWording={setWording} />
      <label className="field">
        {t('calendar.criticalPolicy')}
        <select value={criticalPolicy} onChange={(e) => setCriticalPolicy(e.target.value)}>
          <option value="">{t('calendar.noCriticalPolicy')}</option>
          {Object.keys(policies).map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      {otherIssues.length > 0 && (
        <ul className="issues" role="alert">
          {otherIssues.map((i, n) => (
            <li key={n}>
              <code>{i.path}</code>: {issueText(i)}
            </li>
          ))}
        </ul>
      )}
      <div className="row">
        <button type="button" disabled={busy} onClick={() => void runCheck()}>
          {t('calendar.check')}
        </button>
        <button type="button" className="primary" disabled={busy || !upToDate || issues.length > 0} aria-busy={busy} onClick={() => void save()}>
          {t('calendar.save')}
        </button>
        <button
          type="button"
          onClick={() => {
            setDraft(clone(contract.policySet));
            setPolicies(clone(contract.policySet.policies) as PoliciesDraft);
            setWording({ ...contract.wording });
            setCheck(null);
          }}
        >
          {t('calendar.reset')}
        </button>
      </div>
      <div role="status" className="impact" data-testid="edit-impact">
        {check && issues.length === 0 ? (
          <>
            <p className={check.moved ? 'warn-box' : 'ok-text'}>{t('calendar.moves', { moved: check.moved, checked: check.checked })}</p>
            {check.examples.length > 0 && (
              <ul className="muted">
                {check.examples.map((x, i) => (
                  <li key={i}>
                    {x.caseNumber} · {t(`metric.${x.metric}`)}: {x.before !== null ? formatWhen(x.before) : '–'} → {x.after !== null ? formatWhen(x.after) : '–'}
                  </li>
                ))}
              </ul>
            )}
            {!upToDate ? <p className="muted">{t('calendar.changedSince')}</p> : null}
          </>
        ) : check ? (
          <p className="bad-text">{t('calendar.hasIssues', { count: issues.length })}</p>
        ) : null}
        {msg ? <p className="ok-text">{msg}</p> : null}
      </div>
      {err ? (
        <p role="alert" className="field-error">
          {err}
        </p>
      ) : null}
    </section>
  );
}
