/**
 * The record mutator of a push: `record.put@1` (customers, contracts, sites, assets, contacts, rotas).
 */
import { SUPERSEDED } from '../../core/sync/protocol.js';
import { RECORD_DATA } from '../../core/sync/mutations.js';
import type { MutationPayload } from '../../core/sync/mutations.js';
import { lwwWins } from '../../core/sync/merge.js';
import { CLOSED_STATUSES_SQL } from '../../db/sql.js';
import { Rejection } from './state.js';
import type { Applied, PushState } from './state.js';

/** JSON with object keys sorted (jsonb keeps its own key order, so stored and sent copies compare equal). */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v ?? null);
}

/**
 * A reference record: the whole record, last writer (HLC) wins. Its parent
 * (the contract's customer, the contact's contract, ...) must be on the
 * server; an agreement number belongs to one contract. A contract change
 * re-derives the SLA state of the contract's open tickets.
 */
export async function putRecord(s: PushState, m: MutationPayload<'record.put@1'>, hlc: string): Promise<Applied> {
  const data = RECORD_DATA[m.kind].parse(m.data) as Record<string, unknown>;
  const cur = await s.tx.query<{ kind: string; hlc: string; data: Record<string, unknown> }>('SELECT kind, hlc, data FROM records WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [s.p.tenantId, m.id]);
  const c = cur.rows[0];
  if (c && c.kind !== m.kind) throw new Rejection('invalid_payload', `id: record ${m.id} is a ${c.kind}, not a ${m.kind}`);
  const parents: [string, unknown][] =
    m.kind === 'contact' || m.kind === 'outage' ? [['contract', data.contractId]] : m.kind === 'customer' || m.kind === 'rota' ? [] : [['customer', data.customerId]];
  if (m.kind === 'asset' && data.siteId) parents.push(['site', data.siteId]);
  for (const [kind, id] of parents) {
    const r = await s.tx.query('SELECT 1 FROM records WHERE tenant_id = $1 AND id = $2 AND kind = $3 AND NOT deleted', [s.p.tenantId, id, kind]);
    if (!r.rows.length) throw new Rejection('unknown_record', `The ${kind} ${String(id)} of this ${m.kind} is not on the server (its creation may have been rejected).`);
  }
  if (c && !lwwWins(c.hlc, hlc)) return { message: SUPERSEDED };
  if (m.kind === 'contract') {
    const taken = await s.tx.query(`SELECT 1 FROM records WHERE tenant_id = $1 AND kind = 'contract' AND data->>'agreementNumber' = $2 AND id <> $3`, [s.p.tenantId, data.agreementNumber, m.id]);
    if (taken.rows.length) throw new Rejection('agreement_taken', `Agreement ${String(data.agreementNumber)} is already on the server as another contract (registered on another device).`);
  }
  await s.write(
    `INSERT INTO records (tenant_id, id, kind, data, deleted, hlc, device_id, version) VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7, $8)
     ON CONFLICT (tenant_id, id) DO UPDATE SET data = excluded.data, deleted = excluded.deleted, hlc = excluded.hlc, device_id = excluded.device_id, version = excluded.version`,
    [s.p.tenantId, m.id, m.kind, JSON.stringify(data), m.deleted, hlc, s.p.deviceId, s.version],
  );
  // Only what the SLA clock reads moves deadlines (not the rate card, wording, checklist or support code).
  const slaInputs = (d: Record<string, unknown> | undefined) => canonicalJson([d?.policySet ?? null, d?.defaultPolicy ?? null]);
  if (m.kind === 'contract' && c && slaInputs(c.data) !== slaInputs(data)) {
    const open = await s.tx.query<{ id: string }>(`SELECT id FROM tickets WHERE tenant_id = $1 AND contract_id = $2 AND status NOT IN (${CLOSED_STATUSES_SQL}) ORDER BY id FOR UPDATE`, [
      s.p.tenantId,
      m.id,
    ]);
    for (const t of open.rows) await s.bump(t.id, null);
  }
  return {};
}
