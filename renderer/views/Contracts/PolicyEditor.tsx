/**
 * Contracts view, issue 5: the policies of a contract as a form (not JSON).
 * Per policy (priority / call type): name, calendar, which statuses pause
 * the clock, and the targets of specs/sla-clock.md §2–§3: response and
 * resolution "within" a duration, status callbacks "first" and "every";
 * each target's own calendar, pausable, start; the agreement's wording per
 * policy and per target. The form edits the contract-format JSON directly,
 * so a field the form does not show is kept; numbers that do not parse are
 * sent as typed and the engine's check names them (its paths are
 * `policies.<id>.targets.response.within.hours`), shown at the field.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IssueView } from '../../../core/api/desk.js';
import { FieldIssues } from '../../fields.js';
import { parseDecimal } from '../../number-text.js';
import { SLA_METRICS, WAITING_TICKET_STATUSES } from '../../../core/domain/index.js';
import type { Metric } from '../../../core/domain/index.js';
import { issuesAt } from './calendar-draft.js';
import { idIssue } from '../../../core/domain/ids.js';
import { issueText } from '../../errors.js';

type Json = Record<string, unknown>;
export type PoliciesDraft = Record<string, Json>;
export type WordingDraft = Record<string, string>;

const UNITS = ['minutes', 'hours', 'businessDays', 'nextBusinessDay'] as const;
type Unit = (typeof UNITS)[number];

const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A duration of the contract format as the form shows it: unit and amount (or cut-off). */
function durationParts(d: unknown): { unit: Unit; amount: string } {
  if (isObj(d)) {
    const k = Object.keys(d)[0];
    if (k === 'nextBusinessDay') return { unit: 'nextBusinessDay', amount: isObj(d.nextBusinessDay) ? String(d.nextBusinessDay.cutoff ?? '') : '' };
    if (k === 'minutes' || k === 'hours' || k === 'businessDays') return { unit: k, amount: d[k] === undefined || d[k] === null ? '' : String(d[k]) };
  }
  return { unit: 'hours', amount: '' };
}
/** The form's unit and amount as a duration; an amount that is not a number is kept as typed (the check reports it). */
function durationJson(unit: Unit, amount: string): Json {
  if (unit === 'nextBusinessDay') return { nextBusinessDay: { cutoff: amount } };
  const n = parseDecimal(amount);
  return { [unit]: n ?? amount };
}


function DurationField({ label, value, prefix, issues, openOnly, onChange }: { label: string; value: unknown; prefix: string; issues: IssueView[]; openOnly: boolean; onChange(d: Json): void }) {
  const { t } = useTranslation();
  const { unit, amount } = durationParts(value);
  const here = issuesAt(issues, prefix);
  const units = openOnly ? UNITS.filter((u) => u === 'minutes' || u === 'hours') : UNITS;
  return (
    <fieldset className={`duration${here.length ? ' invalid' : ''}`}>
      <legend>{label}</legend>
      <label>
        {unit === 'nextBusinessDay' ? t('policyForm.cutoff') : t('policyForm.amount')}
        <input
          value={amount}
          size={6}
          inputMode={unit === 'nextBusinessDay' ? 'text' : 'decimal'}
          aria-invalid={here.length ? true : undefined}
          onChange={(e) => onChange(durationJson(unit, e.target.value))}
        />
      </label>
      <label>
        {t('policyForm.unit')}
        <select
          value={unit}
          onChange={(e) => {
            const u = e.target.value as Unit;
            onChange(durationJson(u, u === 'nextBusinessDay' ? '16:00' : unit === 'nextBusinessDay' ? '1' : amount));
          }}
        >
          {units.map((u) => (
            <option key={u} value={u}>
              {t(`policyForm.units.${u}`)}
            </option>
          ))}
        </select>
      </label>
      <FieldIssues issues={here} />
    </fieldset>
  );
}

