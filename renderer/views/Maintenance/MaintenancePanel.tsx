/** A contract's maintenance plans and its planned visits (docs/maintenance.md), in the Contracts view. */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MaintenancePlanView, PlannedVisitView } from '../../../core/api/agreements.js';
import { useApp } from '../../store.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { PlansEditor } from './PlansEditor.js';
import { VisitsTable } from './VisitsTable.js';

function rule(p: MaintenancePlanView, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (p.perYear !== null) return t('maintenance.perYear', { n: p.perYear });
  const every = p.every?.months !== undefined ? t('maintenance.everyMonths', { n: p.every.months }) : t('maintenance.everyWeeks', { n: p.every?.weeks ?? 0 });
  return p.from ? t('maintenance.from', { rule: every, from: p.from }) : every;
}

export function MaintenancePanel({ contractId }: { contractId: string }) {
  const { t } = useTranslation();
  const openTicket = useApp((s) => s.openTicket);
  const [data, setData] = useState<{ plans: MaintenancePlanView[]; visits: PlannedVisitView[]; maintenance: unknown[] | null; level: string | null; levels: { id: string; name: string }[] } | null>(
    null,
  );
  const [msg, setMsg] = useState('');
  const [err, setErr] = useState('');
  const load = useCallback(() => {
    call('agreements.visits', { contractId }).then(setData, (e: Error) => setErr(e.message));
  }, [contractId]);
  useEffect(load, [load]);
  useEventReload(['tickets.changed', 'records.changed'], load);
  const planNow = async () => {
    try {
      const r = await call('agreements.planVisits', {});
      setMsg(t('maintenance.created', { count: r.created.length }));
      setErr('');
      load();
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  const setLevel = async (level: string) => {
    try {
      const r = await call('agreements.setLevel', { contractId, level });
      setMsg(t('maintenance.levelSet', { count: r.created }));
      setErr('');
      load();
    } catch (e) {
      setErr((e as Error).message);
    }
  };
  if (!data) return err ? <p role="alert">{err}</p> : null;
  return (
    <section className="panel wide" aria-labelledby="maintenance-heading" data-testid="maintenance-panel">
      <h2 id="maintenance-heading">{t('maintenance.heading')}</h2>
      {data.plans.length === 0 ? (
        <p>{t('maintenance.none')}</p>
      ) : (
        <>
          <ul>
            {data.plans.map((p) => (
              <li key={p.id} className={p.active ? undefined : 'muted'}>
                <strong>{p.title}</strong> ({t(`maintenance.kind.${p.kind}`)}): {rule(p, t)}
                {p.level ? ` · ${t('maintenance.level', { level: p.level })}` : ''}
                {p.assignee ? ` · ${t('maintenance.assignee', { name: p.assignee })}` : ''}
                {p.active ? '' : ` ${t('maintenance.inactive')}`}
              </li>
            ))}
          </ul>
          {data.levels.length > 0 && (
            <label>
              {t('maintenance.levelPick')}
              <select value={data.level ?? ''} onChange={(e) => e.target.value && void setLevel(e.target.value)}>
                {!data.level || !data.levels.some((l) => l.id === data.level) ? <option value="">{t('maintenance.noLevel')}</option> : null}
                {data.levels.map((l) => (
                  <option key={l.id} value={l.id}>
                    {l.name}
                  </option>
                ))}
              </select>
            </label>
          )}
          <button type="button" onClick={() => void planNow()}>
            {t('maintenance.planNow')}
          </button>
          <VisitsTable
            label={t('maintenance.visits')}
            rows={data.visits.map((v) => ({
              ...v,
              caseCell: v.ticketId ? (
                <button type="button" className="link" onClick={() => openTicket(v.ticketId as string)}>
                  {v.caseNumber}
                </button>
              ) : (
                t('maintenance.noCase')
              ),
              state: v.missed ? t('maintenance.missed') : v.status ? t(`status.${v.status}`) : t('maintenance.planned'),
            }))}
          />
        </>
      )}
      <PlansEditor contractId={contractId} maintenance={data.maintenance} onSaved={load} />
      {msg && <p role="status">{msg}</p>}
      {err && <p role="alert">{err}</p>}
    </section>
  );
}
