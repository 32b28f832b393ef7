import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallerView, ContractView, CustomerView, DeskChannel, DeskIntakeField, IntakePreview, TicketSummary } from '../../core/api/desk.js';
import { Field, errorFor } from '../fields.js';
import type { FieldError } from '../fields.js';
import { formatMinutes, formatWhen } from '../format.js';
import { useApp } from '../store.js';
import { call } from '../transport.js';
import { asFieldError, useSave } from '../use-save.js';

const CHANNELS: DeskChannel[] = ['phone', 'email', 'web', 'letter', 'onsite', 'other'];

type Auth = { kind: 'contact'; contactId: string; name: string } | { kind: 'code' };

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
  const [query, setQuery] = useState('');
  const [found, setFound] = useState<{ callers: CallerView[]; customers: CustomerView[] } | null>(null);
  const [contract, setContract] = useState<ContractView | null>(null);
  const [auth, setAuth] = useState<Auth | null>(null);
  const [code, setCode] = useState('');
  const [codeOk, setCodeOk] = useState<boolean | null>(null);
  const [policy, setPolicy] = useState('');
  const [critical, setCritical] = useState(false);
  const [channel, setChannel] = useState<DeskChannel>('phone');
  const [reporterName, setReporterName] = useState('');
  const [reporterPhone, setReporterPhone] = useState('');
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [intake, setIntake] = useState<Record<string, string>>({});
  const [preview, setPreview] = useState<IntakePreview | null>(null);
  const [error, setError] = useState<FieldError | null>(null);
  const [saved, setSaved] = useState<TicketSummary | null>(null);
  const [copied, setCopied] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const [intakeId, setIntakeId] = useState(newIntakeId);
  const { busy, run } = useSave();

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setFound(null);
      return;
    }
    const timer = setTimeout(() => {
      call('desk.lookup', { query: q })
        .then(setFound)
        .catch(() => setFound({ callers: [], customers: [] }));
    }, 150);
    return () => clearTimeout(timer);
  }, [query]);

  // A critical fault gets the contract's critical policy (desk.register does the same).
  const criticalPolicy = contract?.criticalPolicy ?? null;
  const clockPolicy = critical && criticalPolicy ? criticalPolicy : policy;

  useEffect(() => {
    if (!contract || !clockPolicy) {
      setPreview(null);
      return;
    }
    let live = true;
    const load = () =>
      call('desk.preview', { contractId: contract.id, policy: clockPolicy })
        .then((p) => live && setPreview(p))
        .catch(() => live && setPreview(null));
    void load();
    const id = setInterval(load, 30_000);
    return () => {
      live = false;
      clearInterval(id);
    };
  }, [contract, clockPolicy]);

  async function choose(contractId: string, a: Auth, phone?: string | null) {
    const c = await call('desk.contract', { contractId });
    setContract(c);
    setAuth(a);
    setCode('');
    setCodeOk(null);
    setPolicy(c.defaultPolicy ?? c.policies[0]?.id ?? '');
    setError(null);
    if (a.kind === 'contact') {
      setReporterName(a.name);
      setReporterPhone(phone ?? '');
    } else if (/^[+\d\s().-]+$/.test(query.trim())) setReporterPhone(query.trim());
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

  const save = () =>
    run(async () => {
      if (!contract || !auth) return;
      setError(null);
      try {
        const r = await call('desk.register', {
          intakeId,
          customerId: contract.customerId,
          contractId: contract.id,
          policy,
          critical: critical && !!criticalPolicy,
          channel,
          authorisedBy: auth.kind === 'contact' ? 'contact' : 'support_code',
          contactId: auth.kind === 'contact' ? auth.contactId : null,
          supportCode: auth.kind === 'code' ? code : null,
          reporterName: reporterName || null,
          reporterPhone: reporterPhone || null,
          title: title || null,
          description: description || null,
          intake,
          assignee: me || null,
          author: me || null,
        });
        setSaved(r.ticket);
      } catch (e) {
        setError(asFieldError(e));
      }
    });

  function reset() {
    setIntakeId(newIntakeId());
    setQuery('');
    setFound(null);
    setContract(null);
    setAuth(null);
    setSaved(null);
    setTitle('');
    setDescription('');
    setIntake({});
    setCritical(false);
    setReporterName('');
    setReporterPhone('');
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
              void navigator.clipboard?.writeText(saved.caseNumber).then(() => setCopied(true), () => setCopied(false));
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
  const needs = (f: DeskIntakeField) => !!contract?.intakeFields.includes(f);
  const requiredLabel = (key: string, f: DeskIntakeField) => (needs(f) ? `${t(key)} ${t('intake.required')}` : t(key));
  const maySave = !!contract && !!auth && (auth.kind === 'contact' || codeOk === true) && !!policy;
  const closedNow = preview && !preview.open;

  return (
    <section className="panel intake" aria-labelledby="intake-heading">
      <h2 id="intake-heading">{t('intake.heading')}</h2>
      <Field label={t('intake.caller')} hint={t('intake.callerHint')}>
        {(id, d) => <input id={id} ref={searchRef} aria-describedby={d} type="search" autoFocus value={query} onChange={(e) => setQuery(e.target.value)} autoComplete="off" />}
      </Field>
      {found && !contract && (
        <div aria-label={t('intake.matches')} role="group" className="matches">
          {found.callers.length === 0 && found.customers.length === 0 && <p role="status">{t('intake.noMatch')}</p>}
          <ul>
            {found.callers.map((c) => (
              <li key={`${c.contact.id}`}>
                <button type="button" onClick={() => void choose(c.contract.id, { kind: 'contact', contactId: c.contact.id, name: c.contact.name }, c.contact.phone)}>
                  {t('intake.contactMatch', { name: c.contact.name, role: c.contact.role ?? '', customer: c.contract.customerName, agreement: c.contract.agreementNumber })}
                </button>
              </li>
            ))}
            {found.customers.flatMap((cu) =>
              cu.contracts.map((k) => (
                <li key={k.id}>
                  <button type="button" onClick={() => void choose(k.id, { kind: 'code' })}>
                    {t('intake.contractMatch', { customer: cu.name, agreement: k.agreementNumber })}
                  </button>
                </li>
              )),
            )}
          </ul>
        </div>
      )}
      {contract && auth && (
        <form
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
            <Field label={t('intake.policy')} error={errorFor(error, 'policy')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} value={clockPolicy} disabled={critical && !!criticalPolicy} onChange={(e) => setPolicy(e.target.value)}>
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
                <input type="checkbox" checked={critical && !!criticalPolicy} disabled={!criticalPolicy} aria-describedby="intake-critical-hint" onChange={(e) => setCritical(e.target.checked)} />{' '}
                {t('intake.critical')}
              </label>
              <small id="intake-critical-hint" className="hint">
                {criticalPolicy
                  ? t('intake.criticalGets', { policy: contract.policies.find((p) => p.id === criticalPolicy)?.name ?? criticalPolicy })
                  : t('intake.noCriticalPolicy')}
              </small>
            </div>
            <Field label={t('intake.channel')} error={errorFor(error, 'channel')}>
              {(id, d) => (
                <select id={id} aria-describedby={d} value={channel} onChange={(e) => setChannel(e.target.value as DeskChannel)}>
                  {CHANNELS.map((c) => (
                    <option key={c} value={c}>
                      {t(`channel.${c}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          {preview && (
            <section aria-label={t('intake.deadlines')} className="preview">
              {closedNow && (
                <p role="alert" className="warn-box">
                  {t(criticalPolicy ? 'intake.closedNow' : 'intake.closedNoCritical', { opens: preview.opensAt ? formatWhen(preview.opensAt, preview.timezone) : t('intake.never') })}
                </p>
              )}
              <ul>
                {preview.targets.map((x) => (
                  <li key={x.metric} data-testid={`preview-${x.metric}`}>
                    {x.dueAt !== null
                      ? t(`intake.due.${x.metric}`, { when: formatWhen(x.dueAt, x.timezone), left: formatMinutes(x.businessMinutesLeft ?? 0) })
                      : t('intake.noDeadline', { metric: t(`metric.${x.metric}`) })}
                    {x.wording && <q className="wording">{x.wording}</q>}
                  </li>
                ))}
              </ul>
            </section>
          )}
          <div className="grid2">
            <Field label={requiredLabel('intake.reporterName', 'reporter_name')} error={errorFor(error, 'reporterName', 'intake.reporter_name')}>
              {(id, d) => (
                <input id={id} aria-describedby={d} aria-required={needs('reporter_name')} aria-invalid={!!errorFor(error, 'reporterName', 'intake.reporter_name')} value={reporterName} onChange={(e) => setReporterName(e.target.value)} />
              )}
            </Field>
            <Field label={requiredLabel('intake.reporterPhone', 'mobile_number')} error={errorFor(error, 'reporterPhone', 'intake.mobile_number')}>
              {(id, d) => (
                <input
                  id={id}
                  type="tel"
                  autoComplete="tel"
                  aria-describedby={d}
                  aria-required={needs('mobile_number')}
                  aria-invalid={!!errorFor(error, 'reporterPhone', 'intake.mobile_number')}
                  value={reporterPhone}
                  onChange={(e) => setReporterPhone(e.target.value)}
                />
              )}
            </Field>
          </div>
          <Field label={t('intake.title')} error={errorFor(error, 'title')}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!errorFor(error, 'title')} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <Field label={requiredLabel('intake.description', 'fault_description')} error={errorFor(error, 'description', 'intake.fault_description')}>
            {(id, d) => (
              <textarea
                id={id}
                className="long-text"
                aria-describedby={d}
                aria-required={needs('fault_description')}
                aria-invalid={!!errorFor(error, 'description', 'intake.fault_description')}
                rows={3}
                value={description}
                onChange={(e) => setDescription(e.target.value)}
              />
            )}
          </Field>
          {contract.intakeFields
            .filter((f) => f !== 'fault_description' && f !== 'reporter_name' && f !== 'mobile_number')
            .map((f) => (
              <Field key={f} label={`${t(`intakeField.${f}`)} ${t('intake.required')}`} error={errorFor(error, `intake.${f}`)}>
                {(id, d) => (
                  <input id={id} aria-describedby={d} aria-required="true" aria-invalid={!!errorFor(error, `intake.${f}`)} value={intake[f] ?? ''} onChange={(e) => setIntake({ ...intake, [f]: e.target.value })} />
                )}
              </Field>
            ))}
          {error && !errorFor(error, 'supportCode', 'code', 'policy', 'channel', 'reporterName', 'reporterPhone', 'title', 'description', 'intake') && (
            <p role="alert" className="bad-text">
              {error.message}
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
