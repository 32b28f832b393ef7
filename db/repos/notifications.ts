/** The alert log the scheduler uses: one row per (ticket, target, kind, due instant). Device-local, not synced. */
import { z } from 'zod';
import type { Ctx } from '../context.js';
import { parseInput } from '../context.js';
import { NotFoundError } from '../errors.js';
import { clampLimit } from './customers.js';

export interface Notification {
  id: string;
  ticketId: string;
  target: string;
  kind: string;
  dueAt: number;
  createdAt: number;
  shownAt: number | null;
  ackedAt: number | null;
  snoozedUntil: number | null;
}

const instant = z.number().int('must be epoch milliseconds (an integer)').min(0);
const key = z
  .object({ ticketId: z.string().min(1), target: z.string().trim().min(1).max(50), kind: z.string().trim().min(1).max(50), dueAt: instant })
  .strict();
export type NotificationKey = z.input<typeof key>;

type Row = Record<string, unknown>;
const toN = (r: Row): Notification => ({
  id: r.id as string,
  ticketId: r.ticket_id as string,
  target: r.target as string,
  kind: r.kind as string,
  dueAt: r.due_at as number,
  createdAt: r.created_at as number,
  shownAt: (r.shown_at as number | null) ?? null,
  ackedAt: (r.acked_at as number | null) ?? null,
  snoozedUntil: (r.snoozed_until as number | null) ?? null,
});

export const NOTIFICATION_QUERIES = {
  pending: `SELECT * FROM notifications WHERE acked_at IS NULL AND due_at <= ? AND (snoozed_until IS NULL OR snoozed_until <= ?) ORDER BY due_at LIMIT ?`,
} as const;

export class NotificationsRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      ins: db.prepare(
        `INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, target, kind, due_at) DO NOTHING`,
      ),
      byKey: db.prepare(`SELECT * FROM notifications WHERE ticket_id = ? AND target = ? AND kind = ? AND due_at = ?`),
      get: db.prepare(`SELECT * FROM notifications WHERE id = ?`),
      shown: db.prepare(`UPDATE notifications SET shown_at = coalesce(shown_at, ?) WHERE id = ?`),
      ack: db.prepare(`UPDATE notifications SET acked_at = coalesce(acked_at, ?) WHERE id = ?`),
      snooze: db.prepare(`UPDATE notifications SET snoozed_until = ? WHERE id = ?`),
      pending: db.prepare(NOTIFICATION_QUERIES.pending),
      forTicket: db.prepare(`SELECT * FROM notifications WHERE ticket_id = ? ORDER BY due_at`),
      ticket: db.prepare(`SELECT 1 FROM tickets WHERE id = ?`),
    };
  }

  /** Records an alert once; returns it and whether this call created it. */
  record(input: NotificationKey): { notification: Notification; created: boolean } {
    const k = parseInput(key, input, 'notification');
    return this.ctx.tx(() => {
      if (!this.s.ticket.get(k.ticketId)) throw new NotFoundError(`ticket ${k.ticketId} does not exist`);
      const r = this.s.ins.run(this.ctx.newId(), k.ticketId, k.target, k.kind, k.dueAt, this.ctx.clock.now());
      return { notification: toN(this.s.byKey.get(k.ticketId, k.target, k.kind, k.dueAt) as Row), created: r.changes === 1 };
    });
  }

  get(id: string): Notification | null {
    const r = this.s.get.get(id) as Row | undefined;
    return r ? toN(r) : null;
  }

  private change(stmt: { run(...a: unknown[]): { changes: number } }, value: number | null, id: string): Notification {
    if (stmt.run(value, id).changes === 0) throw new NotFoundError(`notification ${id} does not exist`);
    return this.get(id) as Notification;
  }

  markShown(id: string, at = this.ctx.clock.now()): Notification {
    return this.change(this.s.shown, at, id);
  }

  ack(id: string, at = this.ctx.clock.now()): Notification {
    return this.change(this.s.ack, at, id);
  }

  snooze(id: string, until: number | null): Notification {
    if (until !== null) parseInput(instant, until, 'until');
    return this.change(this.s.snooze, until, id);
  }

  /** Alerts to show at `now`: due, not acknowledged, not snoozed. */
  pending(now: number, limit = 100): Notification[] {
    parseInput(instant, now, 'now');
    return (this.s.pending.all(now, now, clampLimit(limit)) as Row[]).map(toN);
  }

  forTicket(ticketId: string): Notification[] {
    return (this.s.forTicket.all(ticketId) as Row[]).map(toN);
  }
}
