/**
 * `alert.ack@1` on the server (issue 18 item 4, docs/alerts.md "Escalation"):
 * the latest ack or snooze of an alert by a user, last writer (HLC) wins per
 * (alert, user). The user is the pushing device's. `received_at` is when the
 * server first had it: the instant the ack counts for escalation. Devices
 * pull the rows as `ack` changes (pull.ts).
 */
import type { MutationPayload } from '../core/sync/mutations.js';
import type { Principal } from './auth.js';
import { sql } from '../db/sql.js';

/** The statement storing one ack (queued with the push's other writes; `version` is the push's pending one). */
export function alertAckWrite(m: MutationPayload<'alert.ack@1'>, p: Principal, hlc: string, version: number, now: number): { sql: string; params: unknown[] } {
  return {
    sql: `INSERT INTO alert_acks (tenant_id, id, alert_key, ticket_id, user_id, action, until, at, received_at, hlc, device_id, version)
          VALUES ($1, md5($2 || '|' || $4), $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
          ON CONFLICT (tenant_id, id) DO UPDATE SET action = excluded.action, until = excluded.until, at = excluded.at,
            received_at = CASE WHEN alert_acks.action = 'ack' AND excluded.action = 'ack' THEN alert_acks.received_at ELSE excluded.received_at END,
            hlc = excluded.hlc, device_id = excluded.device_id, version = excluded.version
          WHERE alert_acks.hlc < excluded.hlc`,
    params: [p.tenantId, m.alertKey, m.ticketId, p.userId, m.action, m.until ?? null, m.at, now, hlc, p.deviceId, version],
  };
}

/** The wire columns of an `ack` change (`SyncAlertAck`). */
export const ACK_WIRE = sql`id, alert_key AS "alertKey", ticket_id AS "ticketId", user_id AS "userId", action, until, at, received_at AS "receivedAt", hlc, version`;
