import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ContractSummary, TargetView, TicketSummary } from '../../../core/api/desk.js';
import { clockLeft, formatMinutes, overdue, urgency, useNow } from '../../format.js';
import { useApp } from '../../store.js';
import { slaWhy } from '../../fields.js';
import { call } from '../../transport.js';
import { useEventReload } from '../../use-event-reload.js';
import { CRITICAL_PRIORITY, OPEN_TICKET_STATUSES } from '../../../core/domain/index.js';
import { PAGE, lastFirstPage, rememberFirstPage, takeFirstPage } from './first-page.js';

type Cursor = { dueKey: number; id: string } | null;
/** The priority as the contract names it ("Critical fault" for a ticked critical fault). */
export const priorityLabel = (it: Pick<TicketSummary, 'priority' | 'priorityName'>, t: (k: string) => string): string =>
  it.priority === CRITICAL_PRIORITY ? t('queue.critical') : (it.priorityName ?? it.priority ?? '–');
const ROW = 76;

export function Countdown({ target, now, large = false }: { target: TargetView; now: number; large?: boolean }) {
  const { t } = useTranslation();
  const u = urgency(target, now);
  let text: string;
  if (overdue(target, now) && target.dueAt !== null)
    text = t('countdown.breachedAgo', { ago: formatMinutes(Math.floor((now - target.dueAt) / 60_000)) }) + (target.state === 'paused' ? ` · ${t('countdown.paused')}` : '');
  else if (target.state === 'paused') text = t('countdown.paused');
  else if (target.state === 'stopped') text = target.breached ? t('countdown.breached') : t('countdown.met');
  else if (target.state === 'pending' || target.dueAt === null) text = t('countdown.pending');
  else text = clockLeft(target.dueAt, now);
  return (
    <span className={`countdown ${u}${large ? ' large' : ''}`} data-metric={target.metric} aria-label={`${t(`metric.${target.metric}`)}: ${text}`}>
      <span className="metric">{t(`metricShort.${target.metric}`)}</span> {text}
    </span>
  );
}

