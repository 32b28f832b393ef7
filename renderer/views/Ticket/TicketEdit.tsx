/**
 * The ticket page's "Edit details" (title, reporter, phone, description of a
 * registered ticket; `desk.editTicket`, an `edited` event in the timeline) and
 * "Assign to…" (any person known on this device, or a new name; `desk.act
 * assign`). Issue 15 item 3.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../../../core/api/desk.js';
import { formError, requestPart, useContractForm } from '../../contract-form.js';
import type { FormField } from '../../contract-form.js';
import { Field, errorFor } from '../../fields.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';

/** What "Edit details" edits: those fields of `desk.editTicket`'s request, checked by its schema. */
const details = requestPart('desk.editTicket', ['title', 'reporterName', 'reporterPhone', 'description']);

export function TicketEdit({ tk, onChanged }: { tk: TicketDetail; onChanged: (tk: TicketDetail) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const [form, setForm] = useState<'edit' | 'assign' | null>(null);
  const edit = useContractForm(details, { title: '', reporterName: '', reporterPhone: '', description: '' });
  const fieldErr = (name: FormField<typeof details>) => formError(edit.formState.errors, name, err);
  const [assignee, setAssignee] = useState('');
  const [people, setPeople] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const { err, busy, run } = useSave();

  function openEdit() {
    edit.reset({ title: tk.title ?? '', reporterName: tk.reporterName ?? '', reporterPhone: tk.reporterPhone ?? '', description: tk.description ?? '' });
    setDone('');
    setForm('edit');
  }
  function openAssign() {
    setAssignee(tk.assignee ?? '');
    setDone('');
    setForm('assign');
    call('desk.users', {}).then(
      (r) => setPeople([...new Set([...(me ? [me] : []), ...r.users])]),
      () => setPeople(me ? [me] : []),
    );
  }

  const save = edit.handleSubmit((values) =>
    run(async () => {
      onChanged(await call('desk.editTicket', { ...values, ticketId: tk.id, author: me || null }));
      setForm(null);
      setDone(t('ticketEdit.saved'));
    }),
  );
  const assign = () =>
    run(async () => {
      onChanged(await call('desk.act', { ticketId: tk.id, action: { type: 'assign', assignee: assignee.trim() || null }, author: me || null }));
      setForm(null);
      setDone(t('ticketEdit.assigned', { who: assignee.trim() || '–' }));
    });

  return (
    <>
      <div className="actions" role="toolbar" aria-label={t('ticketEdit.toolbar')}>
        <button type="button" aria-expanded={form === 'edit'} onClick={() => (form === 'edit' ? setForm(null) : openEdit())}>
          {t('ticketEdit.edit')}
        </button>
        <button type="button" aria-expanded={form === 'assign'} onClick={() => (form === 'assign' ? setForm(null) : openAssign())}>
          {t('ticketEdit.assignTo')}
        </button>
        <span role="status" className="muted">
          {done}
        </span>
      </div>
      {form === 'edit' && (
        <form
          aria-label={t('ticketEdit.edit')}
          className="action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <Field label={t('intake.title')} error={fieldErr('title')}>
            {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!fieldErr('title')} {...edit.register('title')} />}
          </Field>
          <div className="grid2">
            <Field label={t('intake.reporterName')} error={fieldErr('reporterName')}>
              {(id, d) => <input id={id} aria-describedby={d} aria-invalid={!!fieldErr('reporterName')} {...edit.register('reporterName')} />}
            </Field>
            <Field label={t('intake.reporterPhone')} error={fieldErr('reporterPhone')}>
              {(id, d) => <input id={id} type="tel" aria-describedby={d} aria-invalid={!!fieldErr('reporterPhone')} {...edit.register('reporterPhone')} />}
            </Field>
          </div>
          <Field label={t('intake.description')} error={fieldErr('description')}>
            {(id, d) => <textarea id={id} className="long-text" aria-describedby={d} aria-invalid={!!fieldErr('description')} rows={4} {...edit.register('description')} />}
          </Field>
          {err && !errorFor(err, 'title', 'reporterName', 'reporterPhone', 'description') && (
            <p role="alert" className="bad-text">
              {err.message}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {t('ticketEdit.save')}
          </button>
        </form>
      )}
      {form === 'assign' && (
        <form
          aria-label={t('ticketEdit.assignTo')}
          className="action-form"
          onSubmit={(e) => {
            e.preventDefault();
            void assign();
          }}
        >
          <Field label={t('ticketEdit.assignee')} hint={t('ticketEdit.assigneeHint')} error={errorFor(err, 'action.assignee')}>
            {(id, d) => <input id={id} aria-describedby={d} value={assignee} onChange={(e) => setAssignee(e.target.value)} autoFocus />}
          </Field>
          <ul className="people" aria-label={t('ticketEdit.people')}>
            {people.map((p) => (
              <li key={p}>
                <button type="button" aria-pressed={assignee === p} onClick={() => setAssignee(p)}>
                  {p}
                </button>
              </li>
            ))}
          </ul>
          {err && !errorFor(err, 'action.assignee') && (
            <p role="alert" className="bad-text">
              {err.message}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
            {t('ticketEdit.assign')}
          </button>
        </form>
      )}
    </>
  );
}
