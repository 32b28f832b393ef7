/**
 * The on-call rota (issue 18 item 3; docs/alerts.md "On-call rota"): each
 * team's "on call now / next", and an editor for its members, weekly shifts
 * (an end at or before the start ends the next day), overrides, escalation
 * policy and the contracts it covers. Saved as a synced record.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RotaView } from '../../../core/api/oncall.js';
import type { ContractSummary } from '../../../core/api/desk.js';
import type { Rota as RotaData, RotaOverride, RotaShift } from '../../../core/oncall/rota.js';
import { errorFor } from '../../fields.js';
import { formatWhen, userZone } from '../../format.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { useSave } from '../../use-save.js';

const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

function blank(): RotaData {
  return { name: '', timezone: userZone(), members: [], lead: null, contractIds: [], week: [], overrides: [], escalation: { ackMinutes: 10, repeat: 2 } };
}

function OnCall({ v }: { v: RotaView }) {
  const { t } = useTranslation();
  const zone = v.rota.timezone;
  return (
    <dl className="facts" aria-label={t('oncall.nowNext', { name: v.rota.name })}>
      <dt>{t('oncall.now')}</dt>
      <dd data-testid="oncall-now">
        {v.now
          ? t('oncall.duty', { name: v.now.name, until: formatWhen(v.now.to, zone) }) +
            (v.now.backupName ? ` · ${t('oncall.backupIs', { name: v.now.backupName })}` : '') +
            (v.now.override ? ` · ${t('oncall.override')}` : '')
          : t('oncall.nobody')}
      </dd>
      <dt>{t('oncall.next')}</dt>
      <dd data-testid="oncall-next">{v.next ? t('oncall.from', { name: v.next.name, from: formatWhen(v.next.from, zone) }) : t('oncall.noChange')}</dd>
    </dl>
  );
}

export function Rota() {
  const { t } = useTranslation();
  const [list, setList] = useState<{ rotas: RotaView[]; me: string | null } | null>(null);
  const [contracts, setContracts] = useState<ContractSummary[]>([]);
  const [editing, setEditing] = useState<{ id?: string; rota: RotaData } | null>(null);
  const [msg, setMsg] = useState('');
  const load = useCallback(async () => setList(await call('oncall.list', {})), []);
  useEffect(() => {
    void load();
    void call('desk.customers', { prefix: '' }).then((r) => setContracts(r.customers.flatMap((c) => c.contracts)));
    const id = setInterval(() => void load(), 60_000);
    return () => clearInterval(id);
  }, [load]);
  useEventReload(['records.changed'], () => void load());
  const { err, busy, run } = useSave();
  const e = (path: string) => errorFor(err, `rota.${path}`);

  const save = () =>
    run(async () => {
      if (!editing) return;
      setMsg('');
      const saved = await call('oncall.put', { ...(editing.id ? { id: editing.id } : {}), rota: editing.rota });
      setEditing({ id: saved.id, rota: saved.rota });
      setMsg(t('oncall.saved', { name: saved.rota.name }));
      await load();
    });

  const r = editing?.rota;
  const set = (patch: Partial<RotaData>) => editing && setEditing({ ...editing, rota: { ...editing.rota, ...patch } });
  const setShift = (i: number, patch: Partial<RotaShift>) => r && set({ week: r.week.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const setOverride = (i: number, patch: Partial<RotaOverride>) => r && set({ overrides: r.overrides.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const people = (value: string | null | undefined, onChange: (v: string | null) => void, label: string, optional: boolean) => (
    <select aria-label={label} value={value ?? ''} onChange={(ev) => onChange(ev.target.value || null)}>
      {optional && <option value="">{t('oncall.none')}</option>}
      {!optional && !value && <option value="">—</option>}
      {r?.members.map((m) => (
        <option key={m.userId} value={m.userId}>
          {m.name}
        </option>
      ))}
    </select>
  );

  return (
    <section className="panel wide" aria-labelledby="oncall-heading">
      <h2 id="oncall-heading">{t('oncall.heading')}</h2>
      <p role="status" className="muted">
        {msg}
      </p>
      {list === null ? (
        <p>{t('queue.loading')}</p>
      ) : (
        <>
          {list.rotas.length === 0 && <p>{t('oncall.empty')}</p>}
          {list.rotas.map((v) => (
            <article key={v.id} className="card" aria-label={v.rota.name}>
              <h3>
                {v.rota.name} <span className="muted">({v.rota.timezone})</span>
              </h3>
              <OnCall v={v} />
              <button type="button" onClick={() => setEditing({ id: v.id, rota: v.rota })}>
                {t('oncall.edit', { name: v.rota.name })}
              </button>
            </article>
          ))}
          <p className="muted">{list.me ? t('oncall.youAre', { id: list.me }) : t('oncall.notEnrolled')}</p>
          <button type="button" onClick={() => setEditing({ rota: blank() })}>
            {t('oncall.add')}
          </button>
        </>
      )}
      {r && (
        <form
          aria-label={t('oncall.editor')}
          onSubmit={(ev) => {
            ev.preventDefault();
            void save();
          }}
        >
          <label>
            {t('oncall.name')} <input value={r.name} onChange={(ev) => set({ name: ev.target.value })} aria-invalid={!!e('name')} />
          </label>
          <label>
            {t('oncall.timezone')} <input value={r.timezone} onChange={(ev) => set({ timezone: ev.target.value })} aria-invalid={!!e('timezone')} />
          </label>
          <fieldset>
            <legend>{t('oncall.members')}</legend>
            {r.members.map((m, i) => (
              <div key={i} className="row">
                <input aria-label={t('oncall.memberName', { n: i + 1 })} value={m.name} onChange={(ev) => set({ members: r.members.map((x, j) => (j === i ? { ...x, name: ev.target.value } : x)) })} />
                <input
                  aria-label={t('oncall.memberId', { n: i + 1 })}
                  value={m.userId}
                  onChange={(ev) => set({ members: r.members.map((x, j) => (j === i ? { ...x, userId: ev.target.value } : x)) })}
                />
                <button type="button" onClick={() => set({ members: r.members.filter((_, j) => j !== i) })}>
                  {t('oncall.remove')}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => set({ members: [...r.members, { name: '', userId: r.members.some((m) => m.userId === list?.me) ? '' : (list?.me ?? '') }] })}>
              {t('oncall.addMember')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('oncall.week')}</legend>
            <p className="muted">{t('oncall.weekHint')}</p>
            {r.week.map((s, i) => (
              <div key={i} className="row">
                <select aria-label={t('oncall.day', { n: i + 1 })} value={s.day} onChange={(ev) => setShift(i, { day: ev.target.value as RotaShift['day'] })}>
                  {DAYS.map((d) => (
                    <option key={d} value={d}>
                      {t(`calendar.day.${d}`)}
                    </option>
                  ))}
                </select>
                <input aria-label={t('oncall.start', { n: i + 1 })} value={s.start} size={5} onChange={(ev) => setShift(i, { start: ev.target.value })} aria-invalid={!!e(`week[${i}].start`)} />
                <input aria-label={t('oncall.end', { n: i + 1 })} value={s.end} size={5} onChange={(ev) => setShift(i, { end: ev.target.value })} aria-invalid={!!e(`week[${i}].end`)} />
                {people(s.person, (v) => setShift(i, { person: v ?? '' }), t('oncall.person', { n: i + 1 }), false)}
                {people(s.backup, (v) => setShift(i, { backup: v }), t('oncall.backup', { n: i + 1 }), true)}
                <button type="button" onClick={() => set({ week: r.week.filter((_, j) => j !== i) })}>
                  {t('oncall.remove')}
                </button>
              </div>
            ))}
            <button type="button" onClick={() => set({ week: [...r.week, { day: 'mon', start: '08:00', end: '16:00', person: r.members[0]?.userId ?? '' }] })}>
              {t('oncall.addShift')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('oncall.overrides')}</legend>
            {r.overrides.map((o, i) => (
              <div key={i} className="row">
                <input type="date" aria-label={t('oncall.date', { n: i + 1 })} value={o.date} onChange={(ev) => setOverride(i, { date: ev.target.value })} />
                <input aria-label={t('oncall.overrideStart', { n: i + 1 })} value={o.start} size={5} onChange={(ev) => setOverride(i, { start: ev.target.value })} />
                <input aria-label={t('oncall.overrideEnd', { n: i + 1 })} value={o.end} size={5} onChange={(ev) => setOverride(i, { end: ev.target.value })} />
                {people(o.person, (v) => setOverride(i, { person: v ?? '' }), t('oncall.overridePerson', { n: i + 1 }), false)}
                <input aria-label={t('oncall.note', { n: i + 1 })} value={o.note ?? ''} onChange={(ev) => setOverride(i, { note: ev.target.value || null })} />
                <button type="button" onClick={() => set({ overrides: r.overrides.filter((_, j) => j !== i) })}>
                  {t('oncall.remove')}
                </button>
              </div>
            ))}
            <button
              type="button"
              onClick={() => set({ overrides: [...r.overrides, { date: new Date().toISOString().slice(0, 10), start: '22:00', end: '06:00', person: r.members[0]?.userId ?? '' }] })}
            >
              {t('oncall.addOverride')}
            </button>
          </fieldset>
          <fieldset>
            <legend>{t('oncall.escalation')}</legend>
            <label>
              {t('oncall.lead')} {people(r.lead, (v) => set({ lead: v }), t('oncall.lead'), true)}
            </label>
            <label>
              {t('oncall.ackMinutes')} <input type="number" min={1} value={r.escalation.ackMinutes} onChange={(ev) => set({ escalation: { ...r.escalation, ackMinutes: Number(ev.target.value) } })} />
            </label>
            <label>
              {t('oncall.repeat')} <input type="number" min={1} max={10} value={r.escalation.repeat} onChange={(ev) => set({ escalation: { ...r.escalation, repeat: Number(ev.target.value) } })} />
            </label>
          </fieldset>
          <fieldset>
            <legend>{t('oncall.contracts')}</legend>
            {contracts.map((c) => (
              <label key={c.id}>
                <input
                  type="checkbox"
                  checked={r.contractIds.includes(c.id)}
                  onChange={(ev) => set({ contractIds: ev.target.checked ? [...r.contractIds, c.id] : r.contractIds.filter((x) => x !== c.id) })}
                />
                {c.customerName} · {c.agreementNumber}
              </label>
            ))}
          </fieldset>
          {err && (
            <p role="alert" className="bad-text">
              {err.message}
            </p>
          )}
          <button type="submit" disabled={busy} aria-busy={busy}>
            {t('oncall.save')}
          </button>
        </form>
      )}
    </section>
  );
}
