/** Migration 0010-intake-id (db/migrations/0010-intake-id.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, updateToVersion } from '../helpers.js';

describe('0010-intake-id', () => {
  it('adds an intake id to tickets, unique where set; tickets of version 9 keep theirs unset', () => {
    const db = createDB();
    updateToVersion(db, 9);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    const ins = db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', 'phone', 0, 0, 'd', 'h')`);
    ins.run('t1', 'K7-0001-X');
    ins.run('t2', 'K7-0002-X');
    updateToVersion(db, 10);
    expect(schemaVersion(db)).toBe(10);
    expect(db.prepare(`SELECT id, intake_id FROM tickets ORDER BY id`).all()).toEqual([
      { id: 't1', intake_id: null },
      { id: 't2', intake_id: null },
    ]);
    const set = db.prepare(`UPDATE tickets SET intake_id = ? WHERE id = ?`);
    set.run('019d480e-7400-7001-8000-000000000001', 't1');
    expect(() => set.run('019d480e-7400-7001-8000-000000000001', 't2')).toThrow(/UNIQUE/);
    expect(explain(db, `SELECT * FROM tickets WHERE intake_id = ?`, 'x').join(' ')).toContain('tickets_intake_id');
  });
});
