/**
 * Pull: every change of the tenant after a cursor, in (version, kind, id) order.
 *
 * Why no change can be skipped: a push takes its version with
 * `UPDATE tenants SET version = version + 1 RETURNING version`, which holds the
 * tenant row's lock until the push commits. So version v+1 cannot be handed out
 * before the push holding v has committed (or rolled back): versions commit in
 * increasing order. A pull first reads the tenant's committed `version` (max)
 * and only returns rows with version <= max; every push with a version <= max
 * has committed by then, so no row with such a version can appear later. A row
 * changed again after that read gets a version > max and is returned by a
 * later pull. The cursor never passes max, so nothing is skipped.
 *
 * The cursor is `"<v>"` (everything up to v delivered) or `"<v>.<kind>.<id>"`
 * (a page ended inside version v) -- one version may hold many rows.
 */
import type { Change, PullResponse, SyncConflict, SyncEvent, SyncRecord, SyncTicket } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import type { Queryable } from './db.js';

interface Cursor {
  v: number;
  /** kind index and id of the last row delivered inside version v; null: all of v delivered. */
  k: number | null;
  id: string;
}

export class CursorError extends Error {}

export function parseCursor(s: string): Cursor {
  const m = /^(\d{1,15})(?:\.([0-3])\.([0-9a-f-]{1,64}))?$/.exec(s);
  if (!m) throw new CursorError(`"${s}" is not a pull cursor`);
  return { v: Number(m[1]), k: m[2] === undefined ? null : Number(m[2]), id: m[3] ?? '' };
}

const TABLES = ['tickets', 'ticket_events', 'conflicts', 'records'] as const;

type Row = Record<string, unknown>;

export function ticketFromRow(r: Row): SyncTicket {
  return {
    id: r.id as string,
    caseNumber: r.case_number as string,
    customerId: r.customer_id as string,
    channel: r.channel as string,
    title: (r.title as string | null) ?? null,
    description: (r.description as string | null) ?? null,
    customerRef: (r.customer_ref as string | null) ?? null,
    vendorRef: (r.vendor_ref as string | null) ?? null,
    reporterName: (r.reporter_name as string | null) ?? null,
    reporterPhone: (r.reporter_phone as string | null) ?? null,
    priority: (r.priority as string | null) ?? null,
    assignee: (r.assignee as string | null) ?? null,
    status: r.status as SyncTicket['status'],
    policy: (r.policy as string | null) ?? null,
    createdAt: r.created_at as number,
    createdBy: r.created_by as string,
    fieldHlc: r.field_hlc as Record<string, string>,
    sla: (r.sla as SyncTicket['sla']) ?? null,
    nextDueAt: (r.next_due_at as number | null) ?? null,
    contractId: (r.contract_id as string | null) ?? null,
    siteId: (r.site_id as string | null) ?? null,
    assetId: (r.asset_id as string | null) ?? null,
    intake: (r.intake as Record<string, string | null> | null) ?? null,
    version: r.version as number,
  };
}

export function eventFromRow(r: Row): SyncEvent {
  return {
    id: r.id as string,
    ticketId: r.ticket_id as string,
    type: r.type as SyncEvent['type'],
    at: r.at as number,
    author: (r.author as string | null) ?? null,
    data: r.data as Record<string, unknown>,
    deviceId: r.device_id as string,
    hlc: r.hlc as string,
    version: r.version as number,
  };
}

export function conflictFromRow(r: Row): SyncConflict {
  return {
    id: r.id as string,
    ticketId: r.ticket_id as string,
    field: r.field as SyncConflict['field'],
    candidates: r.candidates as SyncConflict['candidates'],
    status: r.status as SyncConflict['status'],
    resolution: (r.resolution as string | null) ?? null,
    version: r.version as number,
  };
}

export function recordFromRow(r: Row): SyncRecord {
  return {
    kind: r.kind as SyncRecord['kind'],
    id: r.id as string,
    data: r.data as Record<string, unknown>,
    deleted: r.deleted as boolean,
    hlc: r.hlc as string,
    version: r.version as number,
  };
}

const COLUMNS = {
  tickets: `id, case_number, customer_id, channel, title, description, customer_ref, vendor_ref, reporter_name, reporter_phone,
            priority, assignee, status, policy, created_at, created_by, field_hlc, sla, next_due_at, contract_id, site_id, asset_id, intake, version`,
  ticket_events: 'id, ticket_id, type, at, author, data, device_id, hlc, version',
  conflicts: 'id, ticket_id, field, candidates, status, resolution, version',
  records: 'id, kind, data, deleted, hlc, version',
};

export async function pull(db: Queryable, p: Principal, cursorText: string, limit: number): Promise<PullResponse> {
  const cur = parseCursor(cursorText);
  const t = await db.query<{ version: number; max_hlc: string | null; last_seq: number }>(
    'SELECT t.version, t.max_hlc, d.last_seq FROM tenants t JOIN devices d ON d.tenant_id = t.id WHERE t.id = $1 AND d.id = $2',
    [p.tenantId, p.deviceId],
  );
  const head = t.rows[0];
  if (!head) throw new Error('tenant or device is gone');
  const max = head.version;
  if (cur.v > max) throw new CursorError(`cursor ${cursorText} is ahead of the server (version ${max}); was the server restored from a backup? Pull from "0".`);
  const rows: { v: number; k: number; id: string; change: Change }[] = [];
  for (let k = 0; k < TABLES.length; k++) {
    const table = TABLES[k] as (typeof TABLES)[number];
    let where: string;
    const params: unknown[] = [p.tenantId, max, cur.v];
    if (cur.k === null || k < cur.k) where = 'version > $3';
    else if (k > cur.k) where = 'version >= $3';
    else {
      where = '(version, id) > ($3, $4)';
      params.push(cur.id);
    }
    const r = await db.query<Row>(
      `SELECT ${COLUMNS[table]} FROM ${table} WHERE tenant_id = $1 AND version <= $2 AND ${where} ORDER BY version, id LIMIT ${limit + 1}`,
      params,
    );
    for (const row of r.rows) {
      const change: Change =
        k === 0 ? { kind: 'ticket', ticket: ticketFromRow(row) }
        : k === 1 ? { kind: 'event', event: eventFromRow(row) }
        : k === 2 ? { kind: 'conflict', conflict: conflictFromRow(row) }
        : { kind: 'record', record: recordFromRow(row) };
      rows.push({ v: row.version as number, k, id: row.id as string, change });
    }
  }
  rows.sort((a, b) => a.v - b.v || a.k - b.k || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const more = rows.length > limit;
  const page = more ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const cursor = more && last ? `${last.v}.${last.k}.${last.id}` : String(max);
  return { changes: page.map((r) => r.change), cursor, more, hlc: head.max_hlc, lastSeq: head.last_seq };
}
