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
 * A page holds at most `limit` changes and `LIMITS.pullPageBytes` bytes of them (a single larger
 * change still goes, alone), so a tenant's 5 MB of notes never arrive in one reply.
 *
 * The cursor is `"<v>"` (everything up to v delivered) or `"<v>.<kind>.<id>"`
 * (a page ended inside version v) -- one version may hold many rows.
 */
import { LIMITS } from '../core/sync/limits.js';
import type { PullResponse } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import type { Queryable } from './db.js';
import { ACK_WIRE } from './alert-acks.js';
import { USER_SETTINGS_WIRE } from './user-settings.js';
import { forPg, sql, sqlId, sqlJoin, sqlNumber } from '../db/sql.js';
import type { Sql } from '../db/sql.js';

interface Cursor {
  v: number;
  /** kind index and id of the last row delivered inside version v; null: all of v delivered. */
  k: number | null;
  id: string;
}

export class CursorError extends Error {}

export function parseCursor(s: string): Cursor {
  const m = /^(\d{1,15})(?:\.([0-5])\.([A-Za-z0-9._:-]{1,100}))?$/.exec(s);
  if (!m) throw new CursorError(`"${s}" is not a pull cursor`);
  return { v: Number(m[1]), k: m[2] === undefined ? null : Number(m[2]), id: m[3] ?? '' };
}

const TABLES = ['tickets', 'ticket_events', 'conflicts', 'records', 'alert_acks', 'user_settings'] as const;

/**
 * Each kind's columns under their wire names (`SyncTicket`, `SyncEvent`, `SyncConflict`, `SyncRecord`
 * in core/sync/mutations.ts): PostgreSQL writes each row as JSON (row_to_json), and the reply is put
 * together from those texts, so the server neither parses rows into objects nor serialises them again.
 */
// A ticket's "nextDueAt" is always null: the server keeps no next-due instant (server/sla.ts); the
// key stays on the wire so devices of this protocol still parse it.
const WIRE: Record<(typeof TABLES)[number], Sql> = {
  tickets: sql`id, case_number AS "caseNumber", customer_id AS "customerId", channel, title, description, customer_ref AS "customerRef",
            vendor_ref AS "vendorRef", reporter_name AS "reporterName", reporter_phone AS "reporterPhone", priority, assignee, status, policy,
            created_at AS "createdAt", created_by AS "createdBy", field_hlc AS "fieldHlc", sla, NULL::bigint AS "nextDueAt",
            contract_id AS "contractId", site_id AS "siteId", asset_id AS "assetId", intake, version`,
  ticket_events: sql`id, ticket_id AS "ticketId", type, at, author, data, device_id AS "deviceId", hlc, version, received_at AS "receivedAt", device_name AS "deviceName"`,
  conflicts: sql`id, ticket_id AS "ticketId", field, candidates, status, resolution, version`,
  records: sql`kind, id, data, deleted, hlc, version`,
  alert_acks: ACK_WIRE,
  user_settings: USER_SETTINGS_WIRE,
};
const KIND = ['ticket', 'event', 'conflict', 'record', 'ack', 'userSettings'] as const;
const PROP = ['ticket', 'event', 'conflict', 'record', 'ack', 'userSettings'] as const;
/** A device pulls only its own user's settings (server/user-settings.ts). */
const ONLY: Partial<Record<(typeof TABLES)[number], (p: Principal) => Sql>> = { user_settings: (p) => sql` AND id = ${p.userId}` };

export interface PullJson {
  /** The PullResponse as JSON text. */
  json: string;
  changes: number;
}

/** The device's last pull time is written at most this often (server/event-times.ts: an older pull only widens its bound). */
const PULL_MARK_MS = 5 * 60_000;

/**
 * One statement (one snapshot, one round trip): the tenant's committed version (max), then each
 * kind's rows after the cursor up to max. Reading max and the rows in one snapshot is as safe as
 * reading max first: the push that committed max did so before the snapshot was taken, and every
 * push with a lower version committed before it (see above), so all their rows are in the snapshot.
 */