export function Queue() {
  const { t } = useTranslation();
  const me = useApp((s) => s.me);
  const openTicket = useApp((s) => s.openTicket);
  const now = useNow();
  // Opened again: the last first page at once, while a fresh one is asked for (./first-page.ts).
  const [items, setItems] = useState<TicketSummary[]>(() => lastFirstPage()?.items ?? []);
  const [next, setNext] = useState<Cursor>(() => lastFirstPage()?.next ?? null);
  const [loading, setLoading] = useState(false);
  const [loaded, setLoaded] = useState(() => lastFirstPage() !== null);
  const [contracts, setContracts] = useState<ContractSummary[]>([]);
  /** Priority (policy id) -> the contracts' own names for it. */
  const [priorities, setPriorities] = useState<Map<string, Set<string>>>(new Map());
  const [contractId, setContractId] = useState('');
  const [priority, setPriority] = useState('');
  const [status, setStatus] = useState('');
  const [assignee, setAssignee] = useState('');
  const [mine, setMine] = useState(false);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const gen = useRef(0);
  const parentRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const id = setTimeout(() => setQuery(q.trim()), 200);
    return () => clearTimeout(id);
  }, [q]);

  useEffect(() => {
    void call('desk.customers', {}).then(async (r) => {
      const cs = r.customers.flatMap((c) => c.contracts);
      setContracts(cs);
      const ps = new Map<string, Set<string>>([[CRITICAL_PRIORITY, new Set()]]);
      for (const c of cs.slice(0, 50)) for (const p of (await call('desk.contract', { contractId: c.id })).policies) ps.set(p.id, (ps.get(p.id) ?? new Set()).add(p.name || p.id));
      setPriorities(ps);
    });
  }, []);

  const filter = useCallback(
    () => ({
      contractId: contractId || null,
      priority: priority || null,
      status: (status || null) as 'open' | 'waiting_on_customer' | 'waiting_on_vendor' | null,
      assignee: mine ? me || null : assignee || null,
      q: query || null,
    }),
    [contractId, priority, status, assignee, mine, me, query],
  );

  const reload = useCallback(async () => {
    const g = ++gen.current;
    setLoading(true);
    try {
      const f = filter();
      // The first page asked for as the page started, when this is the unfiltered queue (./first-page.ts).
      const r = (await takeFirstPage(f)) ?? (await call('desk.queue', { filter: f, limit: PAGE }));
      if (g !== gen.current) return;
      rememberFirstPage(f, r);
      setItems(r.items);
      setNext(r.next);
      setLoaded(true);
    } finally {
      if (g === gen.current) setLoading(false);
    }
  }, [filter]);

  useEffect(() => {
    void reload();
  }, [reload]);

  useEventReload(['tickets.changed'], () => void reload(), { debounceMs: 300 });

  const loadMore = useCallback(async () => {
    if (!next || loading) return;
    const g = gen.current;
    setLoading(true);
    try {
      const r = await call('desk.queue', { filter: filter(), limit: PAGE, cursor: next });
      if (g !== gen.current) return;
      setItems((xs) => [...xs, ...r.items]);
      setNext(r.next);
    } finally {
      setLoading(false);
    }
  }, [next, loading, filter]);

  // Breached rows first (the server's order is by next deadline; a missed callback or a paused breach is not in it).
  const breachedNow = (it: TicketSummary) => it.targets.some((x) => overdue(x, now));
  const sorted = useMemo(() => [...items.filter(breachedNow), ...items.filter((it) => !breachedNow(it))], [items, Math.floor(now / 1000)]);
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parentRef.current, estimateSize: () => ROW, overscan: 8 });
  const virtual = virtualizer.getVirtualItems();
  const lastIndex = virtual[virtual.length - 1]?.index ?? 0;
  useEffect(() => {
    if (next && lastIndex >= items.length - 40) void loadMore();
  }, [lastIndex, items.length, next, loadMore]);

  return (
    <section className="panel wide queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading">{t('queue.heading')}</h2>
      <div className="filters" role="group" aria-label={t('queue.filters')}>
        <label>
          {t('queue.search')}
          <input type="search" role="searchbox" value={q} onChange={(e) => setQ(e.target.value)} placeholder={t('queue.searchHint')} />
        </label>
        <label>
          {t('queue.contract')}
          <select value={contractId} onChange={(e) => setContractId(e.target.value)}>
            <option value="">{t('queue.all')}</option>
            {contracts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.customerName} · {c.agreementNumber}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.priority')}
          <select value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value="">{t('queue.all')}</option>
            {[...priorities].map(([p, names]) => (
              <option key={p} value={p}>
                {p === CRITICAL_PRIORITY && !names.size ? t('queue.critical') : [...names].join(' / ')}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.status')}
          <select value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('queue.all')}</option>
            {OPEN_TICKET_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('queue.assignee')}
          <input value={assignee} disabled={mine} onChange={(e) => setAssignee(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(e) => setMine(e.target.checked)} disabled={!me} /> {t('queue.mine')}
        </label>
      </div>
      <p role="status" className="muted" data-testid="queue-count">
        {!loaded ? t('queue.loading') : items.length === 0 ? t('queue.empty') : t('queue.count', { count: items.length, more: next ? '+' : '' })}
      </p>
      <div className="qhead" data-testid="queue-head">
        <span className="qh-case">{t('queue.colCase')}</span>
        <span className="qh-ticket">{t('queue.colTicket')}</span>
        <span className="qh-due">{t('queue.colDeadlines')}</span>
      </div>
      <div ref={parentRef} className="vlist" role="list" aria-label={t('queue.list')}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtual.map((v) => {
            const it = sorted[v.index] as TicketSummary;
            const breached = breachedNow(it);
            const critical = it.priority === CRITICAL_PRIORITY;
            return (
              <div
                key={it.id}
                role="listitem"
                aria-setsize={next ? -1 : items.length}
                aria-posinset={v.index + 1}
                className={`qrow ${it.status !== 'open' ? 'paused-row' : ''}${breached ? ' breached-row' : ''}${critical ? ' critical-row' : ''}`}
                data-breached={breached || undefined}
                data-index={v.index}
                ref={virtualizer.measureElement}
                style={{ position: 'absolute', top: 0, left: 0, right: 0, minHeight: ROW, transform: `translateY(${v.start}px)` }}
                // A click anywhere on the row opens the ticket (its deadlines, the gap between); the keyboard's way in is the button.
                onClick={(e) => {
                  if (!(e.target as HTMLElement).closest('button')) openTicket(it.id);
                }}
              >
                <button type="button" className="qopen" onClick={() => openTicket(it.id)} aria-label={t('queue.open', { caseNumber: it.caseNumber, title: it.title ?? '' })}>
                  <span className="case">
                    {it.caseNumber}
                    {breached && <span className="tag breached-tag">{t('queue.breached')}</span>}
                    {critical && <span className="tag critical-tag">{t('queue.critical')}</span>}
                  </span>
                  <span className="qtitle">{it.title ?? it.reporterName ?? ''}</span>
                  <span className="muted">
                    {it.customerName} · {it.agreementNumber ?? '–'} · {priorityLabel(it, t)} · {t(`status.${it.status}`)}
                    {it.assignee ? ` · ${it.assignee}` : ''}
                  </span>
                </button>
                <span className="counts">
                  {it.slaError ? (
                    <span className="sla-error" title={it.slaError}>
                      {t('ticket.slaError', { why: slaWhy(it) })}
                    </span>
                  ) : (
                    it.targets.map((x) => <Countdown key={x.metric} target={x} now={now} />)
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}
