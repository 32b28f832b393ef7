/**
 * The ticket page's "Edit details" (title, reporter, phone, description of a
 * registered ticket; `desk.editTicket`, an `edited` event in the timeline) and
 * "Assign to…" (any person known on this device, or a new name; `desk.act
 * assign`). Issue 15 item 3.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketDetail } from '../../core/api/desk.js';
import { Field, errorFor } from '../fields.js';
import { useApp } from '../store.js';
import { call } from '../transport.js';
import { useSave } from '../use-save.js';

export function TicketEdit({ tk, onChanged }: { tk: TicketDetail; onChanged: (tk: TicketDetail) => void }) {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const [form, setForm] = useState<'edit' | 'assign' | null>(null);
  const [title, setTitle] = useState('');
  const [reporterName, setReporterName] = useState('');
  const [reporterPhone, setReporterPhone] = useState('');
  const [description, setDescription] = useState('');
  const [assignee, setAssignee] = useState('');
  const [people, setPeople] = useState<string[]>([]);
  const [done, setDone] = useState('');
  const { err, busy, run } = useSave();

  function openEdit() {
    setTitle(tk.title ?? '');
    setReporterName(tk.reporterName ?? '');
    setReporterPhone(tk.reporterPhone ?? '');
    setDescription(tk.description ?? '');
    setDone('');
    setForm('edit');
  }
  function openAssign() {
    setAssignee(tk.assignee ?? '');
    setDone('');
    setForm('assign');
    call('desk.users', {}).then((r) => setPeople([...new Set([...(me ? [me] : []), ...r.users])]), () => setPeople(me ? [me] : []));
  }

  const save = () =>
    run(async () => {
      onChanged(await call('desk.editTicket', { ticketId: tk.id, title, reporterName, reporterPhone, description, author: me || null }));
      setForm(null);
      setDone(t('ticketEdit.saved'));
    });
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
          <Field label={t('intake.title')} error={errorFor(err, 'title')}>
            {(id, d) => <input id={id} aria-describedby={d} value={title} onChange={(e) => setTitle(e.target.value)} />}
          </Field>
          <div className="grid2">
            <Field label={t('intake.reporterName')} error={errorFor(err, 'reporterName')}>
              {(id, d) => <input id={id} aria-describedby={d} value={reporterName} onChange={(e) => setReporterName(e.target.value)} />}
            </Field>
            <Field label={t('intake.reporterPhone')} error={errorFor(err, 'reporterPhone')}>
              {(id, d) => <input id={id} type="tel" aria-describedby={d} aria-invalid={!!errorFor(err, 'reporterPhone')} value={reporterPhone} onChange={(e) => setReporterPhone(e.target.value)} />}
            </Field>
          </div>
          <Field label={t('intake.description')} error={errorFor(err, 'description')}>
            {(id, d) => <textarea id={id} className="long-text" aria-describedby={d} rows={4} value={description} onChange={(e) => setDescription(e.target.value)} />}
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
