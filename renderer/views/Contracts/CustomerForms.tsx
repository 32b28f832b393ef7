/**
 * Contracts view, issue 5: forms to create and edit customers, to create a
 * contract for a customer, to add / edit / remove a contract's authorised
 * contacts and to set or clear its support code. Each error is shown at the
 * field its path names (desk.* handlers give the request's field names).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContactView, ContractSummary, ContractTemplate, ContractView, CustomerView } from '../../../core/api/desk.js';
import { formError, requestPart, useContractForm } from '../../contract-form.js';
import type { FormField } from '../../contract-form.js';
import { Field, errorFor } from '../../fields.js';
import type { FieldError } from '../../fields.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';

/** What the forms edit: those fields of the methods' requests, checked by their schemas. */
const customerFields = requestPart('desk.createCustomer', ['name', 'orgNumber', 'notes']);
const contractFields = requestPart('desk.createContract', ['agreementNumber', 'name']);
const contactFields = requestPart('desk.addContact', ['name', 'phone', 'email', 'role']);
import { useMay } from '../../role.js';

/** The error not shown at one of `paths` (shown under the form instead). */
const otherError = (err: FieldError | null, ...paths: string[]) => (err && !errorFor(err, ...paths) ? err.message : null);

function FormError({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p role="alert" className="field-error">
      {text}
    </p>
  );
}

