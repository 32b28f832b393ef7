/**
 * Monitoring events -> tickets and outages (docs/availability.md). Each
 * integration key belongs to one service of one contract. Per event:
 *
 * - trigger: a new alert opens a ticket for the service (the contract's
 *   customer, its critical policy, else its default) and an outage from the
 *   event's start; a repeat of an open alert (same dedup key) updates the
 *   outage's summary when it changed, else does nothing; a repeat of an alert
 *   already over (its start not after the end) changes nothing.
 * - acknowledge: a note on the open alert's ticket.
 * - resolve: the outage gets its end and the ticket a note saying how long
 *   the service was down. A resolve of an Alertmanager alert whose firing never
 *   arrived records the whole outage (start and end) on a new ticket.
 *
 * Everything one request causes is one push of the tenant's monitoring
 * device (monitor.ts): applied whole or not at all.
 */
import { CRITICAL_PRIORITY } from '../../core/domain/index.js';
import type { OutageData, OutageSource } from '../../core/agreements/outage-record.js';
import { recordIssues } from '../../core/sync/records.js';
import type { Db, TxQueryable } from '../db.js';
import type { Clock } from '../../core/clock.js';
import type { MonitorMutation, MonitorWriter } from './monitor.js';
import { MONITOR_NAME } from './monitor.js';
import type { MonitorEvent } from './payloads.js';

export interface IntegrationKey {
  id: string;
  tenantId: string;
  name: string;
  contractId: string;
  serviceId: string;
}

export interface EventOutcome {
  dedupKey: string;
  /** opened: new ticket and outage; updated: the outage's summary; resolved: its end; acknowledged: a note; unchanged: a repeat. */
  result: 'opened' | 'updated' | 'resolved' | 'acknowledged' | 'unchanged';
  outageId: string | null;
  ticketId: string | null;
  caseNumber: string | null;
}

/** The key's contract is gone or no longer valid: the event cannot be placed (409). */
export class IntegrationTargetError extends Error {}

interface AlertRow {
  outage_id: string;
  ticket_id: string;
  start_at: number;
  end_at: number | null;
  dedup_key: string;
}

const minutes = (ms: number): string => `${Math.round(ms / 6000) / 10} min`;

