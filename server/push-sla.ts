/**
 * Step 3 of a push (server/push.ts): the SLA state of each ticket whose events or contract changed
 * is re-derived (server/sla.ts); its updates go with the push's last statement.
 */
import { compareHlcStrings } from '../core/sync/hlc.js';
import type { SlaDeriver } from './sla.js';
import type { PushState } from './mutators/state.js';

/**
 * Re-derives the SLA state of every ticket this push touched: one round trip reads each ticket's
 * contract and SLA events; the updates go with the push's last statement (deferred).
 */
export async function deriveTouched(s: PushState, derive: SlaDeriver): Promise<void> {
  if (s.touched.size === 0) return;
  if (s.contract === undefined) {
    const r = await s.tx.query<{ sla_contract: unknown }>('SELECT sla_contract FROM tenants WHERE id = $1', [s.p.tenantId]);
    s.contract = r.rows[0]?.sla_contract ?? null;
  }
  // The ticket's own contract (a synced record) when it has one, else the tenant's ($3: whether it has one).
  // Ticket and record ids are COLLATE "C", ticket_events.ticket_id and tickets.contract_id are not: the
  // COLLATE clauses let each join and lookup use its index (without them: sequential scans).
  const r = await s.tx.query<{ id: string; ps: unknown; events: { type: string; at: number; data: Record<string, unknown>; hlc: string }[] | null }>(
    `SELECT t.id, r.data->'policySet' AS ps,
            CASE WHEN r.data->'policySet' IS NOT NULL OR $3::boolean THEN
              coalesce((SELECT json_agg(json_build_object('type', e.type, 'at', e.at, 'data', e.data, 'hlc', e.hlc)) FROM ticket_events e
                         WHERE e.tenant_id = t.tenant_id AND e.ticket_id = t.id COLLATE "default" AND e.type IN ('created','responded','status','update_logged','policy_changed')), '[]'::json)
            END AS events
       FROM tickets t LEFT JOIN records r ON r.tenant_id = t.tenant_id AND r.id = t.contract_id COLLATE "C"
      WHERE t.tenant_id = $1 AND t.id = ANY($2::text[] COLLATE "C") ORDER BY t.id`,
    [s.p.tenantId, [...s.touched].sort(), s.contract != null],
  );
  for (const row of r.rows) {
    const contract = row.ps ?? s.contract;
    if (!contract || !row.events) continue;
    const events = row.events.sort((a, b) => a.at - b.at || compareHlcStrings(a.hlc, b.hlc));
    const out = derive({ contract, events, now: s.now });
    await s.tx.defer('UPDATE tickets SET sla = $3::jsonb WHERE tenant_id = $1 AND id = $2', [s.p.tenantId, row.id, JSON.stringify(out.sla)]);
  }
}
