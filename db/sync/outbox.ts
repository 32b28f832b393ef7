/**
 * The outbox side of sync (db/sync-store.ts): the server mutations (outbox rows with a wire `seq`,
 * see ctx.mutate) are pushed in seq order; the server's answers are recorded (`markResults`):
 * rejected ones are kept with their reason, never dropped. After an answer, tickets touched by it are
 * rebuilt from the server copy plus what is still pending, so a rejected or superseded change does
 * not linger locally.
 */
import { rewindHlc } from '../hlc-node.js';
import { SUPERSEDED } from '../../core/sync/protocol.js';
import type { MutationResult } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { parseJson } from '../context.js';
import { clampLimit } from '../paging.js';
import type { PullApplier } from './pull.js';

/** A mutation as it goes on the wire (same shape as main/sync/types.ts PendingMutation). */
export interface WireMutation {
  id: string;
  seq: number;
  name: string;
  version: number;
  hlc: string;
  payload: unknown;
}

export interface SyncCounts {
  pending: number;
  rejected: number;
  conflicts: number;
}

export interface RejectedMutation {
  id: string;
  seq: number | null;
  name: string;
  version: number;
  reason: string;
  message: string | null;
  ticketId: string | null;
  caseNumber: string | null;
  /** For a refused record.put: which record, with a name a person recognises. */
  record: { kind: string; id: string; name: string | null } | null;
  payload: unknown;
  createdAt: number;
  updatedAt: number;
}

type Row = Record<string, unknown>;

