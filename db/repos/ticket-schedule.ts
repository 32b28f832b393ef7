/** The denormalised schedule of tickets: next deadline, next callback and the alert scheduler's next wake (derived, not synced). */
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../context.js';
import { requireTicketRow } from './ticket-rows.js';
import { instant } from './ticket-schemas.js';
import { QUERIES } from './ticket-queries.js';

export class TicketSchedule {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT * FROM tickets WHERE id = ?`),
      setSchedule: db.prepare(`UPDATE tickets SET next_due_at = ?, next_callback_at = ? WHERE id = ?`),
      setDue: db.prepare(`UPDATE tickets SET next_due_at = ? WHERE id = ?`),
      setWake: db.prepare(`UPDATE tickets SET next_wake_at = ? WHERE id = ?`),
      wakeTimes: db.prepare(QUERIES.wakeTimes).raw(),
    };
  }

  /**
   * Stores the denormalised schedule computed by the SLA engine (derived
   * state: each device computes it from the events, so it is not synced).
   */
  setSchedule(ticketId: string, schedule: { nextDueAt?: number | null; nextCallbackAt?: number | null }): void {
    const v = parseInput(z.object({ nextDueAt: instant.nullish(), nextCallbackAt: instant.nullish() }).strict(), schedule, 'schedule');
    const t = requireTicketRow(this.s.get, ticketId);
    this.s.setSchedule.run(
      v.nextDueAt !== undefined ? v.nextDueAt : (t.next_due_at ?? null),
      v.nextCallbackAt !== undefined ? v.nextCallbackAt : (t.next_callback_at ?? null),
      ticketId,
    );
  }

  /** Stores the alert scheduler's next instant per ticket (tickets.next_wake_at). */
  setWakeMany(items: { ticketId: string; wakeAt: number | null }[]): number {
    return this.ctx.tx(() => {
      let n = 0;
      for (const it of items) n += this.s.setWake.run(it.wakeAt, it.ticketId).changes;
      return n;
    });
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
