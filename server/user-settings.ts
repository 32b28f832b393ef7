/**
 * A user's own settings on the server (issue 17 item 4, docs/alerts.md "Alert scope"):
 * `user.setAlertScope@1` sets whose tickets alert the user. The user is the pushing device's (a
 * person changes only their own setting); last writer (HLC) wins. Only that user's devices pull the
 * row, as a `userSettings` change (pull.ts).
 */
import { lwwWins } from '../core/sync/merge.js';
import type { MutationPayload } from '../core/sync/mutations.js';
import { SUPERSEDED } from '../core/sync/protocol.js';
import { sql } from '../db/sql.js';
import type { Applied, PushState } from './mutators/state.js';

export async function setAlertScope(s: PushState, m: MutationPayload<'user.setAlertScope@1'>, hlc: string): Promise<Applied> {
  const r = await s.tx.query<{ hlc: string }>('SELECT hlc FROM user_settings WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [s.p.tenantId, s.p.userId]);
  if (!lwwWins(r.rows[0]?.hlc, hlc)) return { message: SUPERSEDED };
  await s.write(
    `INSERT INTO user_settings (tenant_id, id, alert_scope, hlc, device_id, version) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (tenant_id, id) DO UPDATE SET alert_scope = excluded.alert_scope, hlc = excluded.hlc, device_id = excluded.device_id, version = excluded.version
     WHERE user_settings.hlc < excluded.hlc`,
    [s.p.tenantId, s.p.userId, m.alertScope, hlc, s.p.deviceId, s.version],
  );
  return {};
}

/** The wire columns of a `userSettings` change (`SyncUserSettings`). */
export const USER_SETTINGS_WIRE = sql`id, alert_scope AS "alertScope", hlc, version`;
