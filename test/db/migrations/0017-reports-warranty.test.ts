/** 0017 (scheduled reports, warranty): the new columns, and notifications without the foreign key, keeping every alert and index. */
import type Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupTempDirs, createDB, updateToVersion } from '../helpers.js';

afterEach(cleanupTempDirs);

const indexes = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'notifications' AND sql IS NOT NULL ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('0017-reports-warranty', () => {
  it('keeps the alerts of a version-16 database, lets a report reminder be stored, and adds the contract and asset columns', () => {
    const db = createDB();
    updateToVersion(db, 16);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, state, text) VALUES ('n', 't', 'response', 'breach', 5, 1, 'active', 'Response overdue')`).run();
    const before = indexes(db);
    const reminder = () => db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at) VALUES ('r', 'report|k|monthly', 'report', 'report_due', 9, 1)`).run();
    expect(reminder).toThrow(/FOREIGN KEY/);

    updateToVersion(db, 17);
    expect(db.prepare(`SELECT id, ticket_id, state, text FROM notifications`).all()).toEqual([{ id: 'n', ticket_id: 't', state: 'active', text: 'Response overdue' }]);
    expect(indexes(db)).toEqual(before);
    expect(reminder).not.toThrow();
    expect(db.pragma('foreign_key_check')).toEqual([]);

    db.prepare(
      `INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc, reports, warranty, report_sends) VALUES ('k', 'c', 'A1', '{}', 0, 0, 'h', '{"schedules":[]}', '{"terms":[]}', '[]')`,
    ).run();
    expect(() => db.prepare(`UPDATE contracts SET reports = 'not json' WHERE id = 'k'`).run()).toThrow(/CHECK/);
    db.prepare(`INSERT INTO assets (id, customer_id, product, created_at, hlc, purchase_date) VALUES ('a', 'c', 'MacBook', 0, 'h', '2015-01-01')`).run();
    expect(() => db.prepare(`UPDATE assets SET purchase_date = '1.1.2015' WHERE id = 'a'`).run()).toThrow(/CHECK/);
  });
});
