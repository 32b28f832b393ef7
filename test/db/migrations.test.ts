import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { DatabaseTooNewError, MigrationError, NotAVaktDatabaseError } from '../../db/errors.js';
import { APPLICATION_ID, LATEST_VERSION, migrateTo, schemaVersion } from '../../db/migrate.js';
import { migrations } from '../../db/migrations/index.js';
import { openStore } from '../../db/store.js';
import { QUERIES } from '../../db/repos/tickets.js';
import { cleanupTempDirs, createDB, explain, T0, tempDir, updateToVersion } from './helpers.js';

afterEach(cleanupTempDirs);

const tables = (db: Database.Database) =>
  (db.prepare(`SELECT name FROM sqlite_schema WHERE type IN ('table','trigger') ORDER BY name`).all() as { name: string }[]).map((r) => r.name);

describe('migration list', () => {
  it('is numbered 1..n with one file each', () => {
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
    expect(LATEST_VERSION).toBe(migrations.length);
    const files = readdirSync(new URL('../../db/migrations/', import.meta.url)).filter((f) => /^\d{4}-.*\.ts$/.test(f));
    expect(files.map((f) => Number(f.slice(0, 4)))).toEqual(migrations.map((m) => m.version));
  });
});

describe('0001-initial', () => {
  it('creates the schema, marks the file as Vakt and sets user_version 1', () => {
    const db = createDB();
    updateToVersion(db, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    for (const t of ['customers', 'contracts', 'contract_contacts', 'sites', 'assets', 'tickets', 'ticket_events', 'attachments', 'notifications', 'outbox', 'sync_state', 'settings', 'device_state', 'case_prefixes', 'ticket_events_no_update', 'ticket_events_no_delete']) {
      expect(tables(db)).toContain(t);
    }
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
  it('constrains statuses and channels', () => {
    const db = createDB();
    updateToVersion(db, 1);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    const ins = (status: string, channel: string) =>
      db.prepare(`INSERT INTO tickets (id, case_number, customer_id, status, channel, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', ?, ?, 0, 0, 'd', 'h')`).run(status + channel, status + channel, status, channel);
    expect(() => ins('open', 'phone')).not.toThrow();
    expect(() => ins('pending', 'phone')).toThrow(/CHECK/);
    expect(() => ins('open', 'fax')).toThrow(/CHECK/);
  });
});

describe('0002-search', () => {
  it('adds the FTS5 table and backfills texts of a version-1 database, folded', () => {
    const db = createDB();
    updateToVersion(db, 1);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, description, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 'Router på Ærø er nede', 0, 0, 'd', 'h')`).run();
    db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES ('e', 't', 'note', 0, 0, '{"text":"Ringede til Søren"}', 'd', 'h')`).run();
    updateToVersion(db, 2);
    expect(schemaVersion(db)).toBe(2);
    const hit = (q: string) => (db.prepare(`SELECT source FROM search_fts WHERE search_fts MATCH ?`).all(q) as { source: string }[]).map((r) => r.source);
    expect(hit('aero')).toEqual(['ticket']);
    expect(hit('soren')).toEqual(['e']);
  });
});

describe('0003-alerts', () => {
  it('adds alert state to notifications (acked rows become acked) and next_wake_at to tickets', () => {
    const db = createDB();
    updateToVersion(db, 2);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    db.prepare(`INSERT INTO notifications (id, ticket_id, target, kind, due_at, created_at, acked_at) VALUES ('n1', 't', 'response', 'breach', 5, 1, 9), ('n2', 't', 'update', 'callback_due', 6, 1, NULL)`).run();
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

describe('0004-sync', () => {
  it('adds the client sync tables and rewrites old-shape pending mutations into numbered server mutations', () => {
    const db = createDB();
    updateToVersion(db, 3);
    db.prepare(`INSERT INTO device_state (id, install_id, device_id, device_seq, created_at) VALUES (1, 'i', 'd', 3, 0)`).run();
    const e1 = '01a20000-0000-7000-8000-000000000001';
    const e2 = '01a20000-0000-7000-8000-000000000002';
    const e3 = '01a20000-0000-7000-8000-000000000003';
    const ticket = { id: '01a20000-0000-7000-8000-0000000000aa', case_number: 'K7-0001-X', customer_id: 'c', channel: 'phone', title: 'T', description: null, priority: 'P1', policy: null, created_at: 5 };
    const ins = db.prepare(`INSERT INTO outbox (id, device_seq, name, version, payload, created_at, updated_at, hlc) VALUES (?, ?, ?, 1, ?, 0, 0, ?)`);
    ins.run('m1', 1, 'customer.create', JSON.stringify({ id: 'c' }), '0000000000001-0000-d');
    ins.run('m2', 2, 'ticket.create', JSON.stringify({ ticket, events: [{ id: e1, type: 'created', author: 'kari' }] }), '0000000000002-0000-d');
    ins.run('m3', 3, 'ticket.event', JSON.stringify({ ticketId: ticket.id, events: [{ id: e2, type: 'callback', at: 6, data: { text: 'x' }, hlc: '0000000000003-0000-d' }, { id: e3, type: 'update_logged', at: 6, data: {}, hlc: '0000000000003-0001-d' }] }), '0000000000003-0000-d');
    updateToVersion(db, 4);
    expect(schemaVersion(db)).toBe(4);
    for (const t of ['sync_tickets', 'sync_orphan_events', 'sync_conflicts', 'sync_rejected_events']) expect(tables(db)).toContain(t);
    const rows = db.prepare(`SELECT id, device_seq, seq, name, payload FROM outbox ORDER BY device_seq`).all() as { id: string; device_seq: number; seq: number | null; name: string; payload: string }[];
    expect(rows.map((r) => [r.id, r.device_seq, r.seq, r.name])).toEqual([
      ['m1', 1, null, 'customer.create'],
      ['m2', 2, 1, 'ticket.create'],
      ['m3', 3, 2, 'ticket.event'],
      [e3, 4, 3, 'ticket.event'],
    ]);
    expect(JSON.parse(rows[1]?.payload as string)).toEqual({ ticketId: ticket.id, caseNumber: 'K7-0001-X', customerId: 'c', channel: 'phone', title: 'T', priority: 'P1', createdAt: 5, createdEventId: e1, author: 'kari' });
    expect(JSON.parse(rows[2]?.payload as string)).toEqual({ ticketId: ticket.id, event: { id: e2, type: 'callback', at: 6, data: { text: 'x' } }, baseVersion: 0 });
    expect(db.prepare(`SELECT device_seq, sync_seq FROM device_state`).get()).toEqual({ device_seq: 4, sync_seq: 3 });
    const cols = (t: string) => (db.pragma(`table_info(${t})`) as { name: string }[]).map((c) => c.name);
    expect(cols('tickets')).toEqual(expect.arrayContaining(['server_version', 'field_hlc']));
    expect(cols('sync_state')).toEqual(expect.arrayContaining(['device_id', 'role', 'case_prefix', 'enrolled_at']));
  });
});

describe('0005-queue-filters', () => {
  it('adds one partial queue index per filter to a version-4 database, used in deadline order', () => {
    const db = createDB();
    updateToVersion(db, 4);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    const ins = db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, status, priority, assignee, next_due_at, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', 'phone', ?, ?, ?, ?, 0, 0, 'd', 'h')`);
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

describe('running migrations', () => {
  it('runs all pending migrations in one transaction: a failure leaves the old version intact', () => {
    const db = createDB();
    updateToVersion(db, 1);
    const broken = [...migrations.slice(0, 1), { version: 2, name: 'broken', up: (d: Database.Database) => { d.exec('CREATE TABLE x (a)'); throw new Error('boom'); } }];
    expect(() => migrateTo(db, 2, broken)).toThrow(MigrationError);
    expect(() => migrateTo(db, 2, broken)).toThrow(/0002-broken failed: boom/);
    expect(schemaVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('x');
  });

  it('takes a backup into <dataDir>/backups/ before migrating an existing file', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'vakt.db'));
    updateToVersion(db, 1);
    db.close();
    const store = openStore({ dataDir: dir, clock: new ManualClock(T0), machineId: 'm' });
    expect(store.opened).toMatchObject({ migratedFrom: 1, version: LATEST_VERSION });
    expect(store.opened.backup).toMatch(/backups\/vakt-.*-pre-migrate-v1\.db$/);
    expect(existsSync(store.opened.backup as string)).toBe(true);
    const copy = new Database(store.opened.backup as string, { readonly: true });
    expect(schemaVersion(copy)).toBe(1);
    copy.close();
    store.close();
  });

  it('refuses a database from a newer version with a clear error, without touching it', () => {
    const dir = tempDir();
    const file = join(dir, 'vakt.db');
    const db = new Database(file);
    updateToVersion(db, LATEST_VERSION);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    let err: unknown;
    try {
      openStore({ dataDir: dir, clock: new ManualClock(T0) });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DatabaseTooNewError);
    expect((err as Error).message).toContain(`schema version ${LATEST_VERSION + 5}`);
    expect((err as Error).message).toContain(file);
    const again = new Database(file, { readonly: true });
    expect(schemaVersion(again)).toBe(LATEST_VERSION + 5);
    again.close();
  });

  it('refuses an SQLite file of another application', () => {
    const dir = tempDir();
    const db = new Database(join(dir, 'vakt.db'));
    db.exec('CREATE TABLE foreign_stuff (a)');
    db.close();
    expect(() => openStore({ dataDir: dir, clock: new ManualClock(T0) })).toThrow(NotAVaktDatabaseError);
  });
});

describe('0006-field-events', () => {
  it('widens ticket_events to the field event types, keeping rows, attachments, the index and the append-only triggers', () => {
    const db = createDB();
    updateToVersion(db, 5);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0001-X', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    const ev = db.prepare(`INSERT INTO ticket_events (id, ticket_id, type, at, recorded_at, data, device_id, hlc) VALUES (?, 't', ?, 1, 1, '{}', 'd', 'h')`);
    ev.run('e1', 'created');
    ev.run('e2', 'note');
    expect(() => ev.run('e3', 'visit_step')).toThrow(/CHECK/);
    db.prepare(`INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES ('a', 't', 'e2', ?, 1, 'image/png', 'x.png', 0, 'd', 'h')`).run('0'.repeat(64));
    updateToVersion(db, 6);
    expect(schemaVersion(db)).toBe(6);
    expect((db.prepare(`SELECT id, type FROM ticket_events ORDER BY id`).all() as unknown[]).length).toBe(2);
    expect(db.prepare(`SELECT event_id FROM attachments WHERE id = 'a'`).get()).toEqual({ event_id: 'e2' });
    for (const type of ['visit_step', 'parts', 'checklist', 'acceptance']) ev.run(`n-${type}`, type);
    expect(() => ev.run('bad', 'lunch')).toThrow(/CHECK/);
    expect(() => db.prepare(`UPDATE ticket_events SET at = 2 WHERE id = 'e1'`).run()).toThrow(/append-only/);
    expect(() => db.prepare(`DELETE FROM ticket_events WHERE id = 'e1'`).run()).toThrow(/append-only/);
    expect(tables(db)).not.toContain('ticket_events_v6');
    expect(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'attachments'`).get()).toMatchObject({ sql: expect.stringContaining('REFERENCES ticket_events(id)') });
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(explain(db, `SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY at, hlc`, 't').join('\n')).toContain('ticket_events_ticket');
  });
});

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
    db.prepare(`INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES ('a', 't', 'e2', ?, 1, 'image/png', 'x.png', 0, 'd', 'h')`).run('0'.repeat(64));
    updateToVersion(db, 7);
    expect(schemaVersion(db)).toBe(7);
    expect(db.prepare(`SELECT id, type FROM ticket_events ORDER BY id`).all()).toEqual([{ id: 'e1', type: 'created' }, { id: 'e2', type: 'acceptance' }]);
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
    expect(db.prepare(`SELECT sha256, direction, size, mime FROM attachment_transfers WHERE direction = 'download'`).all()).toEqual([{ sha256: '9'.repeat(64), direction: 'download', size: 42, mime: 'image/jpeg' }]);
    expect(db.prepare(`SELECT event_id, sha256, name, size, device_id FROM attachments WHERE event_id LIKE 'p%'`).all()).toEqual([{ event_id: 'p1', sha256: '9'.repeat(64), name: 'door.jpg', size: 42, device_id: 'srv-dev' }]);
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
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('0009-sync-records', () => {
  it("moves checklist, wording and rate card from settings into the contract, and publishes every existing record once, parents first, placeholders left out", () => {
    const db = createDB();
    updateToVersion(db, 8);
    db.prepare(`INSERT INTO device_state (id, install_id, device_id, device_seq, sync_seq, created_at) VALUES (1, 'i', 'dev-here', 4, 2, 0)`).run();
    const cust = db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?)`);
    cust.run('019d480e-7400-7001-8000-00000000c001', 'Nordhavn A/S', 10, 20, '10-0000-dev-here');
    cust.run('019d480e-7400-7001-8000-0000abcd1234', 'Customer abcd1234 (synced)', 30, 30, '30-0000-srv'); // placeholder of a pulled ticket
    db.prepare(
      `INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc) VALUES ('019d480e-7400-7001-8000-00000000k001', '019d480e-7400-7001-8000-00000000c001', 'SA1', '{"calendars":{},"policies":{}}', 11, 11, '11-0000-dev-here')`,
    ).run();
    db.prepare(`INSERT INTO contract_contacts (id, contract_id, name, phone, created_at, hlc) VALUES ('019d480e-7400-7001-8000-00000000p001', '019d480e-7400-7001-8000-00000000k001', 'Søren', '+45 72120000', 12, '12-0000-dev-here')`).run();
    const set = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)`);
    set.run('field.checklist.019d480e-7400-7001-8000-00000000k001', JSON.stringify([{ key: 'temp', label: 'Temperature', kind: 'number' }]));
    set.run('desk.wording.019d480e-7400-7001-8000-00000000k001', JSON.stringify({ high: 'Kritisk' }));
    set.run('billing.rateCard.019d480e-7400-7001-8000-00000000k001', JSON.stringify({ currency: 'DKK' }));
    set.run('ui.theme', '"dark"');
    updateToVersion(db, 9);
    expect(schemaVersion(db)).toBe(9);
    const k = db.prepare(`SELECT checklist, wording, rate_card FROM contracts`).get() as Record<string, string>;
    expect(JSON.parse(k.checklist as string)).toEqual([{ key: 'temp', label: 'Temperature', kind: 'number' }]);
    expect(JSON.parse(k.wording as string)).toEqual({ high: 'Kritisk' });
    expect(JSON.parse(k.rate_card as string)).toEqual({ currency: 'DKK' });
    expect(db.prepare(`SELECT key FROM settings`).all()).toEqual([{ key: 'ui.theme' }]);
    const out = db.prepare(`SELECT id, seq, device_seq, name, version, payload, created_at, hlc FROM outbox ORDER BY seq`).all() as Record<string, unknown>[];
    expect(out.map((m) => [m.seq, m.device_seq, m.name, m.version, JSON.parse(m.payload as string).kind, m.hlc])).toEqual([
      [3, 5, 'record.put', 1, 'customer', '10-0000-dev-here'],
      [4, 6, 'record.put', 1, 'contract', '11-0000-dev-here'],
      [5, 7, 'record.put', 1, 'contact', '12-0000-dev-here'],
    ]);
    expect(JSON.parse(out[1]?.payload as string)).toMatchObject({ id: '019d480e-7400-7001-8000-00000000k001', deleted: false, data: { agreementNumber: 'SA1', checklist: [{ key: 'temp' }], wording: { high: 'Kritisk' }, rateCard: { currency: 'DKK' } } });
    for (const m of out) expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(db.prepare(`SELECT device_seq, sync_seq FROM device_state`).get()).toEqual({ device_seq: 7, sync_seq: 5 });
    expect(db.prepare(`SELECT id, hlc FROM sync_records ORDER BY hlc`).all()).toHaveLength(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['sync_records', 'sync_orphan_records']));
    // A record that arrives after its tickets finds them by index, not by reading every pulled ticket.
    for (const [col, key, index] of [['contract_id', 'contractId', 'sync_tickets_contract'], ['site_id', 'siteId', 'sync_tickets_site'], ['asset_id', 'assetId', 'sync_tickets_asset']]) {
      const plan = explain(db, `UPDATE tickets SET ${col} = ? WHERE ${col} IS NULL AND id IN (SELECT id FROM sync_tickets WHERE json_extract(row, '$.${key}') = ?)`, 'x', 'x');
      expect(plan.join(' | ')).toContain(`USING INDEX ${index}`);
    }
  });
});

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

describe('0012-search-ticket-fields', () => {
  it("rebuilds each ticket's search row with its reporter and customer reference; the case-number part query reads the case-number index only", () => {
    const db = createDB();
    updateToVersion(db, 11);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(
      `INSERT INTO tickets (id, case_number, customer_id, channel, title, description, reporter_name, customer_ref, created_at, updated_at, created_by, hlc) VALUES ('t', 'K7-0003-X', 'c', 'phone', 'Mail down', 'Router på Ærø', 'Søren Kjær', 'PO-7781', 0, 0, 'd', 'h')`,
    ).run();
    db.prepare(`INSERT INTO tickets (id, case_number, customer_id, channel, created_at, updated_at, created_by, hlc) VALUES ('u', 'K7-0004-Y', 'c', 'phone', 0, 0, 'd', 'h')`).run();
    // the search rows a version-9 store wrote: the ticket's title and description, and a note's
    db.prepare(`INSERT INTO search_fts (body, ticket_id, source) VALUES ('Mail down Router pa Aero', 't', 'ticket'), ('Ringede til kunden', 't', 'e')`).run();
    const hit = (q: string) => (db.prepare(`SELECT ticket_id, source FROM search_fts WHERE search_fts MATCH ?`).all(q) as { ticket_id: string; source: string }[]).map((r) => `${r.ticket_id}:${r.source}`);
    expect(hit('soren')).toEqual([]);
    updateToVersion(db, 12);
    expect(schemaVersion(db)).toBe(12);
    expect(hit('soren')).toEqual(['t:ticket']);
    expect(hit('"PO" "7781"')).toEqual(['t:ticket']);
    expect(hit('aero')).toEqual(['t:ticket']);
    expect(hit('kunden')).toEqual(['t:e']);
    expect((db.prepare(`SELECT count(*) AS n FROM search_fts WHERE source = 'ticket'`).get() as { n: number }).n).toBe(1);
    const plan = explain(db, QUERIES.byCaseNumberPart, '%0003%', 20).join('\n');
    expect(plan).toMatch(/SCAN tickets USING COVERING INDEX/);
    expect(plan).not.toMatch(/SCAN t\b(?! USING)/);
    expect((db.prepare(QUERIES.byCaseNumberPart).all('%0003%', 20) as { id: string }[]).map((r) => r.id)).toEqual(['t']);
  });
});