const DEFAULT_TARGET: Record<Metric, Json> = {
  response: { within: { hours: 4 } },
  resolution: { within: { hours: 8 } },
  update: { first: { hours: 2 }, every: { hours: 4 } },
};

function TargetEditor(props: { policyId: string; metric: Metric; target: Json | undefined; calendars: string[]; issues: IssueView[]; wording: string; onChange(t: Json | undefined): void; onWording(text: string): void }) {
  const { t } = useTranslation();
  const { policyId, metric, target, calendars, issues } = props;
  const prefix = `policies.${policyId}.targets.${metric}`;
  const name = t(`policyForm.target.${metric}`);
  const set = (patch: Json) => props.onChange({ ...(target ?? {}), ...patch });
  const drop = (key: string) => {
    const next = { ...(target ?? {}) };
    delete next[key];
    props.onChange(next);
  };
  const shown = ['within', 'first', 'every', 'calendar', 'pausable', 'startsAt'].map((k) => `${prefix}.${k}`);
  const rest = issuesAt(issues, prefix).filter((i) => !shown.some((p) => i.path === p || i.path.startsWith(`${p}.`)));
  const wordingIssues = issues.filter((i) => i.path === `wording.${policyId}.${metric}`);
  return (
    <fieldset className="target">
      <legend>{name}</legend>
      <label className="checkbox">
        <input type="checkbox" checked={target !== undefined} onChange={(e) => props.onChange(e.target.checked ? structuredClone(DEFAULT_TARGET[metric]) : undefined)} /> {t('policyForm.promised', { target: name })}
      </label>
      {target !== undefined && (
        <>
          {metric === 'update' ? (
            <>
              <DurationField label={t('policyForm.first')} value={target.first} prefix={`${prefix}.first`} issues={issues} openOnly onChange={(d) => set({ first: d })} />
              <DurationField label={t('policyForm.every')} value={target.every} prefix={`${prefix}.every`} issues={issues} openOnly onChange={(d) => set({ every: d })} />
            </>
          ) : (
            <DurationField label={t('policyForm.within')} value={target.within} prefix={`${prefix}.within`} issues={issues} openOnly={false} onChange={(d) => set({ within: d })} />
          )}
          <div className="row">
            <label>
              {t('policyForm.targetCalendar')}
              <select value={typeof target.calendar === 'string' ? target.calendar : ''} aria-invalid={issuesAt(issues, `${prefix}.calendar`).length ? true : undefined} onChange={(e) => (e.target.value ? set({ calendar: e.target.value }) : drop('calendar'))}>
                <option value="">{t('policyForm.policyCalendar')}</option>
                {calendars.map((c) => (
                  <option key={c} value={c}>
                    {c}
                  </option>
                ))}
                {typeof target.calendar === 'string' && !calendars.includes(target.calendar) ? <option value={target.calendar}>{target.calendar}</option> : null}
              </select>
              <FieldIssues issues={issuesAt(issues, `${prefix}.calendar`)} />
            </label>
            <label>
              {t('policyForm.pausable')}
              <select
                value={target.pausable === true ? 'yes' : target.pausable === false ? 'no' : ''}
                aria-invalid={issuesAt(issues, `${prefix}.pausable`).length ? true : undefined}
                onChange={(e) => (e.target.value ? set({ pausable: e.target.value === 'yes' }) : drop('pausable'))}
              >
                <option value="">{t(metric === 'response' ? 'policyForm.pausableDefaultNo' : 'policyForm.pausableDefaultYes')}</option>
                <option value="yes">{t('policyForm.pausableYes')}</option>
                <option value="no">{t('policyForm.pausableNo')}</option>
              </select>
              <FieldIssues issues={issuesAt(issues, `${prefix}.pausable`)} />
            </label>
            {metric !== 'response' && (
              <label>
                {t('policyForm.startsAt')}
                <select value={target.startsAt === 'response' ? 'response' : 'created'} onChange={(e) => (e.target.value === 'response' ? set({ startsAt: 'response' }) : drop('startsAt'))}>
                  <option value="created">{t('policyForm.startsCreated')}</option>
                  <option value="response">{t('policyForm.startsResponse')}</option>
                </select>
                <FieldIssues issues={issuesAt(issues, `${prefix}.startsAt`)} />
              </label>
            )}
          </div>
          <label className="field">
            {t('policyForm.targetWording')}
            <input value={props.wording} aria-invalid={wordingIssues.length ? true : undefined} onChange={(e) => props.onWording(e.target.value)} />
            <FieldIssues issues={wordingIssues} />
          </label>
        </>
      )}
      <FieldIssues issues={rest} />
    </fieldset>
  );
}

