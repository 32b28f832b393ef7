/** Server migration 3, event-receipts (server/migrations.ts): when the server received each event and from which device, and the device's last pull. */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../server/migrations.js';
import { pull } from '../../../server/pull.js';
import { databaseAt, versionsFrom } from './at-version.js';

describe('server migration 3 (event receipts)', () => {
  it('adds the receipt time and device name to stored events (NULL: not known) and the last pull time to devices', async () => {
    // A database of server schema 2, with an event in it.
    const db = await databaseAt(2);
    try {
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 1, 0);
        INSERT INTO users (id, tenant_id, name, role, created_at) VALUES ('u1', 't1', 'Kari', 'technician', 0);
        INSERT INTO devices (id, tenant_id, user_id, name, token_hash, created_at) VALUES ('d1', 't1', 'u1', 'Phone', 'h', 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version) VALUES ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1000, 'd1', 1);
        INSERT INTO ticket_events (tenant_id, id, ticket_id, type, at, data, device_id, hlc, version) VALUES ('t1', 'e1', 'k1', 'responded', 2000, '{}', 'd1', 'h', 1);`);

      expect(await migrate(db, () => 5)).toEqual(versionsFrom(3));
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
