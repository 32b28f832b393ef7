/**
 * The alert log the scheduler uses: one row per (ticket, target, kind, due instant). Device-local, not
 * synced. Its records are made by the app's own alert scheduler, not entered: they are stored as given.
 */
import type { Ctx } from '../context.js';
import { NotFoundError } from '../errors.js';
import { clampLimit } from '../paging.js';
import { txWithoutFsync } from './no-fsync.js';
import { CRITICAL_PRIORITY } from '../../core/domain/index.js';

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

export interface NotificationKey {
  ticketId: string;
  target: string;
  kind: string;
  dueAt: number;
}

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

/** An alert as the scheduler keeps it (columns added by migration 0003). */
export interface AlertRecord {
  ticketId: string;
  caseNumber: string;
  target: string;
  kind: string;
  dueAt: number;
  critical: boolean;
  text: string;
  state: 'active' | 'acked' | 'resolved';
  raisedAt: number;
  notifiedAt: number | null;
  snoozedUntil: number | null;
  held: boolean;
  closedAt: number | null;
}

export const toAlert = (r: Row): AlertRecord => ({
  ticketId: r.ticket_id as string,
  caseNumber: (r.case_number as string | null) ?? '',
  target: r.target as string,
  kind: r.kind as string,
  dueAt: r.due_at as number,
  critical: r.critical === 1,
  text: (r.text as string | null) ?? '',
  state: r.state as AlertRecord['state'],
  raisedAt: r.created_at as number,
  notifiedAt: (r.shown_at as number | null) ?? null,
  snoozedUntil: (r.snoozed_until as number | null) ?? null,
  held: r.held === 1,
  closedAt: (r.closed_at as number | null) ?? null,
});

/** What routing and the quiet hours read of an alert's ticket (`ticketsOf`). */
export interface AlertTicket {
  ticketId: string;
  contractId: string | null;
  assignee: string | null;
  critical: boolean;
}

/**
 * One re-notification of many alerts, stored once instead of on each alert's row (issue 19): every active
 * critical alert not held nor snoozed and last shown at or before `through` was shown again at `at`. The
 * reads below give such an alert `notifiedAt` = `at` (docs/alerts.md "Re-notification").
 */
export interface RenotifyStamp {
  at: number;
  through: number;
}

/** The settings key the last re-notification stamp is kept under (device-local, like the alerts). */
export const RENOTIFIED_KEY = 'alerts.renotified';

/** An alert read with the last re-notification stamp applied. */
export function stamped(r: Row, st: RenotifyStamp | null): AlertRecord {
  const a = toAlert(r);
  if (st && a.state === 'active' && a.critical && !a.held && a.snoozedUntil === null && a.notifiedAt !== null && a.notifiedAt <= st.through) a.notifiedAt = st.at;
  return a;
}

/** Where a page of timed alerts ended: its last row's instant and id (docs/alerts.md "When it wakes"). */
export interface AlertCursor {
  at: number;
  id: string;
}

/** The active alerts that pop up again by themselves: `snoozes` at the end of their snooze, `shown` (critical) after their last pop-up. */
export type TimedIndex = 'snoozes' | 'shown';

const TIMED: Record<TimedIndex, { col: string; where: string }> = {
  snoozes: { col: 'snoozed_until', where: `state = 'active' AND held = 0 AND snoozed_until IS NOT NULL` },
  shown: { col: 'shown_at', where: `state = 'active' AND held = 0 AND snoozed_until IS NULL AND critical = 1 AND shown_at IS NOT NULL` },
};
const timedPage = (i: TimedIndex) =>
  `SELECT *, ${TIMED[i].col} AS cursor_at FROM notifications INDEXED BY notifications_${i}
   WHERE ${TIMED[i].where} AND (${TIMED[i].col}, id) > (?, ?) ORDER BY ${TIMED[i].col}, id LIMIT ?`;

/** How many ticket ids one read of their open alerts binds (SQLite's variable limit is 32766). */
const TICKETS_PER_READ = 500;

export const NOTIFICATION_QUERIES = {
  open: `SELECT * FROM notifications WHERE state <> 'resolved' ORDER BY due_at`,
  active: `SELECT * FROM notifications WHERE state = 'active' ORDER BY due_at, created_at`,
  activeCount: `SELECT count(*) AS n FROM notifications INDEXED BY notifications_active WHERE state = 'active'`,
  held: `SELECT * FROM notifications INDEXED BY notifications_active WHERE state = 'active' AND held = 1`,
  unshown: `SELECT * FROM notifications INDEXED BY notifications_unshown
            WHERE state = 'active' AND held = 0 AND snoozed_until IS NULL AND shown_at IS NULL ORDER BY due_at, id`,
  snoozes: timedPage('snoozes'),
  shown: timedPage('shown'),
  pending: `SELECT * FROM notifications WHERE acked_at IS NULL AND due_at <= ? AND (snoozed_until IS NULL OR snoozed_until <= ?) ORDER BY due_at LIMIT ?`,
} as const;