function PolicyFields(props: { id: string; policy: Json; calendars: string[]; issues: IssueView[]; wording: WordingDraft; onChange(p: Json): void; onWording(w: WordingDraft): void; onRemove(): void }) {
  const { t } = useTranslation();
  const { id, policy, calendars, issues, wording } = props;
  const prefix = `policies.${id}`;
  const targets = isObj(policy.targets) ? policy.targets : {};
  const pauseWhen = Array.isArray(policy.pauseWhen) ? (policy.pauseWhen as unknown[]) : [];
  const setWording = (key: string, text: string) => props.onWording({ ...wording, [key]: text });
  const shown = ['name', 'calendar', 'pauseWhen', 'targets.response', 'targets.resolution', 'targets.update'].map((k) => `${prefix}.${k}`);
  const rest = issuesAt(issues, prefix).filter((i) => !shown.some((p) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)));
  const wordingIssues = issues.filter((i) => i.path === `wording.${id}`);
  const title = t('policyForm.policy', { id });
  return (
    <fieldset className="policy" data-policy={id}>
      <legend>{title}</legend>
      <div className="row">
        <label>
          {t('policyForm.name')}
          <input value={typeof policy.name === 'string' ? policy.name : ''} onChange={(e) => props.onChange({ ...policy, name: e.target.value })} />
          <FieldIssues issues={issuesAt(issues, `${prefix}.name`)} />
        </label>
        <label>
          {t('policyForm.calendar')}
          <select value={typeof policy.calendar === 'string' ? policy.calendar : ''} aria-invalid={issuesAt(issues, `${prefix}.calendar`).length ? true : undefined} onChange={(e) => props.onChange({ ...policy, calendar: e.target.value })}>
            {typeof policy.calendar !== 'string' || !calendars.includes(policy.calendar) ? <option value={typeof policy.calendar === 'string' ? policy.calendar : ''}>{typeof policy.calendar === 'string' && policy.calendar ? policy.calendar : t('policyForm.pickCalendar')}</option> : null}
            {calendars.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          <FieldIssues issues={issuesAt(issues, `${prefix}.calendar`)} />
        </label>
      </div>
      <fieldset className="pause">
        <legend>{t('policyForm.pauseWhen')}</legend>
        {WAITING_TICKET_STATUSES.map((s) => (
          <label key={s} className="checkbox">
            <input
              type="checkbox"
              checked={pauseWhen.includes(s)}
              onChange={(e) => {
                const next = e.target.checked ? [...pauseWhen.filter((x) => x !== s), s] : pauseWhen.filter((x) => x !== s);
                const p = { ...policy, pauseWhen: next };
                if (!next.length) delete (p as Json).pauseWhen;
                props.onChange(p);
              }}
            />{' '}
            {t(`status.${s}`)}
          </label>
        ))}
        <FieldIssues issues={issuesAt(issues, `${prefix}.pauseWhen`)} />
      </fieldset>
      <label className="field">
        {t('policyForm.wording')}
        <textarea rows={2} value={wording[id] ?? ''} aria-invalid={wordingIssues.length ? true : undefined} onChange={(e) => setWording(id, e.target.value)} />
        <FieldIssues issues={wordingIssues} />
      </label>
      {SLA_METRICS.map((m) => (
        <TargetEditor
          key={m}
          policyId={id}
          metric={m}
          target={isObj(targets[m]) ? (targets[m] as Json) : undefined}
          calendars={calendars}
          issues={issues}
          wording={wording[`${id}.${m}`] ?? ''}
          onWording={(text) => setWording(`${id}.${m}`, text)}
          onChange={(tg) => {
            const next = { ...targets };
            if (tg === undefined) delete next[m];
            else next[m] = tg;
            props.onChange({ ...policy, targets: next });
          }}
        />
      ))}
      <FieldIssues issues={rest} />
      <button type="button" onClick={props.onRemove}>
        {t('policyForm.remove', { id })}
      </button>
    </fieldset>
  );
}