export async function recordMonitorEvents(deps: { db: Db; clock: Clock; writer: MonitorWriter }, key: IntegrationKey, source: OutageSource, events: MonitorEvent[]): Promise<EventOutcome[]> {
  const { db, clock, writer } = deps;
  return writer.push(key.tenantId, async (next) => {
    const now = clock.now();
    const c = (await db.query<{ data: Record<string, unknown> }>(`SELECT data FROM records WHERE tenant_id = $1 AND id = $2 AND kind = 'contract'`, [key.tenantId, key.contractId])).rows[0]?.data;
    if (!c) throw new IntegrationTargetError(`The contract ${key.contractId} of integration key "${key.name}" is not on the server; revoke the key or sync the contract.`);
    const services = Array.isArray(c.services) ? (c.services as { id?: unknown; name?: unknown }[]) : [];
    const serviceName = String(services.find((s) => s.id === key.serviceId)?.name ?? key.serviceId);
    const policy = (c.criticalPolicy as string | null | undefined) ?? (c.defaultPolicy as string | null | undefined) ?? null;
    const rows = (
      await db.query<AlertRow>(
        'SELECT outage_id, ticket_id, start_at, end_at, dedup_key FROM integration_alerts WHERE tenant_id = $1 AND key_id = $2 AND dedup_key = ANY($3::text[]) ORDER BY start_at',
        [key.tenantId, key.id, events.map((e) => e.dedupKey)],
      )
    ).rows.map((r) => ({ ...r, start_at: Number(r.start_at), end_at: r.end_at === null ? null : Number(r.end_at) }));
    const latest = new Map<string, AlertRow>();
    for (const r of rows) latest.set(r.dedup_key, r);
    const mutations: MonitorMutation[] = [];
    const outcomes: EventOutcome[] = [];
    const changed = new Map<string, AlertRow>();
    const outageData = new Map<string, OutageData>();

    const putOutage = async (id: string, data: OutageData) => {
      const issues = recordIssues('outage', data);
      if (issues.length) throw new IntegrationTargetError(`The outage cannot be recorded: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`);
      outageData.set(id, data);
      mutations.push({ name: 'record.put', version: 1, payload: { kind: 'outage', id, deleted: false, data } });
    };
    const known = async (id: string): Promise<OutageData> => {
      const d = outageData.get(id) ?? (await db.query<{ data: OutageData }>('SELECT data FROM records WHERE tenant_id = $1 AND id = $2', [key.tenantId, id])).rows[0]?.data;
      if (!d) throw new IntegrationTargetError(`outage ${id} is missing on the server`);
      return d;
    };
    const note = (ticketId: string, text: string) =>
      mutations.push({ name: 'ticket.event', version: 1, payload: { ticketId, event: { id: next.id(), type: 'note', at: now, author: MONITOR_NAME, data: { text } }, baseVersion: 0 } });
    const open = async (e: MonitorEvent, start: number, end: number | null): Promise<EventOutcome> => {
      const ticketId = next.id();
      const outageId = next.id();
      const caseNumber = next.caseNumber();
      mutations.push({
        name: 'ticket.create',
        version: 2,
        payload: {
          ticketId,
          caseNumber,
          customerId: c.customerId,
          channel: 'other',
          contractId: key.contractId,
          title: `${serviceName}: ${e.summary}`.slice(0, 500),
          description: e.details.slice(0, 20_000) || null,
          priority: policy && policy === c.criticalPolicy ? CRITICAL_PRIORITY : policy,
          policy,
          createdAt: now,
          createdEventId: next.id(),
          author: MONITOR_NAME,
        },
      });
      await putOutage(outageId, { contractId: key.contractId, serviceId: key.serviceId, ticketId, start, end, source, summary: e.summary.slice(0, 500), createdAt: now });
      const row = { outage_id: outageId, ticket_id: ticketId, start_at: start, end_at: end, dedup_key: e.dedupKey };
      latest.set(e.dedupKey, row);
      changed.set(outageId, row);
      return { dedupKey: e.dedupKey, result: end === null ? 'opened' : 'resolved', outageId, ticketId, caseNumber };
    };

    for (const e of events) {
      const cur = latest.get(e.dedupKey);
      const same = (result: EventOutcome['result']): EventOutcome => ({ dedupKey: e.dedupKey, result, outageId: cur?.outage_id ?? null, ticketId: cur?.ticket_id ?? null, caseNumber: null });
      if (e.action === 'trigger') {
        const start = Math.min(e.at ?? now, now);
        if (cur && cur.end_at === null) {
          const d = await known(cur.outage_id);
          if (d.summary === e.summary.slice(0, 500)) outcomes.push(same('unchanged'));
          else {
            await putOutage(cur.outage_id, { ...d, summary: e.summary.slice(0, 500) });
            outcomes.push(same('updated'));
          }
        } else if (cur && start <= (cur.end_at as number)) outcomes.push(same('unchanged'));
        else outcomes.push(await open(e, start, null));
      } else if (e.action === 'acknowledge') {
        if (cur && cur.end_at === null) {
          note(cur.ticket_id, `Acknowledged in monitoring: ${e.summary}`.slice(0, 20_000));
          outcomes.push(same('acknowledged'));
        } else outcomes.push(same('unchanged'));
      } else if (cur && cur.end_at === null) {
        const end = Math.max(cur.start_at, Math.min(e.at ?? now, now));
        const d = await known(cur.outage_id);
        await putOutage(cur.outage_id, { ...d, end });
        note(cur.ticket_id, `Monitoring: ${serviceName} is back. Down from ${new Date(cur.start_at).toISOString()} to ${new Date(end).toISOString()} (${minutes(end - cur.start_at)}).`);
        const row = { ...cur, end_at: end };
        latest.set(e.dedupKey, row);
        changed.set(cur.outage_id, row);
        outcomes.push(same('resolved'));
      } else if (!cur && e.start !== undefined) {
        outcomes.push(await open(e, Math.min(e.start, now), Math.max(Math.min(e.start, now), Math.min(e.at ?? now, now))));
      } else outcomes.push(same('unchanged'));
    }
    const also = async (tx: TxQueryable) => {
      for (const r of changed.values()) {
        await tx.query(
          `INSERT INTO integration_alerts (tenant_id, key_id, dedup_key, outage_id, ticket_id, start_at, end_at, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)
           ON CONFLICT (tenant_id, outage_id) DO UPDATE SET end_at = excluded.end_at, updated_at = excluded.updated_at`,
          [key.tenantId, key.id, r.dedup_key, r.outage_id, r.ticket_id, r.start_at, r.end_at, now],
        );
      }
    };
    return { mutations, value: outcomes, also };
  });
}
