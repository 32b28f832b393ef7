import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractView, TicketSummary } from '../../../core/api/desk.js';
import { formError, requestPart, useContractForm } from '../../contract-form.js';
import { Field, errorFor, issueText } from '../../fields.js';
import type { FieldError } from '../../fields.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { asFieldError, useSave } from '../../use-save.js';
import { clearDraft, loadDraft, saveDraft } from '../../intake-draft.js';
import type { Auth } from '../../intake-draft.js';
import { TICKET_CHANNELS } from '../../../core/domain/index.js';
import type { IntakeField, TicketChannel } from '../../../core/domain/index.js';
import { DeadlinePreview } from './DeadlinePreview.js';
import { IntakeMatches } from './IntakeMatches.js';
import type { Match } from './IntakeMatches.js';
import { IntakeWarranty } from '../Agreements/IntakeWarranty.js';

/** The request paths the form shows at a field. */
const FIELD_PATHS = ['supportCode', 'code', 'policy', 'channel', 'reporterName', 'reporterPhone', 'title', 'description', 'intake'];

/** What a person types about the call: those fields of `desk.register`'s request, checked by its schema before it is sent. */
const callFields = requestPart('desk.register', ['policy', 'critical', 'channel', 'reporterName', 'reporterPhone', 'title', 'description', 'intake']);
const noCall = { policy: '', critical: false, channel: 'phone' as TicketChannel, reporterName: '', reporterPhone: '', title: '', description: '', intake: {} as Record<string, string> };

/**
 * One id per call taken: desk.register answers the ticket it made for this id
 * again, so a double-click, a retry or a repeated Enter cannot make two tickets.
 */
const newIntakeId = () => crypto.randomUUID();

/**
 * Enter submits the form only from its last field; Ctrl+Enter (Cmd+Enter)
 * submits from any field. An Enter elsewhere is dropped, so a half-filled call
 * is not registered by a stray Enter in "Short title".
 */
function enterSubmitsFromLastField(e: React.KeyboardEvent<HTMLFormElement>) {
  if (e.key !== 'Enter' || e.defaultPrevented || e.nativeEvent.isComposing) return;
  const form = e.currentTarget;
  if (e.ctrlKey || e.metaKey) {
    e.preventDefault();
    const submit = form.querySelector<HTMLButtonElement>('button[type=submit]');
    if (submit && !submit.disabled) form.requestSubmit(submit);
    return;
  }
  if (!(e.target instanceof HTMLInputElement)) return; // a newline in a text area, a button's own Enter
  const fields = form.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]):not(:disabled), textarea, select');
  if (fields[fields.length - 1] !== e.target) e.preventDefault();
}