export class SyncOutbox {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly pull: PullApplier,
  ) {
    const db = ctx.db;
    this.s = {
      pending: db.prepare(`SELECT id, seq, name, version, hlc, payload FROM outbox WHERE status = 'pending' AND seq IS NOT NULL ORDER BY seq LIMIT ?`),
      get: db.prepare(`SELECT * FROM outbox WHERE id = ?`),
      mark: db.prepare(`UPDATE outbox SET status = @status, reason = @reason, message = @message, conflict_id = @conflict_id, updated_at = @now WHERE id = @id AND status = 'pending'`),
      countPending: db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND seq IS NOT NULL`),
      anyPending: db.prepare(`SELECT 1 FROM outbox WHERE status = 'pending' AND seq IS NOT NULL LIMIT 1`),
      countRejected: db.prepare(`SELECT count(*) AS n FROM outbox WHERE status = 'rejected'`),
      countConflicts: db.prepare(`SELECT count(*) AS n FROM sync_conflicts WHERE status = 'open' AND resolving IS NULL`),
      rejected: db.prepare(`SELECT * FROM outbox WHERE status = 'rejected' ORDER BY device_seq DESC LIMIT ?`),
      setPushed: db.prepare(`UPDATE sync_state SET last_push_at = ? WHERE id = 1`),
      rejectEvent: db.prepare(`INSERT OR IGNORE INTO sync_rejected_events (event_id, mutation_id) VALUES (?, ?)`),
      // A refused note's or callback's text is not found by search either (its search row's source is the event id).
      unindexEvent: db.prepare(`DELETE FROM search_fts WHERE rowid IN (SELECT rowid FROM search_fts WHERE source = ? AND ticket_id = ?)`),
      conflict: db.prepare(`SELECT * FROM sync_conflicts WHERE id = ?`),
      clearResolving: db.prepare(`UPDATE sync_conflicts SET resolving = NULL WHERE resolving = ?`),
      needReplan: db.prepare('INSERT OR IGNORE INTO sync_replan (ticket_id) VALUES (?)'),
      ticket: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
    };
  }

  /** Up to `limit` pending server mutations, oldest (lowest seq) first. */
  pendingMutations(limit: number): WireMutation[] {
    return (this.s.pending.all(clampLimit(limit, 5000)) as Row[]).map((r) => ({
      id: r.id as string,
      seq: r.seq as number,
      name: r.name as string,
      version: r.version as number,
      hlc: r.hlc as string,
      payload: parseJson(r.payload as string, null),
    }));
  }

  /**
   * Records the server's answers (one transaction). `applied` / duplicate of
   * applied -> applied; `rejected` / duplicate of rejected -> rejected with the
   * reason (kept). Answers for unknown or already answered mutations are ignored.
   * Returns the tickets whose local copy was rebuilt.
   */
  markResults(results: MutationResult[]): { ticketIds: string[] } {
    return this.ctx.tx(() => {
      const now = this.ctx.clock.now();
      const touched = new Set<string>();
      let clockAhead = false;
      for (const r of results) {
        const row = this.s.get.get(r.id) as Row | undefined;
        if (!row || row.status !== 'pending') continue;
        const outcome = r.status === 'duplicate' ? (r.outcome ?? 'applied') : r.status;
        const reason = outcome === 'rejected' ? (r.reason ?? 'rejected') : null;
        this.s.mark.run({ id: r.id, status: outcome, reason, message: r.message ?? null, conflict_id: r.conflictId ?? null, now });
        if (reason === 'clock_ahead') clockAhead = true;
        const p = parseJson<Row>(row.payload as string, {});
        if (typeof p.ticketId === 'string') touched.add(p.ticketId);
        const eventId = (p.event as Row | undefined)?.id;
        if (outcome === 'rejected' && row.name === 'ticket.event' && typeof eventId === 'string') {
          this.s.rejectEvent.run(eventId, r.id);
          this.s.unindexEvent.run(eventId, p.ticketId);
        }
        // A refused record change, or one that lost to a later change: the server's copy is what holds.
        if (row.name === 'record.put' && typeof p.id === 'string' && (outcome === 'rejected' || r.message === SUPERSEDED)) this.pull.records.restoreServerCopy(p.id, now, touched);
        if (typeof p.conflictId === 'string') {
          const c = this.s.conflict.get(p.conflictId) as Row | undefined;
          if (c) touched.add(c.ticket_id as string);
          if (outcome === 'rejected') this.s.clearResolving.run(r.id);
        }
      }
      if (results.length) this.s.setPushed.run(now);
      if (clockAhead) rewindHlc(this.ctx); // once the clock is set right, the next change is not refused too
      this.pull.replay = this.s.anyPending.get() !== undefined;
      const rebuilt: string[] = [];
      for (const id of touched) if (this.pull.rebuild(id, now)) rebuilt.push(id);
      for (const id of rebuilt) this.s.needReplan.run(id);
      return { ticketIds: rebuilt };
    });
  }

  counts(): SyncCounts {
    const n = (st: { get(): unknown }) => (st.get() as { n: number }).n;
    return { pending: n(this.s.countPending), rejected: n(this.s.countRejected), conflicts: n(this.s.countConflicts) };
  }

  /** Mutations the server refused, newest first, with the reason. */
  rejected(limit = 100): RejectedMutation[] {
    return (this.s.rejected.all(clampLimit(limit, 1000)) as Row[]).map((r) => {
      const payload = parseJson<Row>(r.payload as string, {});
      const ticketId = typeof payload.ticketId === 'string' ? payload.ticketId : null;
      const t = ticketId ? (this.s.ticket.get(ticketId) as Row | undefined) : undefined;
      return {
        id: r.id as string,
        seq: (r.seq as number | null) ?? null,
        name: r.name as string,
        version: r.version as number,
        reason: (r.reason as string | null) ?? 'rejected',
        message: (r.message as string | null) ?? null,
        ticketId,
        caseNumber: (t?.case_number as string | undefined) ?? (typeof payload.caseNumber === 'string' ? payload.caseNumber : null),
        record: r.name === 'record.put' ? recordSubject(payload) : null,
        payload,
        createdAt: r.created_at as number,
        updatedAt: r.updated_at as number,
      };
    });
  }
}

function recordSubject(p: Row): { kind: string; id: string; name: string | null } {
  const d = (p.data ?? {}) as Row;
  const name = d.agreementNumber ?? d.name ?? d.serialNumber ?? d.product ?? null;
  return { kind: String(p.kind), id: String(p.id), name: typeof name === 'string' ? name : null };
}
