/** Server migration 2, records (server/migrations.ts): reference records, one contract per agreement number, and what a ticket needs for its SLA clock on another device. */
import { describe, expect, it } from 'vitest';
import { databaseAt, explainPg, upTo } from './at-version.js';

describe('server migration 2 (records)', () => {
  it('adds the records (kinds checked; one contract per agreement number in a tenant) pulled on their index, and the SLA columns of tickets (NULL for the tickets of schema 1)', async () => {
    const db = await databaseAt(1);
    try {
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T1', 0, 0), ('t2', 'T2', 0, 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1, 'd', 1);`);
      await upTo(db, 2);
      expect((await db.query('SELECT contract_id, site_id, asset_id, intake FROM tickets')).rows).toEqual([{ contract_id: null, site_id: null, asset_id: null, intake: null }]);
      const put = (tenant: string, id: string, kind: string, agreement: string) =>
        db.query(`INSERT INTO records (tenant_id, id, kind, data, hlc, device_id, version) VALUES ($1, $2, $3, $4, 'h', 'd', 1)`, [tenant, id, kind, JSON.stringify({ agreementNumber: agreement })]);
      await put('t1', 'c1', 'contract', 'SA-1');
      await put('t2', 'c1', 'contract', 'SA-1');
      await put('t1', 's1', 'site', 'SA-1');
      await expect(put('t1', 'c2', 'contract', 'SA-1')).rejects.toThrow(/records_agreement/);
      await expect(put('t1', 'x1', 'invoice', 'SA-9')).rejects.toThrow(/records_kind_check/);
      const plan = await explainPg(db, `SELECT id FROM records WHERE tenant_id = $1 AND version > $2 ORDER BY version, id LIMIT 100`, ['t1', 0]);
      expect(plan).toContain('records_pull');
      expect(plan).not.toMatch(/\bSort\b/);
    } finally {
      await db.close();
    }
  });
});
