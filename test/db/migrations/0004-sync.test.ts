/** Migration 0004-sync (db/migrations/0004-sync.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0004-sync', () => {
  it('adds the client sync tables and rewrites old-shape pending mutations into numbered server mutations', () => {
    const db = createDB();
    updateToVersion(db, 3);
    db.prepare(`INSERT INTO device_state (id, install_id, device_id, device_seq, created_at) VALUES (1, 'i', 'd', 3, 0)`).run();
    const e1 = '01a20000-0000-7000-8000-000000000001';
    const e2 = '01a20000-0000-7000-8000-000000000002';
    const e3 = '01a20000-0000-7000-8000-000000000003';
    const ticket = {
      id: '01a20000-0000-7000-8000-0000000000aa',
      case_number: 'K7-0001-X',
      customer_id: 'c',
      channel: 'phone',
      title: 'T',
      description: null,
      priority: 'P1',
      policy: null,
      created_at: 5,
    };
    const ins = db.prepare(`INSERT INTO outbox (id, device_seq, name, version, payload, created_at, updated_at, hlc) VALUES (?, ?, ?, 1, ?, 0, 0, ?)`);
    ins.run('m1', 1, 'customer.create', JSON.stringify({ id: 'c' }), '0000000000001-0000-d');
    ins.run('m2', 2, 'ticket.create', JSON.stringify({ ticket, events: [{ id: e1, type: 'created', author: 'kari' }] }), '0000000000002-0000-d');
    ins.run(
      'm3',
      3,
      'ticket.event',
      JSON.stringify({
        ticketId: ticket.id,
        events: [
          { id: e2, type: 'callback', at: 6, data: { text: 'x' }, hlc: '0000000000003-0000-d' },
          { id: e3, type: 'update_logged', at: 6, data: {}, hlc: '0000000000003-0001-d' },
        ],
      }),
      '0000000000003-0000-d',
    );
    updateToVersion(db, 4);
    expect(schemaVersion(db)).toBe(4);
    for (const t of ['sync_tickets', 'sync_orphan_events', 'sync_conflicts', 'sync_rejected_events']) expect(tables(db)).toContain(t);
    const rows = db.prepare(`SELECT id, device_seq, seq, name, payload FROM outbox ORDER BY device_seq`).all() as {
      id: string;
      device_seq: number;
      seq: number | null;
      name: string;
      payload: string;
    }[];
    expect(rows.map((r) => [r.id, r.device_seq, r.seq, r.name])).toEqual([
      ['m1', 1, null, 'customer.create'],
      ['m2', 2, 1, 'ticket.create'],
      ['m3', 3, 2, 'ticket.event'],
      [e3, 4, 3, 'ticket.event'],
    ]);
    expect(JSON.parse(rows[1]?.payload as string)).toEqual({
      ticketId: ticket.id,
      caseNumber: 'K7-0001-X',
      customerId: 'c',
      channel: 'phone',
      title: 'T',
      priority: 'P1',
      createdAt: 5,
      createdEventId: e1,
      author: 'kari',
    });
    expect(JSON.parse(rows[2]?.payload as string)).toEqual({ ticketId: ticket.id, event: { id: e2, type: 'callback', at: 6, data: { text: 'x' } }, baseVersion: 0 });
    expect(db.prepare(`SELECT device_seq, sync_seq FROM device_state`).get()).toEqual({ device_seq: 4, sync_seq: 3 });
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
    expect(cols('tickets')).toEqual(expect.arrayContaining(['server_version', 'field_hlc']));
    expect(cols('sync_state')).toEqual(expect.arrayContaining(['device_id', 'role', 'case_prefix', 'enrolled_at']));
    // The next push batch (db/sync/outbox.ts `pending`) walks the partial index in seq order, no sort.
    const push = explain(db, `SELECT id, seq, name, version, hlc, payload FROM outbox WHERE status = 'pending' AND seq IS NOT NULL ORDER BY seq LIMIT ?`, 10).join('\n');
    expect(push).toContain('outbox_sync_pending');
    expect(push).not.toContain('TEMP B-TREE');
  });
});
