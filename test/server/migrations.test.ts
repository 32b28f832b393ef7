/** Server migrations on a database made by an older server (server/migrations.ts). */
import { describe, expect, it } from 'vitest';
import { createPgliteDb } from '../../server/db.js';
import { LATEST_SERVER_SCHEMA, MIGRATIONS, migrate } from '../../server/migrations.js';
import { pull } from '../../server/pull.js';

describe('server migration 3 (event receipts)', () => {
  it('adds the receipt time and device name to stored events (NULL: not known) and the last pull time to devices', async () => {
    const db = await createPgliteDb(null);
    try {
      // A database of server schema 2, with an event in it.
      await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 2)) {
        await db.exec(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [m.version, m.name]);
      }
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 1, 0);
        INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ('u1', 't1', 'Kari', 'technician', 0);
        INSERT INTO devices (id, tenant_id, user_id, name, token_hash, created_at) VALUES ('d1', 't1', 'u1', 'Phone', 'h', 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1000, 'd1', 1);
        INSERT INTO ticket_events (tenant_id, id, ticket_id, type, at, data, device_id, hlc, version) VALUES ('t1', 'e1', 'k1', 'responded', 2000, '{}', 'd1', 'h', 1);`);

      expect(await migrate(db, () => 5)).toEqual(MIGRATIONS.filter((m) => m.version > 2).map((m) => m.version));
      expect(LATEST_SERVER_SCHEMA).toBe(6);
      const ev = await db.query('SELECT received_at, device_name FROM ticket_events');
      expect(ev.rows).toEqual([{ received_at: null, device_name: null }]);
      expect((await db.query('SELECT last_pull_at FROM devices')).rows).toEqual([{ last_pull_at: null }]);
      const page = await pull(db, { tenantId: 't1', deviceId: 'd1', userId: 'u1', userName: 'Kari', role: 'technician', deviceName: 'Phone' }, '0', 10);
      expect(page.changes.find((c) => c.kind === 'event')).toMatchObject({ event: { id: 'e1', deviceId: 'd1', receivedAt: null, deviceName: null } });
      expect(await migrate(db, () => 6)).toEqual([]);
    } finally {
      await db.close();
    }
  });
});

describe('server migration 5 (services and integrations)', () => {
  it('lets records be outages, and adds integration keys, the monitoring device and the alerts it handles', async () => {
    const db = await createPgliteDb(null);
    try {
      await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
        await db.exec(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [m.version, m.name]);
      }
      await db.exec(`INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 1, 0);`);
      const outage = `INSERT INTO records (tenant_id, id, kind, data, hlc, device_id, version) VALUES ('t1', 'o1', 'outage', '{}', 'h', 'd1', 1)`;
      await expect(db.query(outage)).rejects.toThrow(/records_kind_check/);
      expect(await migrate(db, () => 5)).toEqual(MIGRATIONS.filter((m) => m.version > 4).map((m) => m.version));
      await db.query(outage);
      await db.query(`INSERT INTO integration_keys (id, tenant_id, key_hash, name, contract_id, service_id, created_at) VALUES ('k1', 't1', 'h1', 'Prometheus', 'c1', 's1', 0)`);
      await expect(db.query(`INSERT INTO integration_keys (id, tenant_id, key_hash, name, contract_id, service_id, created_at) VALUES ('k2', 't1', 'h1', 'Again', 'c1', 's1', 0)`)).rejects.toThrow(/key_hash/);
      await db.query(`INSERT INTO integration_alerts (tenant_id, key_id, dedup_key, outage_id, ticket_id, start_at, updated_at) VALUES ('t1', 'k1', 'fp@1', 'o1', 'tk1', 1, 1)`);
    } finally {
      await db.close();
    }
  });
});

describe('server migration 6 (status version)', () => {
  it("keeps a closed ticket's close version as the version of its status; other tickets: not known", async () => {
    const db = await createPgliteDb(null);
    try {
      await db.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 4)) {
        await db.exec(m.sql);
        await db.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, 0)', [m.version, m.name]);
      }
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 9, 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version, status, closed_version) VALUES
          ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1000, 'd1', 8, 'closed', 7),
          ('t1', 'k2', 'AB-2-X', 'c', 'phone', 1000, 'd1', 3, 'resolved', NULL);`);
      expect(await migrate(db, () => 5)).toEqual(MIGRATIONS.filter((m) => m.version > 5).map((m) => m.version));
      expect((await db.query('SELECT id, status_version FROM tickets ORDER BY id')).rows).toEqual([{ id: 'k1', status_version: 7 }, { id: 'k2', status_version: null }]);
    } finally {
      await db.close();
    }
  });
});
