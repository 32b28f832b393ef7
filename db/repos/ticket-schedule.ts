/** The denormalised schedule of tickets: next deadline, next callback and the alert scheduler's next wake (derived, not synced). */
import type { Ctx } from '../context.js';
import { json } from '../context.js';
import { txWithoutFsync } from './no-fsync.js';
import { requireTicketRow } from './ticket-rows.js';
import type { ScheduleInput } from './ticket-schemas.js';
import { QUERIES } from './ticket-queries.js';
import { CLOSED_STATUSES_SQL as CLOSED } from '../sql.js';

export class TicketSchedule {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      setSchedule: db.prepare(`UPDATE tickets SET next_due_at = ?, next_callback_at = ?, sla_summary = ? WHERE id = ?`),
      setDue: db.prepare(`UPDATE tickets SET next_due_at = ? WHERE id = ?`),
      setWake: db.prepare(`UPDATE tickets SET next_wake_at = ?, wake_planned = 1 WHERE id = ?`),
      wakeTimes: db.prepare(QUERIES.wakeTimes).raw(),
      unplanned: db.prepare(QUERIES.wakeUnplanned).pluck(),
      wakePage: db.prepare(QUERIES.wakePage).raw(),
      allStale: db.prepare(`UPDATE tickets SET wake_planned = 0 WHERE wake_planned = 1 AND status NOT IN (${CLOSED})`),
    };
  }

  /**
   * Stores the denormalised schedule computed by the SLA engine (derived
   * state: each device computes it from the events, so it is not synced), with the SLA summary
   * the queue's rows are built from (`sla`; absent: keep the stored one).
   */
  setSchedule(ticketId: string, v: ScheduleInput): void {
    const t = requireTicketRow(this.s.get, ticketId);
    this.s.setSchedule.run(
      v.nextDueAt !== undefined ? v.nextDueAt : (t.next_due_at ?? null),
      v.nextCallbackAt !== undefined ? v.nextCallbackAt : (t.next_callback_at ?? null),
      v.sla !== undefined ? (v.sla === null ? null : json(v.sla)) : (t.sla_summary ?? null),
      ticketId,
    );
  }

  /**
   * Stores the alert scheduler's next instant per ticket (tickets.next_wake_at). Derived and
   * re-planned when lost, so it is committed without waiting for the disk (no-fsync.ts): a wake
   * write then costs no fsync and does not hold up the reads queued behind it in the worker.
   */
  setWakeMany(items: { ticketId: string; wakeAt: number | null }[]): number {
    return txWithoutFsync(this.ctx, () => {
      let n = 0;
      for (const it of items) n += this.s.setWake.run(it.wakeAt, it.ticketId).changes;
      return n;
    });
  }

  /**
   * Every ticket the scheduler must watch, with its stored next instant: those
   * not resolved or closed and not planned to nothing. A ticket never planned
   * (or changed since) is returned at 0, so the scheduler plans it at once.
   * The app reads these a page at a time instead (unplannedWakes, wakePage).
   */
  wakeTimes(): Array<[string, number]> {
    const out: Array<[string, number]> = [];
    for (const [id, at, planned] of this.s.wakeTimes.all() as Array<[string, number | null, number]>) {
      if (!planned) out.push([id, 0]);
      else if (at !== null) out.push([id, at]);
    }
    return out;
  }

  /** Open tickets never planned or changed since they were (wake_planned = 0), by id after `afterId`. */
  unplannedWakes(afterId: string | null, limit: number): string[] {
    return this.s.unplanned.all(afterId ?? '', limit) as string[];
  }

  /**
   * Every open ticket is to be planned again (whose tickets alert this user changed): listed by
   * `unplannedWakes` until planned, at the next start too if the app stops before. Returns how many.
   */
  replanAll(): number {
    return this.s.allStale.run().changes;
  }

  /** Open tickets' stored next instants in (instant, id) order after the cursor, from the tickets_wake index. */
  wakePage(after: { at: number; id: string } | null, limit: number): Array<[string, number]> {
    return this.s.wakePage.all(after?.at ?? -1, after?.id ?? '', limit) as Array<[string, number]>;
  }

  /** Sets many next_due_at values in one transaction (the SLA engine's periodic refresh). */
  setNextDueMany(items: { ticketId: string; nextDueAt: number | null }[]): number {
    return this.ctx.tx(() => {
      let n = 0;
      for (const it of items) n += this.s.setDue.run(it.nextDueAt, it.ticketId).changes;
      return n;
    });
  }
}
