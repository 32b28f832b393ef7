/** Migration 0005-queue-filters (db/migrations/0005-queue-filters.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, updateToVersion } from '../helpers.js';

describe('0005-queue-filters', () => {
  it('adds one partial queue index per filter to a version-4 database, used in deadline order', () => {
    const db = createDB();
    updateToVersion(db, 4);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    const ins = db.prepare(
      `INSERT INTO tickets (id, case_number, customer_id, channel, status, priority, assignee, next_due_at, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', 'phone', ?, ?, ?, ?, 0, 0, 'd', 'h')`,
    );
    for (let i = 0; i < 50; i++) ins.run(`t${i}`, `K7-${String(i).padStart(4, '0')}-X`, i % 5 === 0 ? 'resolved' : 'open', i % 2 ? 'high' : 'normal', `a${i % 3}`, i % 4 ? 1000 + i : null);
    updateToVersion(db, 5);
    expect(schemaVersion(db)).toBe(5);
    const indexes = (db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND name LIKE 'tickets_queue_%' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(['tickets_queue_assignee', 'tickets_queue_contract', 'tickets_queue_priority', 'tickets_queue_status']);
    const sql = `SELECT id FROM tickets t WHERE t.status IN ('open','waiting_on_customer','waiting_on_vendor') AND t.priority = ? ORDER BY ifnull(t.next_due_at, 9007199254740991), t.id`;
    const plan = explain(db, sql, 'high').join('\n');
    expect(plan).toContain('tickets_queue_priority');
    expect(plan).not.toContain('TEMP B-TREE');
    const rows = (db.prepare(sql).all('high') as { id: string }[]).map((r) => r.id);
    expect(rows).toHaveLength(20);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
