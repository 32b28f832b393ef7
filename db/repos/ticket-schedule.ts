/** The denormalised schedule of tickets: next deadline, next callback and the alert scheduler's next wake (derived, not synced). */
import type { Ctx } from '../context.js';
import { json, parseInput } from '../context.js';
import { requireTicketRow } from './ticket-rows.js';
import { scheduleInput } from './ticket-schemas.js';
import type { ScheduleInput } from './ticket-schemas.js';
import { QUERIES } from './ticket-queries.js';

export class TicketSchedule {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      setSchedule: db.prepare(`UPDATE tickets SET next_due_at = ?, next_callback_at = ?, sla_summary = ? WHERE id = ?`),
      setDue: db.prepare(`UPDATE tickets SET next_due_at = ? WHERE id = ?`),
      setWake: db.prepare(`UPDATE tickets SET next_wake_at = ? WHERE id = ?`),
      wakeTimes: db.prepare(QUERIES.wakeTimes).raw(),
    };
  }

  /**
   * Stores the denormalised schedule computed by the SLA engine (derived
   * state: each device computes it from the events, so it is not synced), with the SLA summary
   * the queue's rows are built from (`sla`; absent: keep the stored one).
   */
  setSchedule(ticketId: string, schedule: ScheduleInput): void {
    const v = parseInput(scheduleInput, schedule, 'schedule');
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
   * re-planned when lost, so it is committed without waiting for the disk (synchronous=NORMAL for
   * this transaction: the next durable commit syncs it, a crash before that re-plans the ticket):
   * a wake write then costs no fsync and does not hold up the reads queued behind it in the worker.
   */
  setWakeMany(items: { ticketId: string; wakeAt: number | null }[]): number {
    const db = this.ctx.db;
    const was = db.pragma('synchronous', { simple: true }) as number;
    if (was > 1) db.pragma('synchronous = NORMAL');
    try {
      return this.ctx.tx(() => {
        let n = 0;
        for (const it of items) n += this.s.setWake.run(it.wakeAt, it.ticketId).changes;
        return n;
      });
    } finally {
      if (was > 1) db.pragma(`synchronous = ${was}`);
    }
  }

  /**
   * Every ticket the scheduler must watch, with its stored next instant: those
   * not resolved or closed. A null instant (never planned) is returned as 0, so
   * the scheduler plans it at once.
   */
  wakeTimes(): Array<[string, number]> {
    return (this.s.wakeTimes.all() as Array<[string, number | null]>).map(([id, at]) => [id, at ?? 0]);
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
