/** Migration 0001-initial (db/migrations/0001-initial.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { APPLICATION_ID, schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0001-initial', () => {
  it('creates the schema, marks the file as Vakt and sets user_version 1', () => {
    const db = createDB();
    updateToVersion(db, 1);
    expect(schemaVersion(db)).toBe(1);
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    for (const t of [
      'customers',
      'contracts',
      'contract_contacts',
      'sites',
      'assets',
      'tickets',
      'ticket_events',
      'attachments',
      'notifications',
      'outbox',
      'sync_state',
      'settings',
      'device_state',
      'case_prefixes',
      'ticket_events_no_update',
      'ticket_events_no_delete',
    ]) {
      expect(tables(db)).toContain(t);
    }
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
  it('constrains statuses and channels', () => {
    const db = createDB();
    updateToVersion(db, 1);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    const ins = (status: string, channel: string) =>
      db
        .prepare(`INSERT INTO tickets (id, case_number, customer_id, status, channel, created_at, updated_at, created_by, hlc) VALUES (?, ?, 'c', ?, ?, 0, 0, 'd', 'h')`)
        .run(status + channel, status + channel, status, channel);
    expect(() => ins('open', 'phone')).not.toThrow();
    expect(() => ins('pending', 'phone')).toThrow(/CHECK/);
    expect(() => ins('open', 'fax')).toThrow(/CHECK/);
  });
  it("serves the open queue by deadline and a customer's tickets newest first from their indexes, without sorting", () => {
    const db = createDB();
    updateToVersion(db, 1);
    const queue = explain(db, `SELECT id FROM tickets WHERE status IN ('open','waiting_on_customer','waiting_on_vendor') ORDER BY ifnull(next_due_at, 9007199254740991), id LIMIT 50`).join('\n');
    expect(queue).toContain('tickets_queue');
    expect(queue).not.toContain('TEMP B-TREE');
    const customer = explain(db, `SELECT id FROM tickets WHERE customer_id = ? ORDER BY created_at DESC, id DESC LIMIT 50`, 'c').join('\n');
    expect(customer).toContain('tickets_customer');
    expect(customer).not.toContain('TEMP B-TREE');
  });
});
