/**
 * Contracts view, issue 5 §5: the calendar/policy editor (the month view is
 * CalendarMonth.tsx, the day fields CalendarDays.tsx). Night shifts may be entered as one interval
 * crossing midnight (22:00–06:00 on Monday); the services split them over the
 * two days (what the contract format stores) and the editor shows the split
 * after "Check changes". Before saving, the editor says how many open
 * tickets' deadlines the change moves. Problems are shown at their field.
 * The calendars, policies, wording and critical policy are a react-hook-form
 * form on `desk.updateContract`'s request (renderer/contract-form.ts): "Check
 * changes" and "Save" first check them with that method's zod schema (ids,
 * the wording's length) and show its problems at their fields, sending
 * nothing; then the services' review (`desk.checkContractEdit`, the engine's
 * check of the contract format) answers, its problems at the same fields.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractEditCheck, ContractView, IssueView, PolicySetJson } from '../../../core/api/desk.js';
import { requestPart, useContractForm } from '../../contract-form.js';
import { FieldIssues, issueText } from '../../fields.js';
import { formatWhen } from '../../format.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';
import { PolicyEditor } from './PolicyEditor.js';
import type { PoliciesDraft, WordingDraft } from './PolicyEditor.js';
import { clone, issuesAt } from './calendar-draft.js';
import type { CalendarDraft } from './calendar-draft.js';
import { CalendarMonth } from './CalendarMonth.js';
import { SpecialAndClosed, WeekEditor } from './CalendarDays.js';

/** What the editor edits: those fields of `desk.updateContract`'s request, checked by its schema before anything is sent. */
const edit = requestPart('desk.updateContract', ['policySet', 'wording', 'criticalPolicy']);
interface EditValues {
  policySet: PolicySetJson;
  wording: WordingDraft;
  criticalPolicy: string | null;
}
const stored = (c: ContractView): EditValues => ({ policySet: clone(c.policySet), wording: { ...c.wording }, criticalPolicy: c.criticalPolicy ?? null });

/** Editor of a contract's calendars and policies, with the "moves N tickets" check before saving. */
export function ContractEditor({ contract, onSaved }: { contract: ContractView; onSaved(c: ContractView): void }) {
  const { t } = useTranslation();
  const form = useContractForm(edit, stored(contract));
  const values = form.watch() as EditValues;
  const { policySet: draft, wording, criticalPolicy } = values;
  const policies = draft.policies as PoliciesDraft;
  const { errors, submitCount } = form.formState;
  const [calId, setCalId] = useState(() => Object.keys(contract.policySet.calendars)[0] ?? '');
  const [check, setCheck] = useState<ContractEditCheck | null>(null);
  const [checkedKey, setCheckedKey] = useState('');
  const [msg, setMsg] = useState('');
  const { err, busy, run } = useSave();
  const keyOf = (v: EditValues) => JSON.stringify([v.policySet.calendars, v.policySet.policies, v.wording, v.criticalPolicy]);
  const key = keyOf(values);
  /** A change to the form; once checked, the schema's problems follow it (a fixed field's error goes). */
  const change = <K extends keyof EditValues>(name: K, value: EditValues[K]) => {
    form.setValue(name, value as never, { shouldDirty: true });
    if (submitCount > 0) void form.trigger();
  };
  // The schema's problems (at the request's paths, `policySet.` dropped to the review's), then the services' review.
  const formIssues: IssueView[] = Object.entries(errors).map(([path, e]) => ({ path: path.replace(/^policySet\./, ''), message: String((e as { message?: unknown } | undefined)?.message ?? '') }));
  const reviewIssues = check?.issues ?? [];
  const issues = [...formIssues, ...reviewIssues];
  const cal = draft.calendars[calId] as CalendarDraft | undefined;
  const setCal = (c: CalendarDraft) => change('policySet', { ...draft, calendars: { ...draft.calendars, [calId]: c } });

  const runCheck = form.handleSubmit((v) =>
    run(async () => {
      setMsg('');
      const r = await call('desk.checkContractEdit', { contractId: contract.id, policySet: v.policySet as PolicySetJson });
      setCheck(r);
      // show what would be stored: night shifts split over midnight (policies are stored as given)
      const shown = { ...values, policySet: { calendars: r.policySet.calendars, policies } };
      form.setValue('policySet', shown.policySet);
      setCheckedKey(keyOf(shown));
    }),
  );

  const save = form.handleSubmit((v) =>
    run(async () => {
      // the wording and the critical policy only when edited (stored apart from the policies)
      const wordingChanged = JSON.stringify(wording) !== JSON.stringify(contract.wording);
      const criticalChanged = (criticalPolicy ?? '') !== (contract.criticalPolicy ?? '');
      const r = await call('desk.updateContract', {
        contractId: contract.id,
        policySet: v.policySet as PolicySetJson,
        version: contract.version,
        ...(wordingChanged ? { wording: v.wording } : {}),
        ...(criticalChanged ? { criticalPolicy: v.criticalPolicy ?? null } : {}),
      });
      setMsg(t('calendar.saved', { count: r.moved }));
      setCheck(null);
      onSaved(r.contract);
    }),
  );

  const upToDate = check !== null && checkedKey === key;
  const policyIssues = issues.filter((i) => i.path.startsWith('policies') || i.path.startsWith('wording'));
  const shownAtField = ['timezone', 'week', 'special', 'closed'].map((f) => `calendars.${calId}.${f}`);
  const otherIssues = issues.filter((i) => !policyIssues.includes(i) && !shownAtField.some((p) => i.path === p || i.path.startsWith(`${p}.`) || i.path.startsWith(`${p}[`)));
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
      <PolicyEditor policies={policies} calendars={Object.keys(draft.calendars)} wording={wording} issues={policyIssues} defaultPolicy={contract.defaultPolicy} onChange={(p) => change('policySet', { ...draft, policies: p })} onWording={(w) => change('wording', w)} />
      <label className="field">
        {t('calendar.criticalPolicy')}
        <select value={criticalPolicy ?? ''} onChange={(e) => change('criticalPolicy', e.target.value || null)}>
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
            form.reset(stored(contract));
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
          {err.path ? `${err.path}: ${err.message}` : err.message}
        </p>
      ) : null}
    </section>
  );
}
