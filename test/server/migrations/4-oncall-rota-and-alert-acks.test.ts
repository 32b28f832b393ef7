/** Server migration 4, oncall-rota-and-alert-acks (server/migrations.ts): rotas as records, and the acks of alerts pulled on their index. */
import { describe, expect, it } from 'vitest';
import { databaseAt, explainPg, upTo } from './at-version.js';

describe('server migration 4 (on-call rota and alert acks)', () => {
  it('lets a record be a rota (the records of schema 3 kept), and adds the acks and snoozes of alerts, one per alert and user, pulled on their index', async () => {
    const db = await databaseAt(3);
    try {
      await db.exec(`
        INSERT INTO tenants (id, name, version, created_at) VALUES ('t1', 'T1', 0, 0);
        INSERT INTO records (tenant_id, id, kind, data, hlc, device_id, version) VALUES ('t1', 'c1', 'customer', '{}', 'h', 'd', 1);`);
      const rota = `INSERT INTO records (tenant_id, id, kind, data, hlc, device_id, version) VALUES ('t1', 'r1', 'rota', '{}', 'h', 'd', 2)`;
      await expect(db.query(rota)).rejects.toThrow(/records_kind_check/);
      await upTo(db, 4);
      await db.query(rota);
      expect((await db.query('SELECT id, kind FROM records ORDER BY id')).rows).toEqual([
        { id: 'c1', kind: 'customer' },
        { id: 'r1', kind: 'rota' },
      ]);
      const ack = (id: string, action: string) =>
        db.query(
          `INSERT INTO alert_acks (tenant_id, id, alert_key, ticket_id, user_id, action, at, received_at, hlc, device_id, version) VALUES ('t1', $1, 'a1', 'k1', 'kari', $2, 1, 1, 'h', 'd', 3)`,
          [id, action],
        );
      await ack('x1', 'ack');
      await expect(ack('x1', 'snooze')).rejects.toThrow(/duplicate key/);
      await expect(ack('x2', 'forget')).rejects.toThrow(/alert_acks_action_check/);
      const plan = await explainPg(db, `SELECT id FROM alert_acks WHERE tenant_id = $1 AND version > $2 ORDER BY version, id LIMIT 100`, ['t1', 0]);
      expect(plan).toContain('alert_acks_pull');
      expect(plan).not.toMatch(/\bSort\b/);
    } finally {
      await db.close();
    }
  });
});