/** New customer (customer undefined) or edit one. */
export function CustomerForm({ customer, onSaved, onCancel }: { customer?: CustomerView; onSaved(c: CustomerView): void; onCancel(): void }) {
  const { t } = useTranslation();
  const form = useContractForm(customerFields, { name: customer?.name ?? '', orgNumber: customer?.orgNumber ?? '', notes: customer?.notes ?? '' });
  const { err, busy, run } = useSave();
  const fieldErr = (name: FormField<typeof customerFields>) => formError(form.formState.errors, name, err);
  const heading = customer ? t('customerForm.editHeading', { name: customer.name }) : t('customerForm.newHeading');

  const save = form.handleSubmit((body) =>
    run(async () => {
      const r = customer ? await call('desk.updateCustomer', { customerId: customer.id, ...body }) : await call('desk.createCustomer', body);
      onSaved(r.customer);
    }),
  );
  return (
    <form
      className="panel subform"
      aria-label={heading}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{heading}</h3>
      <Field label={t('customerForm.name')} error={fieldErr('name')}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={fieldErr('name') ? true : undefined} {...form.register('name')} aria-required="true" autoFocus />}
      </Field>
      <Field label={t('customerForm.orgNumber')} error={fieldErr('orgNumber')} hint={t('customerForm.orgNumberHint')}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={fieldErr('orgNumber') ? true : undefined} {...form.register('orgNumber')} />}
      </Field>
      <Field label={t('customerForm.notes')} error={fieldErr('notes')}>
        {(id, d) => <textarea id={id} rows={3} aria-describedby={d} aria-invalid={fieldErr('notes') ? true : undefined} {...form.register('notes')} />}
      </Field>
      <FormError text={otherError(err, 'name', 'orgNumber', 'notes')} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {customer ? t('customerForm.save') : t('customerForm.create')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('customerForm.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A new contract for a customer: agreement number, name, whose calendars and policies to start from. */
export function NewContractForm({ customer, contracts, onSaved, onCancel }: { customer: CustomerView; contracts: ContractSummary[]; onSaved(c: ContractView): void; onCancel(): void }) {
  const { t } = useTranslation();
  const form = useContractForm(contractFields, { agreementNumber: '', name: '' });
  const [copyFrom, setCopyFrom] = useState('');
  const [templates, setTemplates] = useState<ContractTemplate[]>([]);
  useEffect(() => {
    void call('desk.templates', {}).then((r) => setTemplates(r.templates));
  }, []);
  const { err, busy, run } = useSave();
  const fieldErr = (name: FormField<typeof contractFields>) => formError(form.formState.errors, name, err);
  const heading = t('customerForm.newContractHeading', { name: customer.name });
  // "template:<id>" starts from a shipped template, a contract id copies that contract
  const template = copyFrom.startsWith('template:') ? copyFrom.slice('template:'.length) : null;
  const save = form.handleSubmit((values) => run(async () => onSaved(await call('desk.createContract', { ...values, customerId: customer.id, copyFrom: template || !copyFrom ? null : copyFrom, template }))));
  return (
    <form
      className="panel subform"
      aria-label={heading}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{heading}</h3>
      <Field label={t('customerForm.agreementNumber')} error={fieldErr('agreementNumber')} hint={t('customerForm.agreementNumberHint')}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={fieldErr('agreementNumber') ? true : undefined} {...form.register('agreementNumber')} aria-required="true" autoFocus />}
      </Field>
      <Field label={t('customerForm.contractName')} error={fieldErr('name')}>
        {(id, d) => <input id={id} aria-describedby={d} aria-invalid={fieldErr('name') ? true : undefined} {...form.register('name')} />}
      </Field>
      <Field label={t('customerForm.copyFrom')} error={errorFor(err, 'copyFrom', 'template')}>
        {(id, d) => (
          <select id={id} aria-describedby={d} value={copyFrom} onChange={(e) => setCopyFrom(e.target.value)}>
            <option value="">{t('customerForm.basicPolicy')}</option>
            {templates.length > 0 && (
              <optgroup label={t('customerForm.templates')}>
                {templates.map((x) => (
                  <option key={x.id} value={`template:${x.id}`}>
                    {x.name}
                  </option>
                ))}
              </optgroup>
            )}
            {contracts.length > 0 && (
              <optgroup label={t('customerForm.contracts')}>
                {contracts.map((k) => (
                  <option key={k.id} value={k.id}>
                    {k.customerName} · {k.agreementNumber}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        )}
      </Field>
      <FormError text={otherError(err, 'agreementNumber', 'name', 'copyFrom', 'template')} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {t('customerForm.createContract')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('customerForm.cancel')}
        </button>
      </div>
    </form>
  );
}

/** Add (contact undefined) or edit an authorised contact. */
function ContactForm({ contractId, contact, onSaved, onCancel }: { contractId: string; contact?: ContactView; onSaved(): void; onCancel(): void }) {
  const { t } = useTranslation();
  const form = useContractForm(contactFields, { name: contact?.name ?? '', phone: contact?.phone ?? '', email: contact?.email ?? '', role: contact?.role ?? '' });
  const { err, busy, run } = useSave();
  const fieldErr = (name: FormField<typeof contactFields>) => formError(form.formState.errors, name, err);
  const heading = contact ? t('customerForm.editContactHeading', { name: contact.name }) : t('customerForm.addContactHeading');
  const save = form.handleSubmit((v) =>
    run(async () => {
      if (contact) await call('desk.updateContact', { contactId: contact.id, ...v });
      else await call('desk.addContact', { contractId, ...v });
      onSaved();
    }),
  );
  const input = (k: FormField<typeof contactFields>, type = 'text') => (id: string, d: string | undefined) => (
    <input id={id} type={type} aria-describedby={d} aria-invalid={fieldErr(k) ? true : undefined} {...form.register(k)} aria-required={k === 'name' ? true : undefined} autoFocus={k === 'name'} />
  );
  return (
    <form
      className="subform contact-form"
      aria-label={heading}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h4>{heading}</h4>
      <div className="row">
        <Field label={t('customerForm.contactName')} error={fieldErr('name')}>
          {input('name')}
        </Field>
        <Field label={t('customerForm.phone')} error={fieldErr('phone')}>
          {input('phone', 'tel')}
        </Field>
        <Field label={t('customerForm.email')} error={fieldErr('email')}>
          {input('email', 'email')}
        </Field>
        <Field label={t('customerForm.role')} error={fieldErr('role')}>
          {input('role')}
        </Field>
      </div>
      <FormError text={otherError(err, 'name', 'phone', 'email', 'role')} />
      <div className="row">
        <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
          {contact ? t('customerForm.saveContact') : t('customerForm.addContact')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('customerForm.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The contract's authorised contacts: table with edit / remove per row, and an add form. */
export function ContactsEditor({ contract, onChanged }: { contract: ContractView; onChanged(): void }) {
  const { t } = useTranslation();
  // A technician may not change a contract's contacts (core/sync/roles.ts): no buttons for it.
  const mayContact = useMay('record.put:contact');
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const { err: failed, busy, run } = useSave();
  const err = failed?.message ?? '';
  const remove = (k: ContactView) =>
    run(async () => {
      await call('desk.removeContact', { contactId: k.id });
      setRemoving(null);
      onChanged();
    });
  const done = () => {
    setEditing(null);
    onChanged();
  };
  return (
    <div className="contacts-editor">
      {contract.contacts.length === 0 ? <p className="muted">{t('customerForm.noContacts')}</p> : null}
      {contract.contacts.length > 0 && (
        <table className="contacts" aria-label={t('contracts.contacts')}>
          <thead>
            <tr>
              <th scope="col">{t('customerForm.contactName')}</th>
              <th scope="col">{t('customerForm.role')}</th>
              <th scope="col">{t('customerForm.phone')}</th>
              <th scope="col">{t('customerForm.email')}</th>
              <th scope="col">{t('customerForm.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {contract.contacts.map((k) => (
              <tr key={k.id}>
                <td>{k.name}</td>
                <td>{k.role ?? ''}</td>
                <td>{k.phone ?? ''}</td>
                <td>{k.email ?? ''}</td>
                <td>
                  {removing === k.id ? (
                    <span className="row" role="group" aria-label={t('customerForm.confirmRemove', { name: k.name })}>
                      <span>{t('customerForm.confirmRemove', { name: k.name })}</span>
                      <button type="button" className="danger" disabled={busy} aria-busy={busy} onClick={() => void remove(k)}>
                        {t('customerForm.yesRemove')}
                      </button>
                      <button type="button" onClick={() => setRemoving(null)}>
                        {t('customerForm.keep')}
                      </button>
                    </span>
                  ) : !mayContact ? null : (
                    <span className="row">
                      <button type="button" aria-label={t('customerForm.editContact', { name: k.name })} onClick={() => setEditing(k.id)}>
                        {t('customerForm.edit')}
                      </button>
                      <button type="button" aria-label={t('customerForm.removeContact', { name: k.name })} onClick={() => setRemoving(k.id)}>
                        {t('customerForm.remove')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <FormError text={err || null} />
      {editing && editing !== 'new' ? (
        <ContactForm key={editing} contractId={contract.id} contact={contract.contacts.find((k) => k.id === editing)} onSaved={done} onCancel={() => setEditing(null)} />
      ) : null}
      {editing === 'new' ? <ContactForm key="new" contractId={contract.id} onSaved={done} onCancel={() => setEditing(null)} /> : null}
      {editing === null && mayContact ? (
        <button type="button" onClick={() => setEditing('new')}>
          {t('customerForm.addContact')}
        </button>
      ) : null}
    </div>
  );
}

/** Set or clear the contract's support code (only its hash is stored; it cannot be shown again). */
export function SupportCodeForm({ contract, onChanged }: { contract: ContractView; onChanged(): void }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const { err, busy, run } = useSave();
  const [msg, setMsg] = useState('');
  const set = (value: string | null) =>
    run(async () => {
      setMsg('');
      const r = await call('desk.setSupportCode', { contractId: contract.id, code: value });
      setCode('');
      setMsg(r.hasSupportCode ? t('customerForm.codeSet') : t('customerForm.codeCleared'));
      onChanged();
    });
  return (
    <form
      className="subform"
      aria-label={t('customerForm.supportCode')}
      onSubmit={(e) => {
        e.preventDefault();
        void set(code);
      }}
    >
      <p>{contract.hasSupportCode ? t('contracts.hasCode') : t('contracts.noCode')}</p>
      <div className="row">
        <Field label={t('customerForm.newCode')} error={errorFor(err, 'code')} hint={t('customerForm.codeHint')}>
          {(id, d) => <input id={id} type="password" autoComplete="off" aria-describedby={d} aria-invalid={errorFor(err, 'code') ? true : undefined} value={code} onChange={(e) => setCode(e.target.value)} />}
        </Field>
        <button type="submit" disabled={!code || busy} aria-busy={busy}>
          {t('customerForm.setCode')}
        </button>
        {contract.hasSupportCode ? (
          <button type="button" disabled={busy} onClick={() => void set(null)}>
            {t('customerForm.clearCode')}
          </button>
        ) : null}
      </div>
      <FormError text={otherError(err, 'code')} />
      <p role="status" className="ok-text">
        {msg}
      </p>
    </form>
  );
}
