/**
 * This device's enrolment with a sync server (db/sync-store.ts): the server, tenant, device id,
 * role and case prefix it answered, and when this device last pulled and pushed.
 */
import { adoptHlcNode } from '../hlc-node.js';
import type { PrefixInfo } from '../case-numbers.js';
import type { Ctx } from '../context.js';
import { ValidationError } from '../errors.js';

export interface Enrolment {
  serverUrl: string;
  tenantId: string;
  /** The device id the server assigned (its tokens, its mutation log). */
  deviceId: string;
  role: string;
  casePrefix: string;
  enrolledAt: number;
  /** The user the device is enrolled as (who "I" am in an on-call rota); null for enrolments older than that. */
  userId?: string | null;
  /** That user's name as the admin enrolled them (kept in settings `sync.userName`); null for enrolments older than that. */
  userName?: string | null;
}

type Row = Record<string, unknown>;

export class SyncEnrolment {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly enrolPrefix: (prefix: string) => PrefixInfo,
  ) {
    const db = ctx.db;
    this.s = {
      state: db.prepare(`SELECT * FROM sync_state WHERE id = 1`),
      setEnrolment: db.prepare(
        `UPDATE sync_state SET server_url = @server_url, tenant_id = @tenant_id, device_id = @device_id, role = @role, case_prefix = @case_prefix, enrolled_at = @enrolled_at, user_id = @user_id WHERE id = 1`,
      ),
      userName: db.prepare(`SELECT value FROM settings WHERE key = 'sync.userName'`),
      setUserName: db.prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES ('sync.userName', @value, @now) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ),
    };
  }

  /**
   * Records the enrolment the server answered and switches new case numbers to
   * the server's short prefix. The token is not kept here (see main/sync/token-store.ts).
   */
  enrol(e: Omit<Enrolment, 'enrolledAt'>): Enrolment {
    if (!/^https?:\/\//.test(e.serverUrl)) throw new ValidationError('must be an http(s) URL', 'serverUrl');
    return this.ctx.tx(() => {
      const current = this.enrolment();
      if (current && current.casePrefix === e.casePrefix) {
        // the same enrolment again (a retry after a crash): the prefix is already active
      } else {
        this.enrolPrefix(e.casePrefix);
      }
      const enrolledAt = this.ctx.clock.now();
      this.s.setEnrolment.run({ server_url: e.serverUrl, tenant_id: e.tenantId, device_id: e.deviceId, role: e.role, case_prefix: e.casePrefix, enrolled_at: enrolledAt, user_id: e.userId ?? null });
      this.s.setUserName.run({ value: JSON.stringify(e.userName ?? null), now: enrolledAt });
      adoptHlcNode(this.ctx, e.deviceId); // the server refuses changes stamped with another id
      return { ...e, enrolledAt, userId: e.userId ?? null, userName: e.userName ?? null };
    });
  }

  enrolment(): Enrolment | null {
    const r = this.s.state.get() as Row;
    if (!r.server_url || !r.device_id) return null;
    return {
      serverUrl: r.server_url as string,
      tenantId: (r.tenant_id as string | null) ?? '',
      deviceId: r.device_id as string,
      role: (r.role as string | null) ?? '',
      casePrefix: (r.case_prefix as string | null) ?? '',
      enrolledAt: (r.enrolled_at as number | null) ?? 0,
      userId: (r.user_id as string | null) ?? null,
      userName: JSON.parse(((this.s.userName.get() as Row | undefined)?.value as string | undefined) ?? 'null') as string | null,
    };
  }

  lastSync(): { lastPullAt: number | null; lastPushAt: number | null } {
    const r = this.s.state.get() as Row;
    return { lastPullAt: (r.last_pull_at as number | null) ?? null, lastPushAt: (r.last_push_at as number | null) ?? null };
  }
}