export async function pullJson(db: Queryable, p: Principal, cursorText: string, limit: number, now?: number): Promise<PullJson> {
  const cur = parseCursor(cursorText);
  // The page's keys first: each kind's next rows by its pull index (keys only), merged and cut to the
  // page in SQL; only then is each kept row written as JSON, by its primary key. (Each kind's rows were
  // written before the cut: a page of 10,000 built up to 60,000 JSON texts and kept 10,000.)
  const parts = TABLES.map((table, k) => {
    let where: Sql;
    if (cur.k === null || k < cur.k) where = sql`version > ${cur.v}`;
    else if (k > cur.k) where = sql`version >= ${cur.v}`;
    else where = sql`(version, id) > (${cur.v}, ${cur.id})`;
    return sql`(SELECT version AS v, ${sqlNumber(k)} AS k, id FROM ${sqlId(table)}
        WHERE tenant_id = ${p.tenantId}${ONLY[table]?.(p) ?? sql``} AND version <= (SELECT version FROM head) AND ${where} ORDER BY version, id LIMIT ${limit + 1})`;
  });
  const rowJson = TABLES.map(
    (table, k) => sql`WHEN ${sqlNumber(k)} THEN (SELECT row_to_json(x)::text FROM (SELECT ${WIRE[table]} FROM ${sqlId(table)} WHERE tenant_id = ${p.tenantId} AND id = keys.id) x)`,
  );
  // When `now` is given: the server's clock at this pull, kept as the device's `last_pull_at` (in the same statement).
  const mark =
    now === undefined
      ? sql``
      : sql`, mark AS (UPDATE devices SET last_pull_at = ${now}::bigint
     WHERE id = ${p.deviceId} AND tenant_id = ${p.tenantId} AND (last_pull_at IS NULL OR last_pull_at < ${now}::bigint - ${sqlNumber(PULL_MARK_MS)}))`;
  const q = forPg(sql`WITH head AS (SELECT t.version, t.max_hlc, d.last_seq FROM tenants t JOIN devices d ON d.tenant_id = t.id WHERE t.id = ${p.tenantId} AND d.id = ${p.deviceId})${mark},
     keys AS (SELECT v, k, id FROM (${sqlJoin(parts, sql`\n       UNION ALL `)}) u ORDER BY v, k, id LIMIT ${limit + 1})
     SELECT version AS v, -1 AS k, NULL::text AS id, json_build_array(max_hlc, last_seq)::text AS j FROM head
     UNION ALL SELECT v, k, id::text, CASE k ${sqlJoin(rowJson, sql` `)} END FROM keys`);
  const r = await db.query<{ v: number; k: number; id: string | null; j: string }>(q.text, q.params as unknown[]);
  const headRow = r.rows.find((x) => x.k === -1);
  if (!headRow) throw new Error('tenant or device is gone');
  const max = headRow.v;
  const [hlc, lastSeq] = JSON.parse(headRow.j) as [string | null, number];
  if (cur.v > max) throw new CursorError(`cursor ${cursorText} is ahead of the server (version ${max}); was the server restored from a backup? Pull from "0".`);
  const rows = r.rows.filter((x) => x.k >= 0) as { v: number; k: number; id: string; j: string }[];
  rows.sort((a, b) => a.v - b.v || a.k - b.k || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // At most `limit` changes and LIMITS.pullPageBytes of them (one larger change still goes, alone).
  let bytes = 1024; // the reply's own fields: cursor, more, hlc, lastSeq
  let n = 0;
  while (n < Math.min(rows.length, limit)) {
    const size = Buffer.byteLength((rows[n] as { j: string }).j) + 30; // + {"kind":..,"<kind>":}
    if (n > 0 && bytes + size > LIMITS.pullPageBytes) break;
    bytes += size;
    n++;
  }
  const more = rows.length > n;
  const page = rows.slice(0, n);
  const last = page[page.length - 1];
  const cursor = more && last ? `${last.v}.${last.k}.${last.id}` : String(max);
  const changes = page.map((x) => `{"kind":"${KIND[x.k]}","${PROP[x.k]}":${x.j}}`).join(',');
  return {
    json: `{"changes":[${changes}],"cursor":${JSON.stringify(cursor)},"more":${more},"hlc":${JSON.stringify(hlc)},"lastSeq":${JSON.stringify(lastSeq)}}`,
    changes: page.length,
  };
}

export async function pull(db: Queryable, p: Principal, cursorText: string, limit: number): Promise<PullResponse> {
  return JSON.parse((await pullJson(db, p, cursorText, limit)).json) as PullResponse;
}
