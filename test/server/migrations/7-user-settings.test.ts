/** Server migration 7, user-settings (server/migrations.ts): a user's own settings (the alert scope), one row per user, pulled by that user's devices. */
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../server/migrations.js';
import { databaseAt, explainPg, versionsFrom } from './at-version.js';

describe('server migration 7 (user settings)', () => {
  it("adds one row of settings per user, with the alert scope 'mine', 'all' or none, read by the user's id and stamped on its pull index", async () => {
    const db = await databaseAt(6);
    try {
      await db.exec(`INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T1', 0, 0);`);
      expect(await migrate(db, () => 7)).toEqual(versionsFrom(7));
      const put = (id: string, scope: string | null) => db.query(`INSERT INTO user_settings (tenant_id, id, alert_scope, hlc, device_id, version) VALUES ('t1', $1, $2, 'h', 'd', 3)`, [id, scope]);
      await put('ola', 'mine');
      await put('kari', null);
      await expect(put('ola', 'all')).rejects.toThrow(/duplicate key/);
      await expect(put('mette', 'everything')).rejects.toThrow(/user_settings_alert_scope_check/);
      expect((await db.query('SELECT id, alert_scope FROM user_settings ORDER BY id')).rows).toEqual([
        { id: 'kari', alert_scope: null },
        { id: 'ola', alert_scope: 'mine' },
      ]);
      // A push stamps its rows by their pending version (server/push.ts finalStatement).
      expect(await explainPg(db, `UPDATE user_settings SET version = 4 WHERE tenant_id = $1 AND version = $2`, ['t1', -5])).toContain('user_settings_pull');
    } finally {
      await db.close();
    }
  });
});
