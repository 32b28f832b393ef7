/**
 * Reference records on the wire (`record.put@1`, docs/sync.md "Reference
 * records"): customers, contracts, contacts, sites and assets, each sent whole
 * after every local change, and the last writer (HLC) wins on the server and
 * on every device. This file is the one mapping between the local tables and
 * the record shape; the repositories publish through `publishRecord`, and the
 * sync repository applies pulled records through `RECORD_COLUMNS`.
 */
import { createHash } from 'node:crypto';
import type { RecordKind } from '../core/sync/mutations.js';
import type { Ctx } from './context.js';
import { parseJson } from './context.js';

type Row = Record<string, unknown>;

export const RECORD_TABLE: Record<RecordKind, string> = {
  customer: 'customers',
  contract: 'contracts',
  contact: 'contract_contacts',
  site: 'sites',
  asset: 'assets',
  rota: 'rotas',
  outage: 'outages',
};

/**
 * Each kind's fields: [record key, column, JSON-encoded column?]. `createdAt`
 * maps to created_at; `id`, `hlc`, `version` and local columns (updated_at,
 * phone_digits) are not part of the record.
 */
export const RECORD_COLUMNS: Record<RecordKind, readonly (readonly [string, string, boolean?])[]> = {
  customer: [
    ['name', 'name'],
    ['orgNumber', 'org_number'],
    ['notes', 'notes'],
    ['createdAt', 'created_at'],
  ],
  contract: [
    ['customerId', 'customer_id'],
    ['agreementNumber', 'agreement_number'],
    ['name', 'name'],
    ['policySet', 'policy_set', true],
    ['defaultPolicy', 'default_policy'],
    ['criticalPolicy', 'critical_policy'],
    ['rateCard', 'rate_card', true],
    ['checklist', 'checklist', true],
    ['wording', 'wording', true],
    ['maintenance', 'maintenance', true],
    ['intakeFields', 'intake_fields', true],
    ['supportCodeHash', 'support_code_hash'],
    ['validFrom', 'valid_from'],
    ['validTo', 'valid_to'],
    ['services', 'services', true],
    ['createdAt', 'created_at'],
    ['reports', 'reports', true],
    ['warranty', 'warranty', true],
    ['reportsSent', 'report_sends', true],
  ],
  contact: [
    ['contractId', 'contract_id'],
    ['name', 'name'],
    ['phone', 'phone'],
    ['email', 'email'],
    ['role', 'role'],
    ['createdAt', 'created_at'],
  ],
  site: [
    ['customerId', 'customer_id'],
    ['name', 'name'],
    ['address', 'address'],
    ['createdAt', 'created_at'],
  ],
  asset: [
    ['customerId', 'customer_id'],
    ['siteId', 'site_id'],
    ['product', 'product'],
    ['serialNumber', 'serial_number'],
    ['createdAt', 'created_at'],
    ['purchaseDate', 'purchase_date'],
    ['warrantyUntil', 'warranty_until'],
  ],
  rota: [
    ['name', 'name'],
    ['timezone', 'timezone'],
    ['members', 'members', true],
    ['lead', 'lead'],
    ['contractIds', 'contract_ids', true],
    ['week', 'week', true],
    ['overrides', 'overrides', true],
    ['escalation', 'escalation', true],
    ['createdAt', 'created_at'],
  ],
  outage: [
    ['contractId', 'contract_id'],
    ['serviceId', 'service_id'],
    ['ticketId', 'ticket_id'],
    ['start', 'start_at'],
    ['end', 'end_at'],
    ['source', 'source'],
    ['summary', 'summary'],
    ['createdAt', 'created_at'],
  ],
};

/**
 * A record id made from what the record is (UUIDv8, name-based: SHA-256 of
 * kind and key). Two devices that import the same contract file offline make
 * the same customer, contract and contacts, so sync merges them (last writer
 * wins) instead of refusing the second as a duplicate agreement.
 */
export function nameBasedId(kind: RecordKind, key: string): string {
  const h = createHash('sha256').update(`vakt:${kind}:${key}`).digest('hex');
  const variant = ((parseInt(h[16] as string, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The record of a local row. */
export function recordData(kind: RecordKind, row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, col, isJson] of RECORD_COLUMNS[kind]) {
    const v = row[col] ?? null;
    out[key] = isJson ? parseJson(v as string | null, null) : v;
  }
  if (kind === 'contract') out.intakeFields ??= [];
  return out;
}

/**
 * Writes `record.put@1` for the record as it now stands (call in the
 * transaction of the change, after writing the row, with the HLC stored on it).
 * A deleted contact passes the row it had.
 */
export function publishRecord(ctx: Ctx, kind: RecordKind, id: string, hlc: string, deletedRow?: Row): void {
  const row = deletedRow ?? (ctx.db.prepare(`SELECT * FROM ${RECORD_TABLE[kind]} WHERE id = ?`).get(id) as Row | undefined);
  if (!row) throw new Error(`${kind} ${id} is not in ${RECORD_TABLE[kind]}`);
  const deleted = deletedRow !== undefined;
  ctx.mutate('record.put@1', { kind, id, deleted, data: recordData(kind, row) }, hlc);
  ctx.db
    // The highest HLC known stays (a change stamped below what was pulled loses on the server too; see sync-store markResults).
    .prepare(
      `INSERT INTO sync_records (id, kind, hlc, deleted) VALUES (?, ?, ?, ?)
       ON CONFLICT(id) DO UPDATE SET hlc = CASE WHEN excluded.hlc > sync_records.hlc THEN excluded.hlc ELSE sync_records.hlc END, deleted = excluded.deleted`,
    )
    .run(id, kind, hlc, deleted ? 1 : 0);
}
