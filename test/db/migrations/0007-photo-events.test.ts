/** Migration 0007-photo-events (db/migrations/0007-photo-events.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0007-photo-events', () => {
  it('adds the photo event type, keeping rows, attachments, the index and the append-only triggers', () => {
    const db = createDB();
    updateToVersion(db, 6);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    const ev = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, 't', ?, 1, 1, '{}', 'd', 'h')`);
    ev.run('e1', 'created');
    ev.run('e2', 'acceptance');
    expect(() => ev.run('e3', 'photo')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES ('a', 't', 'e2', ?, 1, 'image/png', 'x.png', 0, 'd', 'h')`).run(
      '0'.repeat(64),
    );
    updateToVersion(db, 7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare(`SELECT id, type FROM ticket_events ORDER BY id`).all()).toEqual([
      { id: 'e1', type: 'created' },
      { id: 'e2', type: 'acceptance' },
    ]);
    expect(db.prepare(`SELECT event_id FROM attachments WHERE id = 'a'`).get()).toEqual({ event_id: 'e2' });
    ev.run('n-photo', 'photo');
    expect(() => ev.run('bad', 'lunch')).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE ticket_events SET at = 2 WHERE id = 'e1'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM ticket_events WHERE id = 'e1'`).run()).toThrow(/append-only/);
    expect(tables(db)).not.toContain('ticket_events_v7');
    expect(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'attachments'`).get()).toMatchObject({ sql: expect.stringContaining('REFERENCES ticket_events(id)') });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(explain(db, `SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY at, hlc`, 't').join('\n')).toContain('ticket_events_ticket');
  });
});
