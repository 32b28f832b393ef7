/**
 * Conflicts on this device (db/sync-store.ts): the open ones the server reported (pulled), and their
 * resolution, which writes conflict.resolve@1 and shows the value until the server answers.
 */
import type { ConflictField } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { parseJson } from '../context.js';
import { NotFoundError, ValidationError } from '../errors.js';
import { clampLimit } from '../paging.js';
import type { PullApplier } from './pull.js';

export interface LocalConflict {
  id: string;
  ticketId: string;
  caseNumber: string | null;
  field: ConflictField;
  candidates: { value: string | null; hlc: string; deviceId: string }[];
  status: 'open' | 'resolved';
  resolution: string | null;
  /** This device has sent a resolution the server has not answered yet. */
  resolving: boolean;
}

type Row = Record<string, unknown>;

export class SyncConflicts {
  private readonly s;
  constructor(
    private readonly ctx: Ctx,
    private readonly pull: PullApplier,
  ) {
    const db = ctx.db;
    this.s = {
      conflict: db.prepare(`SELECT * FROM sync_conflicts WHERE id = ?`),
      setResolving: db.prepare(`UPDATE sync_conflicts SET resolving = ? WHERE id = ?`),
      ticket: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      conflicts: db.prepare(`SELECT c.*, t.case_number FROM sync_conflicts c LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.status = 'open' ORDER BY c.updated_at DESC, c.id LIMIT ?`),
    };
  }

  /** Open conflicts, newest first. */
  conflicts(limit = 100): LocalConflict[] {
    return (this.s.conflicts.all(clampLimit(limit, 1000)) as Row[]).map(toConflict);
  }

  /**
   * Resolves a conflict with `value`: writes conflict.resolve@1 to the outbox
   * and shows the value locally until the server answers.
   */
  resolveConflict(conflictId: string, value: string | null): LocalConflict {
    return this.ctx.tx(() => {
      const c = this.s.conflict.get(conflictId) as Row | undefined;
      if (!c) throw new NotFoundError(`conflict ${conflictId} does not exist`);
      if (c.status !== 'open') throw new ValidationError('is already resolved', 'conflictId');
      const hlc = this.ctx.hlc.now();
      const id = this.ctx.mutate('conflict.resolve@1', { conflictId, value }, hlc);
      this.s.setResolving.run(id, conflictId);
      this.pull.replay = true;
      this.pull.rebuild(c.ticket_id as string, this.ctx.clock.now());
      const t = this.s.ticket.get(c.ticket_id as string) as Row | undefined;
      return toConflict({ ...(this.s.conflict.get(conflictId) as Row), case_number: t?.case_number ?? null });
    });
  }
}

function toConflict(r: Row): LocalConflict {
  return {
    id: r.id as string,
    ticketId: r.ticket_id as string,
    caseNumber: (r.case_number as string | null) ?? null,
    field: r.field as ConflictField,
    candidates: parseJson(r.candidates as string, []),
    status: r.status as 'open' | 'resolved',
    resolution: (r.resolution as string | null) ?? null,
    resolving: r.resolving != null,
  };
}