/** All policies of the draft: pick one to edit, add or remove policies. */
export function PolicyEditor(props: { policies: PoliciesDraft; calendars: string[]; wording: WordingDraft; issues: IssueView[]; defaultPolicy: string | null; onChange(p: PoliciesDraft): void; onWording(w: WordingDraft): void }) {
  const { t } = useTranslation();
  const { policies, calendars, issues } = props;
  const ids = Object.keys(policies);
  const [current, setCurrent] = useState(() => ids[0] ?? '');
  const [newId, setNewId] = useState('');
  const [newErr, setNewErr] = useState('');
  const id = Object.hasOwn(policies, current) ? current : (ids[0] ?? '');
  const policy = policies[id];
  // a policy's problems: its own and its wording's (`wording.<id>`, `wording.<id>.<target>`)
  const withIssues = (p: string) => issuesAt(issues, `policies.${p}`).length + issuesAt(issues, `wording.${p}`).length;
  function add() {
    const v = newId.trim();
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(v)) return setNewErr(t('policyForm.badId'));
    const bad = idIssue('', v);
    if (bad) return setNewErr(issueText(bad));
    if (Object.hasOwn(policies, v)) return setNewErr(t('policyForm.idTaken', { id: v }));
    setNewErr('');
    props.onChange({ ...policies, [v]: { name: v, calendar: calendars[0] ?? '', targets: { response: { within: { hours: 4 } } } } });
    setCurrent(v);
    setNewId('');
  }
  return (
    <section className="policy-editor" aria-labelledby="policy-editor-heading">
      <h3 id="policy-editor-heading">{t('policyForm.heading')}</h3>
      <div className="row">
        <label>
          {t('policyForm.pick')}
          <select value={id} onChange={(e) => setCurrent(e.target.value)}>
            {ids.map((p) => (
              <option key={p} value={p}>
                {typeof policies[p]?.name === 'string' ? `${policies[p]?.name as string} (${p})` : p}
                {withIssues(p) ? ` ⚠ ${t('policyForm.problems', { count: withIssues(p) })}` : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('policyForm.newId')}
          <input value={newId} onChange={(e) => setNewId(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && (e.preventDefault(), add())} aria-invalid={newErr ? true : undefined} />
        </label>
        <button type="button" onClick={add} disabled={!newId.trim()}>
          {t('policyForm.add')}
        </button>
        {newErr ? (
          <span className="field-error" role="alert">
            {newErr}
          </span>
        ) : null}
      </div>
      {ids.some((p) => p !== id && withIssues(p)) ? <p className="bad-text">{t('policyForm.otherProblems', { ids: ids.filter((p) => p !== id && withIssues(p)).join(', ') })}</p> : null}
      {policy && (
        <PolicyFields
          key={id}
          id={id}
          policy={policy}
          calendars={calendars}
          issues={issues}
          wording={props.wording}
          onWording={props.onWording}
          onChange={(p) => props.onChange({ ...policies, [id]: p })}
          onRemove={() => {
            const next = { ...policies };
            delete next[id];
            props.onChange(next);
          }}
        />
      )}
      {props.defaultPolicy && !Object.hasOwn(policies, props.defaultPolicy) ? <p className="field-error">{t('policyForm.defaultGone', { id: props.defaultPolicy })}</p> : null}
    </section>
  );
}
