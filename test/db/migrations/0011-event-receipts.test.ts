/** Migration 0011-event-receipts (db/migrations/0011-event-receipts.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0011-event-receipts', () => {
  it("adds the table of the server's receipts of events, empty; the timeline query joins it by event id, on its index", () => {
    const db = createDB();
    updateToVersion(db, 10);
    expect(tables(db)).not.toContain('sync_event_receipts');
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES ('e1', 't', 'responded', 1, 1, '{}', 'd', 'h')`).run();
    updateToVersion(db, 11);
    expect(schemaVersion(db)).toBe(11);
    expect(db.prepare('SELECT count(*) AS n FROM sync_event_receipts').get()).toEqual({ n: 0 });
    const put = db.prepare('INSERT INTO sync_event_receipts (event_id, received_at, device_id, device_name) VALUES (?, ?, ?, ?)');
    put.run('e1', 5, 'srv-dev', 'Kari phone');
    expect(() => put.run('e2', 'soon', 'srv-dev', null)).toThrow(/cannot store TEXT value in INTEGER column/);
    expect(() => put.run('e3', 5, null, null)).toThrow(/NOT NULL/);
    expect(() => put.run('e1', 6, 'srv-dev', null)).toThrow(/UNIQUE|PRIMARY/);
    const sql = `SELECT e.id, r.received_at, r.device_name FROM ticket_events e LEFT JOIN sync_event_receipts r ON r.event_id = e.id WHERE e.ticket_id = ? ORDER BY e.at, e.hlc`;
    expect(db.prepare(sql).all('t')).toEqual([{ id: 'e1', received_at: 5, device_name: 'Kari phone' }]);
    expect(explain(db, sql, 't').join(' | ')).toMatch(/ticket_events_ticket.*sqlite_autoindex_sync_event_receipts_1/);
  });
});
