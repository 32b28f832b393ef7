/**
 * What every mutator of a push shares (server/push.ts): the transaction, the pushing device, the
 * push's pending version and clock reading, the queue that holds a mutation's writes until it has
 * passed every check, and the tickets whose SLA state must be re-derived (server/push-sla.ts).
 */
import { REJECT_TEXT } from '../../core/sync/protocol.js';
import type { RejectReason } from '../../core/sync/protocol.js';
import type { ConflictField, TicketStatus } from '../../core/sync/mutations.js';
import type { Principal } from '../auth.js';
import type { TxQueryable } from '../db.js';
import { forPg, sql, sqlId, sqlJoin } from '../../db/sql.js';
import { TICKET_FIELDS, isTicketTextField } from '../../core/domain/ticket-fields.js';
import type { MutationEffect } from '../../core/sync/replay.js';
import type { Sql } from '../../db/sql.js';

export class Rejection extends Error {
  constructor(
    readonly reason: RejectReason,
    message?: string,
  ) {
    super(message ?? REJECT_TEXT[reason]);
  }
}

/** What an applied mutation answers besides `applied`. */
export interface Applied {
  conflictId?: string;
  message?: string;
}

export interface TicketRow {
  id: string;
  status: TicketStatus;
  field_hlc: Record<string, string>;
  /** The tenant version at which the status was set (null: not known). */
  status_version: number | null;
  policy: string | null;
  priority: string | null;
  assignee: string | null;
  [k: string]: unknown;
}

/** A late last-writer-wins write (see PushState.lateLww): the effect it won when read (core/sync/replay.ts effectOn). */
export interface LateLww {
  ticketId: string;
  effect: MutationEffect;
  hlc: string;
}

export class PushState {
  /** The tenant's SLA contract (undefined: not read yet). */
  contract: unknown = undefined;
  /** Tickets whose events or contract changed: their SLA state is re-derived before commit. */
  readonly touched = new Set<string>();
  /** The id of the mutation being applied (a new conflict takes it). */
  mutationId = '';
  /** The server's clock at the pushing device's last pull (server/event-times.ts); null: never pulled. */
  lastPullAt: number | null = null;
  /**
   * When set, last-writer-wins fields are written late: the ticket is read without a lock and the
   * conditional UPDATE goes with the push's last statement, so a ticket many devices change at once
   * is row-locked for well under a millisecond per push, not for the whole push. Only for pushes
   * that lock no other existing ticket (no lock-order deadlock, see applyPush). A newer value that
   * commits in between wins in the UPDATE's condition; the result then says applied, not superseded.
   */
  lateLww = false;
  readonly late: LateLww[] = [];

  constructor(
    readonly tx: TxQueryable,
    readonly p: Principal,
    readonly version: number,
    readonly now: number,
  ) {}

  /**
   * A mutation's writes wait here until it has passed every check, then are queued on the
   * transaction (sent with the next statement): a rejected mutation writes nothing, with or
   * without a savepoint (see applyPush).
   */
  private writes: { sql: string; params: unknown[] }[] = [];
  async write(text: string | Sql, params: unknown[] = []): Promise<void> {
    if (typeof text === 'string') this.writes.push({ sql: text, params });
    else {
      const q = forPg(text);
      this.writes.push({ sql: q.text, params: q.params as unknown[] });
    }
  }
  async queueWrites(): Promise<void> {
    for (const w of this.writes.splice(0)) await this.tx.defer(w.sql, w.params);
  }
  dropWrites(): void {
    this.writes = [];
  }

  /** The ticket, row-locked. Reads (one round trip each) go now; writes wait (see write). */
  async ticket(id: string): Promise<TicketRow> {
    const r = await this.tx.query<TicketRow>('SELECT * FROM tickets WHERE tenant_id = $1 AND id = $2 FOR UPDATE', [this.p.tenantId, id]);
    const t = r.rows[0];
    if (!t) throw new Rejection('unknown_ticket');
    return t;
  }

  /** Sets `set` (null: nothing else) and the push's version on the ticket, and marks it for re-derivation. */
  async bump(ticketId: string, set: Sql | null): Promise<void> {
    const sets = set ? sql`${set}, version = ${this.version}` : sql`version = ${this.version}`;
    await this.write(sql`UPDATE tickets SET ${sets} WHERE tenant_id = ${this.p.tenantId} AND id = ${ticketId}`);
    this.touched.add(ticketId);
  }

  async insertEvent(ticketId: string, e: { id: string; type: string; at: number; author?: string | null | undefined; data: Record<string, unknown> }, hlc: string): Promise<void> {
    await this.write(
      `INSERT INTO ticket_events (tenant_id, id, ticket_id, type, at, author, data, device_id, hlc, version, received_at, device_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12) ON CONFLICT (tenant_id, id) DO NOTHING`,
      [this.p.tenantId, e.id, ticketId, e.type, e.at, e.author ?? null, JSON.stringify(e.data), this.p.deviceId, hlc, this.version, this.now, this.p.deviceName],
    );
  }
}

/**
 * The SET list that writes a mutation's effect (core/sync/replay.ts, as devices replay it) on the
 * ticket's row: its fields (text fields by their column) and their HLCs in `field_hlc`. `extra`: more
 * assignments of the same UPDATE.
 */
export function effectSets(t: TicketRow, e: MutationEffect, hlc: string, extra: Sql[] = []): Sql {
  const fh = { ...t.field_hlc };
  for (const k of e.stamps) fh[k] = hlc;
  const intake = Object.keys(e.intake).length ? [sql`intake = ${JSON.stringify({ ...((t.intake as Record<string, string | null> | null) ?? {}), ...e.intake })}::jsonb`] : [];
  return sqlJoin([...columnSets(e), ...intake, ...extra, sql`field_hlc = ${JSON.stringify(fh)}::jsonb`]);
}

/** The effect's fields as column assignments (text fields by their column). */
function columnSets(e: MutationEffect): Sql[] {
  return Object.entries(e.set).map(([f, v]) => sql`${sqlId(isTicketTextField(f) ? TICKET_FIELDS[f].column : f)} = ${v as string | null}`);
}

/**
 * A late last-writer-wins write (PushState.lateLww) of the effect core/sync/replay.ts decided on an
 * unlocked read: its fields and its stamps merged into `field_hlc`, on the condition that each
 * stamp's HLC there is still older (a newer value committed in between wins).
 */
export function lateEffectUpdate(w: LateLww, tenantId: string, version: number): Sql {
  const fh = Object.fromEntries(w.effect.stamps.map((k) => [k, w.hlc]));
  const intake = Object.keys(w.effect.intake).length ? [sql`intake = coalesce(intake, '{}'::jsonb) || ${JSON.stringify(w.effect.intake)}::jsonb`] : [];
  const older = w.effect.stamps.map((k) => sql`(field_hlc->>${k}::text IS NULL OR field_hlc->>${k}::text COLLATE "C" < ${w.hlc}::text COLLATE "C")`);
  return sql`UPDATE tickets SET ${sqlJoin([...columnSets(w.effect), ...intake, sql`field_hlc = field_hlc || ${JSON.stringify(fh)}::jsonb`, sql`version = ${version}`])}
        WHERE tenant_id = ${tenantId} AND id = ${w.ticketId} AND ${sqlJoin(older, sql` AND `)}`;
}
