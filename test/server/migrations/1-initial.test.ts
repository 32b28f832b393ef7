/** Server migration 1, initial (server/migrations.ts): the schema per tenant, and the pull's index. */
import { describe, expect, it } from 'vitest';
import { LATEST_SERVER_SCHEMA, migrate } from '../../../server/migrations.js';
import { databaseAt, explainPg } from './at-version.js';

describe('server migration 1 (initial)', () => {
  it('keeps each tenant apart (ids are per tenant), and the pull reads tickets, events and conflicts after the cursor on their (tenant, version, id) indexes', async () => {
    const db = await databaseAt(1);
    try {
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T1', 0, 0), ('t2', 'T2', 0, 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1, 'd', 1);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t2', 'k1', 'AB-1-X', 'c', 'phone', 1, 'd', 1);`);
      await expect(
        db.query(`INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t1', 'k1', 'AB-2-X', 'c', 'phone', 1, 'd', 2)`),
      ).rejects.toThrow(/duplicate key/);
      await expect(
        db.query(`INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('nobody', 'k9', 'AB-9-X', 'c', 'phone', 1, 'd', 1)`),
      ).rejects.toThrow(/foreign key/);
      for (const [table, index] of [
        ['tickets', 'tickets_pull'],
        ['ticket_events', 'ticket_events_pull'],
        ['conflicts', 'conflicts_pull'],
      ] as const) {
        const plan = await explainPg(db, `SELECT id FROM ${table} WHERE tenant_id = $1 AND version > $2 ORDER BY version, id LIMIT 100`, ['t1', 0]);
        expect(plan, table).toContain(index);
        expect(plan, table).not.toMatch(/\bSort\b/);
      }
      expect(await explainPg(db, `SELECT id FROM conflicts WHERE tenant_id = $1 AND ticket_id = $2 AND field = $3 AND status = 'open'`, ['t1', 'k1', 'title'])).toContain('conflicts_open');
      // A server starting on it applies the later ones only.
      expect(await migrate(db, () => 5)).toEqual([...Array(LATEST_SERVER_SCHEMA - 1).keys()].map((i) => i + 2));
    } finally {
      await db.close();
    }
  });
});
