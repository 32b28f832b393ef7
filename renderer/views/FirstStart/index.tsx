/**
 * The first start (issue 15 item 6): an app with no contract offers to import a
 * contract file, to start from a shipped template (with a customer form, as
 * templates hold no customer) or to connect to a sync server.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractTemplate, IssueView } from '../../../core/api/desk.js';
import { Field, issueText } from '../../fields.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';

type Source = { kind: 'template'; template: ContractTemplate } | { kind: 'file'; name: string; file: Record<string, unknown> };

/** The first problem at the paths, in the user's language. */
function at(issues: IssueView[], ...paths: string[]): string | null {
  const i = issues.find((x) => paths.some((p) => x.path === p || x.path.startsWith(`${p}.`)));
  return i ? issueText(i) : null;
}

function Issues({ issues }: { issues: IssueView[] }) {
  const { t } = useTranslation();
  if (!issues.length) return null;
  return (
    <ul role="alert" className="issues">
      {issues.map((i, n) => (
        <li key={n}>
          <code>{i.path || t('contracts.root')}</code>: {issueText(i)}
        </li>
      ))}
    </ul>
  );
}

/** The customer form around a contract-only file: the customer and agreement number the file lacks. */
function CustomerForSource({ source, onDone }: { source: Source; onDone(agreement: string): void }) {
  const { t } = useTranslation();
  const file = source.kind === 'template' ? source.template.file : source.file;
  const [customer, setCustomer] = useState('');
  const [org, setOrg] = useState('');
  const [agreement, setAgreement] = useState('');
  const [name, setName] = useState(source.kind === 'template' ? '' : typeof file.name === 'string' ? file.name : '');
  const [issues, setIssues] = useState<IssueView[]>([]);
  const [busy, setBusy] = useState(false);

  async function submit() {
    setBusy(true);
    try {
      const merged = { ...file, customer: { name: customer, ...(org.trim() ? { orgNumber: org } : {}) }, agreementNumber: agreement, ...(name.trim() ? { name } : {}) };
      if (!name.trim()) delete (merged as Record<string, unknown>).name;
      const r = await call('desk.importContract', { file: merged });
      if (r.imported) onDone(agreement.trim());
      else setIssues(r.issues);
    } finally {
      setBusy(false);
    }
  }
  const shown = ['customer', 'agreementNumber', 'name'];
  const rest = issues.filter((i) => !shown.some((p) => i.path === p || i.path.startsWith(`${p}.`)));
  return (
    <form
      className="start-form"
      aria-label={t('start.customerForm')}
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <Field label={t('start.customerName')} error={at(issues, 'customer.name', 'customer')}>
        {(id, d) => <input id={id} aria-describedby={d} value={customer} required onChange={(e) => setCustomer(e.target.value)} />}
      </Field>
      <Field label={t('start.orgNumber')} error={at(issues, 'customer.orgNumber')}>
        {(id, d) => <input id={id} aria-describedby={d} value={org} onChange={(e) => setOrg(e.target.value)} />}
      </Field>
      <Field label={t('start.agreementNumber')} error={at(issues, 'agreementNumber')} hint={t('start.agreementHint')}>
        {(id, d) => <input id={id} aria-describedby={d} value={agreement} required onChange={(e) => setAgreement(e.target.value)} />}
      </Field>
      <Field label={t('start.contractName')} error={at(issues, 'name')}>
        {(id, d) => <input id={id} aria-describedby={d} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <Issues issues={rest} />
      <button type="submit" className="primary" disabled={busy}>
        {t('start.create')}
      </button>
    </form>
  );
}

export function FirstStart({ onConnect }: { onConnect(): void }) {
  const { t } = useTranslation();
  const setView = useApp((s) => s.setView);
  const [templates, setTemplates] = useState<ContractTemplate[]>([]);
  const [templateId, setTemplateId] = useState('');
  const [source, setSource] = useState<Source | null>(null);
  const [issues, setIssues] = useState<IssueView[]>([]);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    void call('desk.templates', {}).then((r) => setTemplates(r.templates));
  }, []);

  async function importFile(name: string, text: string) {
    setIssues([]);
    setSource(null);
    let file: unknown;
    try {
      file = JSON.parse(text);
    } catch (e) {
      setIssues([{ path: '', message: t('contracts.notJson', { name, message: (e as Error).message }) }]);
      return;
    }
    const o = file && typeof file === 'object' && !Array.isArray(file) ? (file as Record<string, unknown>) : null;
    // A contract-only file (a template) gets the customer form; a full contract file imports as it is.
    if (o && o.customer === undefined && o.agreementNumber === undefined) return setSource({ kind: 'file', name, file: o });
    const r = await call('desk.importContract', { file });
    if (r.imported) setDone(String((o ?? {}).agreementNumber ?? name));
    else setIssues(r.issues);
  }

  if (done !== null)
    return (
      <section className="panel start" aria-labelledby="start-heading">
        <h2 id="start-heading">{t('start.heading')}</h2>
        <p role="status">{t('start.imported', { agreement: done })}</p>
        <div className="row">
          <button type="button" className="primary" onClick={() => setView('intake')}>
            {t('start.takeCall')}
          </button>
          <button type="button" onClick={() => setView('contracts')}>
            {t('start.openContracts')}
          </button>
        </div>
      </section>
    );

  const template = templates.find((x) => x.id === templateId) ?? null;
  return (
    <section className="panel start" aria-labelledby="start-heading">
      <h2 id="start-heading">{t('start.heading')}</h2>
      <p>{t('start.intro')}</p>
      <div className="start-options">
        <section aria-labelledby="start-import">
          <h3 id="start-import">{t('start.import')}</h3>
          <p className="muted">{t('start.importHint')}</p>
          <label className="field">
            {t('contracts.file')}
            <input
              type="file"
              accept=".json,application/json"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void f.text().then((text) => importFile(f.name, text));
                e.target.value = '';
              }}
            />
          </label>
          <Issues issues={issues} />
          {source?.kind === 'file' && (
            <>
              <p>{t('start.fileNeedsCustomer', { name: source.name })}</p>
              <CustomerForSource key={source.name} source={source} onDone={setDone} />
            </>
          )}
        </section>
        <section aria-labelledby="start-template">
          <h3 id="start-template">{t('start.template')}</h3>
          <label className="field">
            {t('start.templateLabel')}
            <select
              value={templateId}
              onChange={(e) => {
                setTemplateId(e.target.value);
                setSource(null);
              }}
            >
              <option value="">{t('start.pickTemplate')}</option>
              {templates.map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name}
                </option>
              ))}
            </select>
          </label>
          {template && (
            <>
              {template.description && <p className="muted">{template.description}</p>}
              <CustomerForSource key={template.id} source={{ kind: 'template', template }} onDone={setDone} />
            </>
          )}
        </section>
        <section aria-labelledby="start-server">
          <h3 id="start-server">{t('start.server')}</h3>
          <p className="muted">{t('start.serverHint')}</p>
          <button type="button" onClick={onConnect}>
            {t('start.connect')}
          </button>
        </section>
      </div>
    </section>
  );
}
