/** Server migration 5, services-integrations (server/migrations.ts): outages as records, integration keys, and the alerts they handle. */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../server/migrations.js';
import { databaseAt, versionsFrom } from './at-version.js';

describe('server migration 5 (services and integrations)', () => {
  it('lets records be outages, and adds integration keys, the monitoring device and the alerts it handles', async () => {
    const db = await databaseAt(4);
    try {
      await db.exec(`INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 1, 0);`);
      const outage = `INSERT INTO records (tenant_id, id, kind, data, hlc, device_id, version) VALUES ('t1', 'o1', 'outage', '{}', 'h', 'd1', 1)`;
      await expect(db.query(outage)).rejects.toThrow(/records_kind_check/);
      expect(await migrate(db, () => 5)).toEqual(versionsFrom(5));
      await db.query(outage);
      await db.query(`INSERT INTO integration_keys (id, tenant_id, key_hash, name, contract_id, service_id, created_at) VALUES ('k1', 't1', 'h1', 'Prometheus', 'c1', 's1', 0)`);
      await expect(db.query(`INSERT INTO integration_keys (id, tenant_id, key_hash, name, contract_id, service_id, created_at) VALUES ('k2', 't1', 'h1', 'Again', 'c1', 's1', 0)`)).rejects.toThrow(
        /key_hash/,
      );
      await db.query(`INSERT INTO integration_alerts (tenant_id, key_id, dedup_key, outage_id, ticket_id, start_at, updated_at) VALUES ('t1', 'k1', 'fp@1', 'o1', 'tk1', 1, 1)`);
    } finally {
      await db.close();
    }
  });
});
