import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TicketAction, TicketDetail } from '../../../core/api/desk.js';
import { Field, errorFor, slaWhy } from '../../fields.js';
import { useNow } from '../../format.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useSave } from '../../use-save.js';
import { isClosedStatus, isWaitingStatus } from '../../../core/domain/index.js';
import type { CallbackChannel } from '../../../core/domain/index.js';
import { useMay } from '../../role.js';
import { TicketEdit } from './TicketEdit.js';
import { useEventReload } from '../../use-event-reload.js';
import { BillingTimeEntry } from './BillingTimeEntry.js';
import { FieldVisit } from './FieldVisit.js';
import { priorityLabel } from '../Queue/index.js';
import { TargetLine, WhatIf } from './Targets.js';
import { Timeline } from './Timeline.js';
import { TicketOutages } from '../Availability/TicketOutages.js';
import { VisitBadge } from '../Maintenance/VisitBadge.js';
import { TicketWarranty } from '../Agreements/TicketWarranty.js';

type Form = 'respond' | 'callback' | 'pause' | 'escalate' | 'note' | 'priority' | 'resolve' | null;

export function Ticket() {
  const { t } = useTranslation();
  const id = useApp((s) => s.ticketId);
  const me = useApp((s) => s.me);
  // A technician may not change the priority or the SLA policy (core/sync/roles.ts): no button for it.
  const mayPrioritise = useMay('ticket.setPriority') && useMay('ticket.event:policy_changed');
  const now = useNow();
  const [tk, setTk] = useState<TicketDetail | null>(null);
  const [form, setForm] = useState<Form>(null);
  const { err: error, busy, run, setErr: setError } = useSave();
  const [text, setText] = useState('');
  const [reached, setReached] = useState('');
  const [channel, setChannel] = useState<CallbackChannel>('phone');
  const [pauseReason, setPauseReason] = useState<'waiting_on_customer' | 'waiting_on_vendor'>('waiting_on_customer');
  const [escTo, setEscTo] = useState<'level2' | 'vendor'>('level2');
  const [vendorRef, setVendorRef] = useState('');
  const [policy, setPolicy] = useState('');
  const [done, setDone] = useState('');
  // The timeline entries the last action added: when sync rolls them back (the server refused the change), its "done" no longer holds.
  const [doneEvents, setDoneEvents] = useState<string[]>([]);

  const load = useCallback(async () => {
    if (!id) return;
    setTk(await call('desk.ticket', { id }));
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => {
    setDone('');
    setDoneEvents([]);
  }, [id]);
  useEventReload(['tickets.changed'], () => void load(), { ticketId: id });

  if (!id) return <p>{t('ticket.none')}</p>;
  if (!tk) return <p role="status">{t('queue.loading')}</p>;

  const open = (f: Form) => {
    setForm(f);
    setError(null);
    setText('');
    setReached(tk.reporterName ?? '');
    setPolicy(tk.sla?.policy ?? tk.policy ?? '');
    setVendorRef(tk.vendorRef ?? '');
  };

  const act = (action: TicketAction, msg: string) =>
    run(async () => {
      setDone('');
      const before = new Set(tk.events.map((e) => e.id));
      const after = await call('desk.act', { ticketId: tk.id, action, author: me || null });
      setTk(after);
      setForm(null);
      setDone(msg);
      setDoneEvents(after.events.filter((e) => !before.has(e.id)).map((e) => e.id));
    });

  const undone = doneEvents.length > 0 && !tk.events.some((e) => doneEvents.includes(e.id));
  const isClosed = isClosedStatus(tk.status);
  const waiting = isWaitingStatus(tk.status);
  const actionOf = (): TicketAction | null => {
    switch (form) {
      case 'respond':
        return { type: 'respond', text: text || null };
      case 'callback':
        return { type: 'callback', channel, reached, text };
      case 'pause':
        return { type: 'pause', reason: pauseReason, text: text || null };
      case 'escalate':
        return { type: 'escalate', to: escTo, vendorRef: vendorRef || null, reason: text || null };
      case 'note':
        return { type: 'note', text };
      case 'priority':
        return { type: 'priority', policy, reason: text || null };
      case 'resolve':
        return { type: 'resolve', text: text || null };
      default:
        return null;
    }
  };
  const errText = errorFor(error, 'action.text');

  return (
    <div className="ticket-page">
      <section className="panel wide" aria-labelledby="ticket-heading">
        <h2 id="ticket-heading">
          <span className="case-number small">{tk.caseNumber}</span> {tk.title ?? ''}
        </h2>
        <dl className="facts">
          <dt>{t('ticket.customer')}</dt>
          <dd>
            {tk.customerName} · {tk.agreementNumber ?? '–'}
          </dd>
          <dt>{t('queue.status')}</dt>
          <dd data-testid="ticket-status">{t(`status.${tk.status}`)}</dd>
          <dt>{t('queue.priority')}</dt>
          <dd>{priorityLabel(tk, t)}</dd>
          <dt>{t('ticket.reporter')}</dt>
          <dd>
            {tk.reporterName ?? '–'} {tk.reporterPhone ?? ''}
          </dd>
          <dt>{t('queue.assignee')}</dt>
          <dd>{tk.assignee ?? '–'}</dd>
          {tk.escalationLevel > 0 && (
            <>
              <dt>{t('ticket.escalation')}</dt>
              <dd>
                {t('ticket.level', { level: tk.escalationLevel })}
                {tk.vendorRef ? ` · ${t('ticket.vendorRef')}: ${tk.vendorRef}` : ''}
              </dd>
            </>
          )}
          {tk.description && (
            <>
              <dt>{t('intake.description')}</dt>
              <dd className="long-text">{tk.description}</dd>
            </>
          )}
        </dl>
        <VisitBadge visit={tk.visit} />
        <div className="actions" role="toolbar" aria-label={t('ticket.actions')}>
          <button type="button" onClick={() => open('respond')} disabled={isClosed}>
            {t('action.respond')}
          </button>
          <button type="button" onClick={() => open('callback')} disabled={isClosed}>
            {t('action.callback')}
          </button>
          {waiting ? (
            <button type="button" disabled={busy} aria-busy={busy} onClick={() => void act({ type: 'resume' }, t('done.resumed'))}>
              {t('action.resume')}
            </button>
          ) : (
            <button type="button" onClick={() => open('pause')} disabled={isClosed}>
              {t('action.pause')}
            </button>
          )}
          <button type="button" onClick={() => open('escalate')} disabled={isClosed}>
            {t('action.escalate')}
          </button>
          <button type="button" onClick={() => open('note')}>
            {t('action.note')}
          </button>
          {mayPrioritise && (
            <button type="button" onClick={() => open('priority')} disabled={isClosed}>
              {t('action.priority')}
            </button>
          )}
          {!isClosed && (
            <button type="button" onClick={() => open('resolve')}>
              {t('action.resolve')}
            </button>
          )}
          {isClosed && (
            <button type="button" disabled={busy} aria-busy={busy} onClick={() => void act({ type: 'reopen' }, t('done.reopened'))}>
              {t('action.reopen')}
            </button>
          )}
          {tk.status !== 'closed' && (
            <button type="button" disabled={busy} aria-busy={busy} onClick={() => void act({ type: 'close' }, t('done.closed'))}>
              {t('action.close')}
            </button>
          )}
          {me && tk.assignee !== me && (
            <button type="button" disabled={busy} aria-busy={busy} onClick={() => void act({ type: 'assign', assignee: me }, t('done.assigned'))}>
              {t('action.assignMe')}
            </button>
          )}
        </div>
        <TicketEdit tk={tk} onChanged={setTk} />
        <p role="status" className={done && undone ? 'bad-text' : 'muted'} data-testid="action-done">
          {done && undone ? t('ticket.undone') : done}
        </p>
        {!form && error && (
          <p role="alert" className="bad-text">
            {error.message}
          </p>
        )}
        {form && (
          <form
            className="action-form"
            aria-label={t(`action.${form}`)}
            onSubmit={(e) => {
              e.preventDefault();
              const a = actionOf();
              if (a) void act(a, t(`done.${form}`));
            }}
          >
            <h3>{t(`action.${form}`)}</h3>
            {form === 'callback' && (
              <div className="grid2">
                <Field label={t('callback.channel')}>
                  {(fid, d) => (
                    <select id={fid} aria-describedby={d} value={channel} onChange={(e) => setChannel(e.target.value as CallbackChannel)}>
                      <option value="phone">{t('channel.phone')}</option>
                      <option value="email">{t('channel.email')}</option>
                    </select>
                  )}
                </Field>
                <Field label={t('callback.reached')} error={errorFor(error, 'action.reached')}>
                  {(fid, d) => <input id={fid} aria-describedby={d} value={reached} onChange={(e) => setReached(e.target.value)} />}
                </Field>
              </div>
            )}
            {form === 'pause' && (
              <Field label={t('pause.reason')}>
                {(fid, d) => (
                  <select id={fid} aria-describedby={d} value={pauseReason} onChange={(e) => setPauseReason(e.target.value as typeof pauseReason)}>
                    <option value="waiting_on_customer">{t('status.waiting_on_customer')}</option>
                    <option value="waiting_on_vendor">{t('status.waiting_on_vendor')}</option>
                  </select>
                )}
              </Field>
            )}
            {form === 'escalate' && (
              <div className="grid2">
                <Field label={t('escalate.to')}>
                  {(fid, d) => (
                    <select id={fid} aria-describedby={d} value={escTo} onChange={(e) => setEscTo(e.target.value as typeof escTo)}>
                      <option value="level2">{t('escalate.level2')}</option>
                      <option value="vendor">{t('escalate.vendor')}</option>
                    </select>
                  )}
                </Field>
                {escTo === 'vendor' && (
                  <Field label={t('ticket.vendorRef')} error={errorFor(error, 'action.vendorRef')}>
                    {(fid, d) => <input id={fid} aria-describedby={d} value={vendorRef} onChange={(e) => setVendorRef(e.target.value)} />}
                  </Field>
                )}
              </div>
            )}
            {form === 'priority' && (
              <Field label={t('intake.policy')} error={errorFor(error, 'action.policy')}>
                {(fid, d) => (
                  <select id={fid} aria-describedby={d} value={policy} onChange={(e) => setPolicy(e.target.value)}>
                    {tk.policies.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
            <Field label={form === 'callback' ? t('callback.said') : form === 'note' ? t('action.note') : t('ticket.comment')} error={errText}>
              {(fid, d) => <textarea id={fid} aria-describedby={d} rows={2} value={text} onChange={(e) => setText(e.target.value)} />}
            </Field>
            {(form === 'pause' || form === 'priority' || form === 'resolve') && <WhatIf ticketId={tk.id} action={actionOf()} />}
            {error && !errorFor(error, 'action.reached', 'action.vendorRef', 'action.policy', 'action.text') && (
              <p role="alert" className="bad-text">
                {error.message}
              </p>
            )}
            <div className="row">
              <button type="submit" className="primary" disabled={busy} aria-busy={busy}>
                {t('action.confirm')}
              </button>
              <button type="button" onClick={() => setForm(null)}>
                {t('action.cancel')}
              </button>
            </div>
          </form>
        )}
      </section>
      <section className="panel" aria-labelledby="sla-heading">
        <h2 id="sla-heading">{t('ticket.sla', { policy: tk.sla?.policyName ?? '–' })}</h2>
        {tk.sla ? (
          <ul className="targets">
            {tk.sla.targets.map((x) => (
              <TargetLine key={x.metric} x={x} now={now} />
            ))}
          </ul>
        ) : tk.slaError ? (
          <p role="alert" className="sla-error">
            {t('ticket.slaError', { why: slaWhy(tk) })}
          </p>
        ) : (
          <p>{t('ticket.noSla')}</p>
        )}
      </section>
      <FieldVisit ticketId={tk.id} events={tk.events} onChanged={() => void load()} />
      <BillingTimeEntry ticketId={tk.id} />
      <TicketOutages ticketId={tk.id} />
      <TicketWarranty ticketId={tk.id} />
      <Timeline tk={tk} />
    </div>
  );
}
