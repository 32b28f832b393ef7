/** 0016-services-outages on a version-15 database (issue 20 item 2). */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, updateToVersion } from '../helpers.js';

describe('0016-services-outages', () => {
  it('adds contracts.services (NULL for existing contracts) and the outages table, its checks and its index', () => {
    const db = createDB();
    updateToVersion(db, 15);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc) VALUES ('k', 'c', 'A-1', '{}', 0, 0, 'h')`).run();
    updateToVersion(db, 16);
    expect(schemaVersion(db)).toBe(16);
    expect(db.prepare('SELECT services FROM contracts').get()).toEqual({ services: null });
    expect(() => db.prepare(`UPDATE contracts SET services = 'not json'`).run()).toThrow(/CHECK/);
    const ins = db.prepare(`INSERT INTO outages (id, contract_id, service_id, ticket_id, start_at, end_at, source, created_at, updated_at, hlc) VALUES (?, 'k', 'svc', NULL, ?, ?, ?, 0, 0, 'h')`);
    ins.run('o1', 1000, null, 'alertmanager');
    ins.run('o2', 1000, 2000, 'manual');
    expect(() => ins.run('o3', 2000, 1000, 'manual')).toThrow(/CHECK/);
    expect(() => ins.run('o4', 2000, null, 'carrier pigeon')).toThrow(/CHECK/);
    expect(explain(db, 'SELECT * FROM outages WHERE contract_id = ? AND service_id = ? AND start_at < ?', 'k', 'svc', 5000).join('\n')).toContain('outages_service');
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  });
});