export class NotificationsRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      ins: db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (ticket_id, target, kind, due_at) DO NOTHING`),
      byKey: db.prepare(`SELECT * FROM notifications WHERE ticket_id = ? AND target = ? AND kind = ? AND due_at = ?`),
      get: db.prepare(`SELECT * FROM notifications WHERE id = ?`),
      shown: db.prepare(`UPDATE notifications SET shown_at = coalesce(shown_at, ?) WHERE id = ?`),
      ack: db.prepare(`UPDATE notifications SET acked_at = coalesce(acked_at, ?) WHERE id = ?`),
      snooze: db.prepare(`UPDATE notifications SET snoozed_until = ? WHERE id = ?`),
      pending: db.prepare(NOTIFICATION_QUERIES.pending),
      forTicket: db.prepare(`SELECT * FROM notifications WHERE ticket_id = ? ORDER BY due_at`),
      open: db.prepare(NOTIFICATION_QUERIES.open),
      active: db.prepare(NOTIFICATION_QUERIES.active),
      activeCount: db.prepare(NOTIFICATION_QUERIES.activeCount),
      held: db.prepare(NOTIFICATION_QUERIES.held),
      unshown: db.prepare(NOTIFICATION_QUERIES.unshown),
      timed: { snoozes: db.prepare(NOTIFICATION_QUERIES.snoozes), shown: db.prepare(NOTIFICATION_QUERIES.shown) },
      insAlert: db.prepare(
        `INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, shown_at, acked_at, snoozed_until, state, critical, held, closed_at, case_number, text)
         VALUES (@id, @ticketId, @target, @kind, @dueAt, @raisedAt, @notifiedAt, @ackedAt, @snoozedUntil, @state, @critical, @held, @closedAt, @caseNumber, @text)
         ON CONFLICT (ticket_id, target, kind, due_at) DO NOTHING`,
      ),
      updAlert: db.prepare(
        `UPDATE notifications SET shown_at = @notifiedAt, snoozed_until = @snoozedUntil, state = @state, held = @held, closed_at = @closedAt,
           acked_at = CASE WHEN @state = 'acked' THEN coalesce(acked_at, @closedAt) ELSE acked_at END
         WHERE ticket_id = @ticketId AND target = @target AND kind = @kind AND due_at = @dueAt`,
      ),
      ticket: db.prepare(`SELECT 1 FROM tickets WHERE id = ?`),
      getStamp: db.prepare(`SELECT value FROM settings WHERE key = '${RENOTIFIED_KEY}'`),
      setStamp: db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('${RENOTIFIED_KEY}', ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
    };
  }

  /** Records an alert once; returns it and whether this call created it. */
  record(k: NotificationKey): { notification: Notification; created: boolean } {
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
    return this.change(this.s.snooze, until, id);
  }

  /** Alerts to show at `now`: due, not acknowledged, not snoozed. */
  pending(now: number, limit = 100): Notification[] {
    return (this.s.pending.all(now, now, clampLimit(limit)) as Row[]).map(toN);
  }

  /** Alerts not yet resolved (active, or acknowledged while their cause holds). */
  loadOpen(): AlertRecord[] {
    return this.read(this.s.open.all() as Row[]);
  }

  /** The active alerts, soonest due first (the Alerts panel). */
  active(): AlertRecord[] {
    return this.read(this.s.active.all() as Row[]);
  }

  /** What the scheduler reads at start (docs/alerts.md): the number of active alerts and the ones held back by the quiet hours. */
  startup(): { active: number; held: AlertRecord[]; unshown: AlertRecord[]; renotified: RenotifyStamp | null } {
    const all = (q: { all(): unknown[] }) => (q.all() as Row[]).map(toAlert);
    return { active: (this.s.activeCount.get() as { n: number }).n, held: all(this.s.held), unshown: all(this.s.unshown), renotified: this.stamp() };
  }

  /** The last re-notification stamp, or null. */
  stamp(): RenotifyStamp | null {
    const r = this.s.getStamp.get() as { value: string } | undefined;
    return r ? (JSON.parse(r.value) as RenotifyStamp) : null;
  }

  private read(rows: Row[]): AlertRecord[] {
    const st = this.stamp();
    return rows.map((r) => stamped(r, st));
  }

  /**
   * Stores a re-notification: the stamp, and the rows it does not cover (shown again now, or written as they
   * stand so that the new stamp does not cover them), in one transaction without an fsync (as the marks).
   */
  renotified(stamp: RenotifyStamp, alerts: AlertRecord[]): void {
    txWithoutFsync(this.ctx, () => {
      this.s.setStamp.run(JSON.stringify({ at: stamp.at, through: stamp.through }), this.ctx.clock.now());
      for (const a of alerts) this.s.updAlert.run(this.alertParams(a));
    });
  }

  /** The open alerts (not resolved) of these tickets. */
  openOf(ticketIds: readonly string[]): AlertRecord[] {
    const out: AlertRecord[] = [];
    for (let i = 0; i < ticketIds.length; i += TICKETS_PER_READ) {
      const ids = ticketIds.slice(i, i + TICKETS_PER_READ);
      const rows = this.ctx.db.prepare(`SELECT * FROM notifications WHERE ticket_id IN (${ids.map(() => '?').join(', ')}) AND state <> 'resolved' ORDER BY due_at`).all(...ids) as Row[];
      out.push(...this.read(rows));
    }
    return out;
  }

  /**
   * What routing and the quiet hours need of the tickets of alerts (docs/alerts.md): each one's contract,
   * assignee and whether its priority is critical, in one read for all of them (not one per alert).
   */
  ticketsOf(ticketIds: readonly string[]): AlertTicket[] {
    const out: AlertTicket[] = [];
    for (let i = 0; i < ticketIds.length; i += TICKETS_PER_READ) {
      const ids = ticketIds.slice(i, i + TICKETS_PER_READ);
      const rows = this.ctx.db.prepare(`SELECT id, contract_id, assignee, priority FROM tickets WHERE id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as Row[];
      for (const r of rows)
        out.push({ ticketId: r.id as string, contractId: (r.contract_id as string | null) ?? null, assignee: (r.assignee as string | null) ?? null, critical: r.priority === CRITICAL_PRIORITY });
    }
    return out;
  }

  /** A page of the active alerts that pop up again by themselves, in the order they do, after `after`. */
  timed(index: TimedIndex, after: AlertCursor | null, limit: number): { alerts: AlertRecord[]; last: AlertCursor | null } {
    const rows = this.s.timed[index].all(after?.at ?? -Infinity, after?.id ?? '', clampLimit(limit)) as Row[];
    const end = rows[rows.length - 1];
    return { alerts: this.read(rows), last: end ? { at: end.cursor_at as number, id: end.id as string } : null };
  }

  /**
   * Inserts alerts by key in one transaction; returns the ones this call inserted (the rest existed).
   * Without an fsync (no-fsync.ts): lost only to a power loss, after which the scheduler raises it again.
   */
  recordAlerts(alerts: AlertRecord[]): AlertRecord[] {
    return txWithoutFsync(this.ctx, () => {
      const inserted: AlertRecord[] = [];
      for (const a of alerts) {
        const params = { ...this.alertParams(a), id: this.ctx.newId() };
        if (this.s.insAlert.run(params).changes === 1) inserted.push(a);
      }
      return inserted;
    });
  }

  /**
   * Writes the state of alerts already recorded, in one transaction: without an fsync (as recordAlerts)
   * for the scheduler's own marks; `durable` (a person acknowledged or snoozed) at the store's FULL.
   */
  updateAlerts(alerts: AlertRecord[], durable = false): void {
    const write = () => {
      for (const a of alerts) this.s.updAlert.run(this.alertParams(a));
    };
    if (durable) this.ctx.tx(write);
    else txWithoutFsync(this.ctx, write);
  }

  private alertParams(a: AlertRecord) {
    return {
      ticketId: a.ticketId,
      target: a.target,
      kind: a.kind,
      dueAt: a.dueAt,
      raisedAt: a.raisedAt,
      notifiedAt: a.notifiedAt,
      ackedAt: a.state === 'acked' ? a.closedAt : null,
      snoozedUntil: a.snoozedUntil,
      state: a.state,
      critical: a.critical ? 1 : 0,
      held: a.held ? 1 : 0,
      closedAt: a.closedAt,
      caseNumber: a.caseNumber,
      text: a.text,
    };
  }

  forTicket(ticketId: string): Notification[] {
    return (this.s.forTicket.all(ticketId) as Row[]).map(toN);
  }
}
