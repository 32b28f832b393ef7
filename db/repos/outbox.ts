/** The sync outbox: every local change leaves a mutation here, in the transaction of the change. */
import type { Ctx } from '../context.js';
import { parseJson } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { clampLimit } from '../paging.js';

export type MutationStatus = 'pending' | 'applied' | 'rejected';
export interface Mutation {
  id: string;
  deviceSeq: number;
  name: string;
  version: number;
  payload: unknown;
  status: MutationStatus;
  reason: string | null;
  createdAt: number;
  updatedAt: number;
  hlc: string;
}

type Row = Record<string, unknown>;
const toM = (r: Row): Mutation => ({
  id: r.id as string,
  deviceSeq: r.device_seq as number,
  name: r.name as string,
  version: r.version as number,
  payload: parseJson(r.payload as string, null),
  status: r.status as MutationStatus,
  reason: (r.reason as string | null) ?? null,
  createdAt: r.created_at as number,
  updatedAt: r.updated_at as number,
  hlc: r.hlc as string,
});

export interface SyncState {
  serverUrl: string | null;
  tenantId: string | null;
  pullCursor: string | null;
  lastPullAt: number | null;
  lastPushAt: number | null;
}

export class OutboxRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      pending: db.prepare(`SELECT * FROM outbox WHERE status = 'pending' AND device_seq > ? ORDER BY device_seq LIMIT ?`),
      rejected: db.prepare(`SELECT * FROM outbox WHERE status = 'rejected' ORDER BY device_seq LIMIT ?`),
      get: db.prepare(`SELECT * FROM outbox WHERE id = ?`),
      applied: db.prepare(`UPDATE outbox SET status = 'applied', reason = NULL, updated_at = ? WHERE id = ? AND status = 'pending'`),
      rejectedSet: db.prepare(`UPDATE outbox SET status = 'rejected', reason = ?, updated_at = ? WHERE id = ? AND status = 'pending'`),
      counts: db.prepare(`SELECT status, count(*) AS n FROM outbox GROUP BY status`),
      state: db.prepare(`SELECT * FROM sync_state WHERE id = 1`),
      setState: db.prepare(
        `UPDATE sync_state SET server_url = @server_url, tenant_id = @tenant_id, pull_cursor = @pull_cursor, last_pull_at = @last_pull_at, last_push_at = @last_push_at WHERE id = 1`,
      ),
    };
  }

  /** Pending mutations in device order (after `afterSeq`). */
  pending(limit = 100, afterSeq = 0): Mutation[] {
    return (this.s.pending.all(afterSeq, clampLimit(limit, 5000)) as Row[]).map(toM);
  }

  rejected(limit = 100): Mutation[] {
    return (this.s.rejected.all(clampLimit(limit, 5000)) as Row[]).map(toM);
  }

  get(id: string): Mutation | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toM(r) : null;
  }

  markApplied(ids: string[]): number {
    return this.ctx.tx(() => ids.reduce((n, id) => n + this.s.applied.run(this.ctx.clock.now(), id).changes, 0));
  }

  /** Marks a mutation rejected by the server; it is kept, with the reason, for the user to see. */
  markRejected(id: string, reason: string): Mutation {
    if (!reason.trim()) throw new ValidationError('must say why', 'reason');
    return this.ctx.tx(() => {
      if (this.s.rejectedSet.run(reason, this.ctx.clock.now(), id).changes === 0) {
        if (!this.s.get.get(id)) throw new NotFoundError(`mutation ${id} does not exist`);
      }
      return this.get(id) as Mutation;
    });
  }

  counts(): Record<MutationStatus, number> {
    const out: Record<MutationStatus, number> = { pending: 0, applied: 0, rejected: 0 };
    for (const r of this.s.counts.all() as { status: MutationStatus; n: number }[]) out[r.status] = r.n;
    return out;
  }

  syncState(): SyncState {
    const r = this.s.state.get() as Row;
    return {
      serverUrl: (r.server_url as string | null) ?? null,
      tenantId: (r.tenant_id as string | null) ?? null,
      pullCursor: (r.pull_cursor as string | null) ?? null,
      lastPullAt: (r.last_pull_at as number | null) ?? null,
      lastPushAt: (r.last_push_at as number | null) ?? null,
    };
  }

  setSyncState(patch: Partial<SyncState>): SyncState {
    const cur = { ...this.syncState(), ...patch };
    this.s.setState.run({ server_url: cur.serverUrl, tenant_id: cur.tenantId, pull_cursor: cur.pullCursor, last_pull_at: cur.lastPullAt, last_push_at: cur.lastPushAt });
    return this.syncState();
  }
}