export function Intake() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const openTicket = useApp((s) => s.openTicket);
  // The call being taken comes back from the draft (a switch of views, a restart).
  const [draft] = useState(loadDraft);
  const [query, setQuery] = useState(draft?.query ?? '');
  const [contract, setContract] = useState<ContractView | null>(null);
  const [auth, setAuth] = useState<Auth | null>(draft?.auth ?? null);
  const [code, setCode] = useState('');
  const [codeOk, setCodeOk] = useState<boolean | null>(null);
  const form = useContractForm(
    callFields,
    draft
      ? {
          policy: draft.policy,
          critical: draft.critical,
          channel: draft.channel,
          reporterName: draft.reporterName,
          reporterPhone: draft.reporterPhone,
          title: draft.title,
          description: draft.description,
          intake: draft.intake,
        }
      : noCall,
  );
  const { policy, critical, channel, reporterName, reporterPhone, title, description, intake } = { ...noCall, ...form.watch() } as typeof noCall;
  const [error, setError] = useState<FieldError | null>(null);
  const [saved, setSaved] = useState<TicketSummary | null>(null);
  const [copied, setCopied] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const focusForm = useRef(false);
  const [intakeId, setIntakeId] = useState(draft?.intakeId ?? newIntakeId);
  const { busy, run } = useSave();

  // the draft's contract, loaded again (the draft is not written meanwhile)
  const [restoring, setRestoring] = useState(!!draft?.contractId && !!draft.auth);
  useEffect(() => {
    if (!draft?.contractId || !draft.auth) return;
    const auth = draft.auth;
    call('desk.contract', { contractId: draft.contractId })
      .then(
        // a contact removed meanwhile may no longer report: back to the search
        (c) => (auth.kind === 'contact' && !c.contacts.some((k) => k.id === auth.contactId) ? setAuth(null) : setContract(c)),
        () => setAuth(null),
      )
      .finally(() => setRestoring(false));
  }, [draft]);

  // every change of the call is kept until it is registered or dropped
  useEffect(() => {
    if (saved || restoring) return;
    if (!query && !contract && !title && !description && !reporterName && !reporterPhone && !Object.keys(intake).length) return clearDraft();
    saveDraft({ intakeId, query, contractId: contract?.id ?? null, auth: contract ? auth : null, policy, critical, channel, reporterName, reporterPhone, title, description, intake });
  }, [saved, restoring, intakeId, query, contract, auth, policy, critical, channel, reporterName, reporterPhone, title, description, intake]);

  // after a pick, the focus goes to the form's first field (the support code, or the call type)
  useEffect(() => {
    if (!contract || !focusForm.current) return;
    focusForm.current = false;
    formRef.current?.querySelector<HTMLElement>('input:not(:disabled), select:not(:disabled), textarea')?.focus();
  }, [contract]);

  // A critical fault gets the contract's critical policy (desk.register does the same).
  const criticalPolicy = contract?.criticalPolicy ?? null;
  const clockPolicy = critical && criticalPolicy ? criticalPolicy : policy;

  async function choose(m: Match) {
    const c = await call('desk.contract', { contractId: m.contractId });
    focusForm.current = true;
    setContract(c);
    setAuth(m.auth);
    setCode('');
    setCodeOk(null);
    form.setValue('policy', c.defaultPolicy ?? c.policies[0]?.id ?? '');
    form.clearErrors();
    setError(null);
    if (m.auth.kind === 'contact') {
      form.setValue('reporterName', m.auth.name);
      form.setValue('reporterPhone', m.phone ?? '');
    } else if (/^[+\d\s().-]+$/.test(query.trim())) form.setValue('reporterPhone', query.trim());
  }

  async function verify() {
    if (!contract) return;
    try {
      const r = await call('desk.verifySupportCode', { contractId: contract.id, code });
      setCodeOk(r.valid);
      setError(null);
    } catch (e) {
      setError(asFieldError(e));
    }
  }

  const save = form.handleSubmit((values) =>
    run(async () => {
      if (!contract || !auth) return;
      setError(null);
      try {
        const r = await call('desk.register', {
          ...values,
          intakeId,
          customerId: contract.customerId,
          contractId: contract.id,
          critical: values.critical && !!criticalPolicy,
          authorisedBy: auth.kind === 'contact' ? 'contact' : 'support_code',
          contactId: auth.kind === 'contact' ? auth.contactId : null,
          supportCode: auth.kind === 'code' ? code : null,
          assignee: me || null,
          author: me || null,
        });
        setSaved(r.ticket);
        clearDraft();
      } catch (e) {
        setError(asFieldError(e));
      }
    }),
  );

  function reset() {
    clearDraft();
    setIntakeId(newIntakeId());
    setQuery('');
    setContract(null);
    setAuth(null);
    setSaved(null);
    form.reset(noCall);
    setCopied(false);
    setTimeout(() => searchRef.current?.focus(), 0);
  }

  if (saved) {
    return (
      <section className="panel" aria-labelledby="saved-heading">
        <h2 id="saved-heading">{t('intake.saved')}</h2>
        <p className="case-number" data-testid="case-number" aria-label={t('intake.caseNumber')}>
          {saved.caseNumber}
        </p>
        <div className="row">
          <button
            type="button"
            onClick={() => {
              void navigator.clipboard?.writeText(saved.caseNumber).then(
                () => setCopied(true),
                () => setCopied(false),
              );
            }}
          >
            {t('intake.copy')}
          </button>
          <span role="status">{copied ? t('intake.copied') : ''}</span>
          <button type="button" onClick={() => openTicket(saved.id)}>
            {t('intake.openTicket')}
          </button>
          <button type="button" autoFocus onClick={reset}>
            {t('intake.next')}
          </button>
        </div>
      </section>
    );
  }

  // The contract's required fields are marked in their labels (and aria-required).
  const needs = (f: IntakeField) => !!contract?.intakeFields.includes(f);
  const requiredLabel = (key: string, f: IntakeField) => (needs(f) ? `${t(key)} ${t('intake.required')}` : t(key));
  // the problems no field shows (e.g. `critical`, `contactId`), under the form
  const fieldErr = (name: string, ...paths: string[]) => formError(form.formState.errors, name, error, ...paths);
  const unplaced = (error?.issues?.length ? error.issues : error ? [{ path: error.path ?? '', message: error.message }] : [])
    .filter((i) => !errorFor({ message: '', issues: [i] }, ...FIELD_PATHS))
    .map(issueText);
  const maySave = !!contract && !!auth && (auth.kind === 'contact' || codeOk === true) && !!policy;

  return (
    <section className="panel intake" aria-labelledby="intake-heading">
      <h2 id="intake-heading">{t('intake.heading')}</h2>
      {!contract && <IntakeMatches query={query} setQuery={setQuery} onPick={(m) => void choose(m)} inputRef={searchRef} label={t('intake.caller')} hint={t('intake.callerHint')} />}
      {contract && auth && (
        <form
          ref={formRef}
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
          onKeyDown={enterSubmitsFromLastField}
          aria-label={t('intake.form')}
        >
          <p className="contract-line">
            <strong>{contract.customerName}</strong> · {contract.agreementNumber} {contract.name ? `· ${contract.name}` : ''}{' '}
            <button type="button" onClick={reset}>
              {t('intake.change')}
            </button>
          </p>
          {auth.kind === 'contact' ? (
            <p role="status" className="ok-text">
              {t('intake.authorised', { name: auth.name })}
            </p>
          ) : (
            <div className="code-check">
              <p>{contract.hasSupportCode ? t('intake.askCode') : t('intake.noCode')}</p>
              <Field label={t('intake.supportCode')} error={errorFor(error, 'supportCode', 'code')}>
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    value={code}
                    onChange={(e) => {
                      setCode(e.target.value);
                      setCodeOk(null);
                    }}
                    onKeyDown={(e) => {
                      if (e.key === 'Enter') {
                        e.preventDefault();
                        void verify();
                      }
                    }}
                    autoComplete="off"
                  />
                )}
              </Field>
              <button type="button" onClick={() => void verify()} disabled={!code}>
                {t('intake.verify')}
              </button>
              <p role="status" className={codeOk === true ? 'ok-text' : codeOk === false ? 'bad-text' : ''} data-testid="code-result">
                {codeOk === true ? t('intake.codeOk') : codeOk === false ? t('intake.codeBad') : t('intake.mayNotYet')}
              </p>
            </div>
          )}
          <div className="grid2">
            <Field label={t('intake.policy')} error={fieldErr('policy')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} value={clockPolicy} disabled={critical && !!criticalPolicy} onChange={(e) => form.setValue('policy', e.target.value)}>
                  {contract.policies.map((p) => (
                    <option key={p.id} value={p.id}>
                      {p.name}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <div className="field checkbox">
              <label>
                <input
                  type="checkbox"
                  checked={critical && !!criticalPolicy}
                  disabled={!criticalPolicy}
                  aria-describedby="intake-critical-hint"
                  onChange={(e) => form.setValue('critical', e.target.checked)}
                />{' '}
                {t('intake.critical')}
              </label>
              <small id="intake-critical-hint" className="hint">
                {criticalPolicy ? t('intake.criticalGets', { policy: contract.policies.find((p) => p.id === criticalPolicy)?.name ?? criticalPolicy }) : t('intake.noCriticalPolicy')}
              </small>
            </div>
            <Field label={t('intake.channel')} error={fieldErr('channel')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} {...form.register('channel')}>
                  {TICKET_CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`channel.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <DeadlinePreview contractId={contract.id} policy={clockPolicy} criticalPolicy={criticalPolicy} />
          <div className="grid2">
            <Field label={requiredLabel('intake.reporterName', 'reporter_name')} error={fieldErr('reporterName', 'reporterName', 'intake.reporter_name')}>
              {(id, d) => (
                <input
                  id={id}
                  aria-describedby={d}
                  aria-required={needs('reporter_name')}
                  aria-invalid={!!fieldErr('reporterName', 'reporterName', 'intake.reporter_name')}
                  {...form.register('reporterName')}
                />
              )}
            </Field>
            <Field label={requiredLabel('intake.reporterPhone', 'mobile_number')} error={fieldErr('reporterPhone', 'reporterPhone', 'intake.mobile_number')}>
              {(id, d) => (
                <input
                  id={id}
                  type="tel"
                  autoComplete="tel"
                  aria-describedby={d}
                  aria-required={needs('mobile_number')}
                  aria-invalid={!!fieldErr('reporterPhone', 'reporterPhone', 'intake.mobile_number')}
                  {...form.register('reporterPhone')}
                />
              )}
            </Field>
          </div>
          <Field label={t('intake.title')} error={fieldErr('title')}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!fieldErr('title')} {...form.register('title')} />}
          </Field>
          <Field label={requiredLabel('intake.description', 'fault_description')} error={fieldErr('description', 'description', 'intake.fault_description')}>
            {(id, d) => (
              <textarea
                id={id}
                className="long-text"
                aria-describedby={d}
                aria-required={needs('fault_description')}
                aria-invalid={!!fieldErr('description', 'description', 'intake.fault_description')}
                rows={3}
                {...form.register('description')}
              />
            )}
          </Field>
          {contract.intakeFields
            .filter((f) => f !== 'fault_description' && f !== 'reporter_name' && f !== 'mobile_number')
            .map((f) => (
              <Field key={f} label={`${t(`intakeField.${f}`)} ${t('intake.required')}`} error={fieldErr(`intake.${f}`)}>
                {(id, d) => (
                  <input
                    id={id}
                    aria-describedby={d}
                    aria-required="true"
                    aria-invalid={!!fieldErr(`intake.${f}`)}
                    value={intake[f] ?? ''}
                    onChange={(e) => form.setValue('intake', { ...intake, [f]: e.target.value })}
                  />
                )}
              </Field>
            ))}
          <IntakeWarranty contractId={contract.id} asked={contract.intakeFields} intake={intake} setIntake={(v) => form.setValue('intake', v)} />
          {unplaced.length > 0 && (
            <p role="alert" className="bad-text">
              {unplaced.join(' ')}
            </p>
          )}
          <button type="submit" className="primary" disabled={!maySave || busy} aria-busy={busy} aria-keyshortcuts="Control+Enter">
            {t('intake.save')}
          </button>
        </form>
      )}
    </section>
  );
}
