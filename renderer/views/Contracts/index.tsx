import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractView, CustomerView, IssueView } from '../../../core/api/desk.js';
import { issueText } from '../../fields.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';
import { useMay } from '../../role.js';
import { ContractEditor } from './CalendarEditor.js';
import { CalendarMonth } from './CalendarMonth.js';
import { ContactsEditor, CustomerForm, NewContractForm, SupportCodeForm } from './CustomerForms.js';
import { MaintenancePanel } from '../Maintenance/MaintenancePanel.js';
import { SectionsEditor } from '../Agreements/SectionsEditor.js';

export function Contracts() {
  const mayContract = useMay('record.put:contract');
  const { t } = useTranslation();
  const [customers, setCustomers] = useState<CustomerView[]>([]);
  const [selected, setSelected] = useState<ContractView | null>(null);
  const [issues, setIssues] = useState<IssueView[] | null>(null);
  const [msg, setMsg] = useState('');
  const [paste, setPaste] = useState('');
  const [calId, setCalId] = useState('');
  const [editing, setEditing] = useState(false);
  /** The customer form open: 'new', or the id of the customer edited; `contract:<id>` is the new-contract form of a customer. */
  const [form, setForm] = useState<string | null>(null);
  const [formMsg, setFormMsg] = useState('');
  const select = (c: ContractView) => {
    setSelected(c);
    setCalId((id) => (id && id in c.calendars ? id : (Object.keys(c.calendars)[0] ?? '')));
  };

  const load = async () => setCustomers((await call('desk.customers', {})).customers);
  const reloadSelected = async () => {
    if (!selected) return;
    select(await call('desk.contract', { contractId: selected.id }));
    await load();
  };
  const allContracts = customers.flatMap((cu) => cu.contracts);
  useEffect(() => {
    void load();
  }, []);
  // Customers and contracts registered on another device arrive by sync: the list follows (an open editor is left alone).
  useEventReload(['records.changed'], () => void load());

  const importing = useSave();
  const importText = (text: string, name: string) =>
    importing.run(async () => {
      setIssues(null);
      setMsg('');
      let file: unknown;
      try {
        file = JSON.parse(text);
      } catch (e) {
        setIssues([{ path: '', message: t('contracts.notJson', { name, message: (e as Error).message }) }]);
        return;
      }
      const r = await call('desk.importContract', { file });
      if (r.imported) {
        setMsg(t('contracts.imported', { name }));
        await load();
        select(await call('desk.contract', { contractId: r.contractId }));
      } else setIssues(r.issues);
    });

  async function exportContract(c: ContractView) {
    const { file } = await call('desk.exportContract', { contractId: c.id });
    const url = URL.createObjectURL(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${c.agreementNumber}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <div className="contracts">
      <section className="panel" aria-labelledby="contracts-heading">
        <h2 id="contracts-heading">{t('contracts.heading')}</h2>
        {customers.length === 0 && <p>{t('contracts.none')}</p>}
        <div className="row">
          <button type="button" onClick={() => setForm('new')} disabled={form === 'new'}>
            {t('customerForm.newCustomer')}
          </button>
        </div>
        {form === 'new' && (
          <CustomerForm
            onCancel={() => setForm(null)}
            onSaved={(cu) => {
              setForm(`contract:${cu.id}`);
              setFormMsg(t('customerForm.customerCreated', { name: cu.name }));
              void load();
            }}
          />
        )}
        <p role="status" className="ok-text">
          {formMsg}
        </p>
        <ul>
          {customers.map((cu) => (
            <li key={cu.id}>
              <strong>{cu.name}</strong>
              {cu.orgNumber ? <span className="muted"> · {cu.orgNumber}</span> : null}{' '}
              <button type="button" aria-label={t('customerForm.editCustomer', { name: cu.name })} onClick={() => setForm(cu.id)}>
                {t('customerForm.edit')}
              </button>{' '}
              {mayContract && (
                <button type="button" aria-label={t('customerForm.newContractFor', { name: cu.name })} onClick={() => setForm(`contract:${cu.id}`)}>
                  {t('customerForm.newContract')}
                </button>
              )}
              {cu.notes ? <p className="muted notes">{cu.notes}</p> : null}
              {form === cu.id && (
                <CustomerForm
                  customer={cu}
                  onCancel={() => setForm(null)}
                  onSaved={() => {
                    setForm(null);
                    void load();
                    if (selected?.customerId === cu.id) void reloadSelected();
                  }}
                />
              )}
              {form === `contract:${cu.id}` && (
                <NewContractForm
                  customer={cu}
                  contracts={allContracts}
                  onCancel={() => setForm(null)}
                  onSaved={(c) => {
                    setForm(null);
                    setEditing(false);
                    select(c);
                    setFormMsg(t('customerForm.contractCreated', { agreement: c.agreementNumber }));
                    void load();
                  }}
                />
              )}
              <ul>
                {cu.contracts.map((k) => (
                  <li key={k.id}>
                    <button type="button" onClick={() => void call('desk.contract', { contractId: k.id }).then((c) => { setEditing(false); select(c); })}>
                      {k.agreementNumber} {k.name ? `· ${k.name}` : ''}
                    </button>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </section>
      {/* A technician may not add or change contracts (core/sync/roles.ts): nothing to import. */}
      {mayContract && (
      <section className="panel" aria-labelledby="import-heading">
        <h2 id="import-heading">{t('contracts.import')}</h2>
        <p className="muted">{t('contracts.importHint')}</p>
        <label className="field">
          {t('contracts.file')}
          <input
            type="file"
            accept=".json,application/json"
            disabled={importing.busy}
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void f.text().then((text) => importText(text, f.name));
              e.target.value = '';
            }}
          />
        </label>
        <label className="field">
          {t('contracts.paste')}
          <textarea rows={4} value={paste} onChange={(e) => setPaste(e.target.value)} />
        </label>
        <button type="button" disabled={!paste.trim() || importing.busy} aria-busy={importing.busy} onClick={() => void importText(paste, t('contracts.pasted'))}>
          {t('contracts.importPasted')}
        </button>
        <p role="status">{msg}</p>
        {importing.err && (
          <p role="alert" className="bad-text">
            {importing.err.message}
          </p>
        )}
        {issues && (
          <div role="alert" className="issues">
            <p>{t('contracts.issues', { count: issues.length })}</p>
            <ul>
              {issues.map((i, n) => (
                <li key={n}>
                  <code>{i.path || t('contracts.root')}</code>: {issueText(i)}
                </li>
              ))}
            </ul>
          </div>
        )}
      </section>
      )}
      {selected && (
        <section className="panel wide" aria-labelledby="contract-heading">
          <h2 id="contract-heading">
            {selected.customerName} · {selected.agreementNumber}
          </h2>
          <button type="button" onClick={() => void exportContract(selected)}>
            {t('contracts.export')}
          </button>
          <h3>{t('contracts.policies')}</h3>
          <ul>
            {selected.policies.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong> ({p.id}, {p.calendar}){p.wording ? <q className="wording">{p.wording}</q> : null}
              </li>
            ))}
          </ul>
          <h3>{t('contracts.contacts')}</h3>
          <ContactsEditor contract={selected} onChanged={() => void reloadSelected()} />
          <h3>{t('contracts.calendars')}</h3>
          <ul>
            {Object.entries(selected.calendars).map(([id, c]) => (
              <li key={id}>
                <strong>{String((c as { name?: string }).name ?? id)}</strong> <code>{String((c as { timezone?: string }).timezone ?? '')}</code>
              </li>
            ))}
          </ul>
          <p>
            {t('contracts.intakeFields')}: {selected.intakeFields.map((f) => t(`intakeField.${f}`)).join(', ') || '–'}
          </p>
          <h3>{t('customerForm.supportCode')}</h3>
          {mayContract && <SupportCodeForm contract={selected} onChanged={() => void reloadSelected()} />}
          {mayContract && <SectionsEditor key={selected.id} contractId={selected.id} />}
        </section>
      )}
      {selected && <MaintenancePanel key={`${selected.id}:${selected.version}`} contractId={selected.id} />}
      {selected && !editing && calId && (
        <section className="panel wide" aria-labelledby="month-heading">
          <h2 id="month-heading">{t('calendar.monthHeading')}</h2>
          <div className="row">
            <label className="lang">
              {t('calendar.pick')}
              <select value={calId} onChange={(e) => setCalId(e.target.value)}>
                {Object.entries(selected.calendars).map(([id, c]) => (
                  <option key={id} value={id}>
                    {String((c as { name?: string }).name ?? id)} ({id})
                  </option>
                ))}
              </select>
            </label>
            {mayContract && (
              <button type="button" className="primary" onClick={() => setEditing(true)}>
                {t('calendar.edit')}
              </button>
            )}
          </div>
          <CalendarMonth key={`${selected.id}:${selected.version}`} contractId={selected.id} calendarId={calId} />
        </section>
      )}
      {selected && editing && (
        <>
          <ContractEditor key={selected.id} contract={selected} onSaved={(c) => select(c)} />
          <button type="button" onClick={() => setEditing(false)}>
            {t('calendar.closeEditor')}
          </button>
        </>
      )}
    </div>
  );
}
