/**
 * Contracts view, issue 5 §5: the calendar/policy editor (the month view is
 * CalendarMonth.tsx, the day fields CalendarDays.tsx). Night shifts may be entered as one interval
 * crossing midnight (22:00–06:00 on Monday); the services split them over the
 * two days (what the contract format stores) and the editor shows the split
 * after "Check changes". Before saving, the editor says how many open
 * tickets' deadlines the change moves. Problems are shown at their field.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractEditCheck, ContractView, PolicySetJson } from '../../../core/api/desk.js';
import { FieldIssues, issueText } from '../../fields.js';
import { formatWhen } from '../../format.js';
import { ApiCallError, call } from '../../transport.js';
import { PolicyEditor } from './PolicyEditor.js';
import type { PoliciesDraft, WordingDraft } from './PolicyEditor.js';
import { clone, issuesAt } from './calendar-draft.js';
import type { CalendarDraft } from './calendar-draft.js';
import { CalendarMonth } from './CalendarMonth.js';
import { SpecialAndClosed, WeekEditor } from './CalendarDays.js';

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
