/** Server migration 6, status-version (server/migrations.ts): status changes merge by what the device had seen (docs/sync.md "Merging"). */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../server/migrations.js';
import { databaseAt, versionsFrom } from './at-version.js';

describe('server migration 6 (status version)', () => {
  it("keeps a closed ticket's close version as the version of its status; other tickets: not known", async () => {
    const db = await databaseAt(5);
    try {
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T', 9, 0);
        INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, created_at, created_by, version, status, closed_version) VALUES
          ('t1', 'k1', 'AB-1-X', 'c', 'phone', 1000, 'd1', 8, 'closed', 7),
          ('t1', 'k2', 'AB-2-X', 'c', 'phone', 1000, 'd1', 3, 'resolved', NULL);`);
      expect(await migrate(db, () => 6)).toEqual(versionsFrom(6));
      expect((await db.query('SELECT id, status_version FROM tickets ORDER BY id')).rows).toEqual([
        { id: 'k1', status_version: 7 },
        { id: 'k2', status_version: null },
      ]);
    } finally {
      await db.close();
    }
  });
});
