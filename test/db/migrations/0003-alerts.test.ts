/** Migration 0003-alerts (db/migrations/0003-alerts.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, updateToVersion } from '../helpers.js';

describe('0003-alerts', () => {
  it('adds alert state to notifications (acked rows become acked) and next_wake_at to tickets', () => {
    const db = createDB();
    updateToVersion(db, 2);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    db.prepare(
      `INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, acked_at) VALUES ('n1', 't', 'response', 'breach', 5, 1, 9), ('n2', 't', 'update', 'callback_due', 6, 1, NULL)`,
    ).run();
    updateToVersion(db, 3);
    expect(schemaVersion(db)).toBe(3);
    expect(db.prepare(`SELECT id, state, closed_at, critical, held FROM notifications ORDER BY id`).all()).toEqual([
      { id: 'n1', state: 'acked', closed_at: 9, critical: 0, held: 0 },
      { id: 'n2', state: 'active', closed_at: null, critical: 0, held: 0 },
    ]);
    expect(() => db.prepare(`UPDATE notifications SET state = 'gone' WHERE id = 'n2'`).run()).toThrow(/CHECK/);
    expect(db.prepare(`SELECT next_wake_at FROM tickets`).get()).toEqual({ next_wake_at: null });
    const plan = explain(db, `SELECT * FROM notifications WHERE state <> 'resolved' ORDER BY due_at`);
    expect(plan.join(' ')).toContain('notifications_open');
    const wake = explain(db, `SELECT id, next_wake_at FROM tickets WHERE status NOT IN ('resolved','closed')`).join(' ');
    expect(wake).toContain('COVERING INDEX tickets_wake');
  });
});
