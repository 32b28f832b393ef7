/** Migration 0008-attachment-queue (db/migrations/0008-attachment-queue.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0008-attachment-queue', () => {
  it('queues the upload of every photo taken before it, the download of photos pulled before it, and the upload of each photo recorded on this device afterwards', () => {
    const db = createDB();
    updateToVersion(db, 7);
    db.prepare(`INSERT INTO device_state (id, install_id, device_id, created_at) VALUES (1, 'i', 'dev-here', 0)`).run();
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    const ev = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, 't', 'photo', 1, 1, '{}', 'd', 'h')`);
    const att = db.prepare(`INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES (?, 't', ?, ?, 10, 'image/png', 'x.png', ?, ?, 'h')`);
    for (const e of ['e1', 'e2', 'e3', 'e4', 'e5']) ev.run(e);
    att.run('a1', 'e1', '1'.repeat(64), 5, 'dev-here');
    att.run('a2', 'e2', '1'.repeat(64), 6, 'dev-here'); // the same bytes twice: one transfer
    // A photo event pulled from another device under 0007: no attachments row, bytes never fetched; and a malformed one.
    const pulled = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, 't', 'photo', 1, 9, ?, 'srv-dev', 'h9')`);
    pulled.run('p1', JSON.stringify({ sha256: '9'.repeat(64), name: 'door.jpg', mime: 'image/jpeg', size: 42 }));
    pulled.run('p2', JSON.stringify({ sha256: 'not a hash' }));
    updateToVersion(db, 8);
    expect(schemaVersion(db)).toBe(8);
    const rows = () => db.prepare(`SELECT sha256, direction, status, created_at FROM attachment_transfers WHERE direction = 'upload' ORDER BY sha256`).all();
    expect(rows()).toEqual([{ sha256: '1'.repeat(64), direction: 'upload', status: 'pending', created_at: 5 }]);
    expect(db.prepare(`SELECT sha256, direction, size, mime FROM attachment_transfers WHERE direction = 'download'`).all()).toEqual([
      { sha256: '9'.repeat(64), direction: 'download', size: 42, mime: 'image/jpeg' },
    ]);
    expect(db.prepare(`SELECT event_id, sha256, name, size, device_id FROM attachments WHERE event_id LIKE 'p%'`).all()).toEqual([
      { event_id: 'p1', sha256: '9'.repeat(64), name: 'door.jpg', size: 42, device_id: 'srv-dev' },
    ]);
    att.run('a3', 'e3', '2'.repeat(64), 7, 'dev-here'); // a photo taken here: queued in the same transaction
    att.run('a4', 'e4', '3'.repeat(64), 8, 'server-device-of-someone-else'); // a pulled photo: sync-store queues its download itself
    expect(rows()).toEqual([
      { sha256: '1'.repeat(64), direction: 'upload', status: 'pending', created_at: 5 },
      { sha256: '2'.repeat(64), direction: 'upload', status: 'pending', created_at: 7 },
    ]);
    const q = db.prepare(`INSERT INTO attachment_transfers (sha256, direction, size, mime, status, created_at, updated_at) VALUES (?, ?, 1, 'image/png', ?, 0, 0)`);
    expect(() => q.run('4'.repeat(64), 'sideways', 'pending')).toThrow(/CHECK/);
    expect(() => q.run('4'.repeat(64), 'upload', 'lost')).toThrow(/CHECK/);
    expect(() => q.run('../x', 'upload', 'pending')).toThrow(/CHECK/);
    expect(tables(db)).toContain('attachments_queue_upload');
    // The transfers due (attachments repo `due`/`nextDue`) are read on the partial index of unfinished ones.
    expect(explain(db, `SELECT min(next_attempt_at) AS at FROM attachment_transfers WHERE status <> 'done'`).join('\n')).toContain('attachment_transfers_due');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});
