/** Migration 0009-sync-records (db/migrations/0009-sync-records.ts): what it is for, on a database of the version before it; the EXPLAIN QUERY PLAN of the query its index serves. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, explain, tables, updateToVersion } from '../helpers.js';

describe('0009-sync-records', () => {
  it('moves checklist, wording and rate card from settings into the contract, and publishes every existing record once, parents first, placeholders left out', () => {
    const db = createDB();
    updateToVersion(db, 8);
    db.prepare(`INSERT INTO device_state (id, install_id, device_id, device_seq, sync_seq, created_at) VALUES (1, 'i', 'dev-here', 4, 2, 0)`).run();
    const cust = db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?)`);
    cust.run('019d480e-7400-7001-8000-00000000c001', 'Nordhavn A/S', 10, 20, '10-0000-dev-here');
    cust.run('019d480e-7400-7001-8000-0000abcd1234', 'Customer abcd1234 (synced)', 30, 30, '30-0000-srv'); // placeholder of a pulled ticket
    db.prepare(
      `INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc) VALUES ('019d480e-7400-7001-8000-00000000k001', '019d480e-7400-7001-8000-00000000c001', 'SA1', '{"calendars":{},"policies":{}}', 11, 11, '11-0000-dev-here')`,
    ).run();
    db.prepare(
      `INSERT INTO contract_contacts (id, contract_id, name, phone, created_at, hlc) VALUES ('019d480e-7400-7001-8000-00000000p001', '019d480e-7400-7001-8000-00000000k001', 'Søren', '+45 72120000', 12, '12-0000-dev-here')`,
    ).run();
    const set = db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES (?, ?, 0)`);
    set.run('field.checklist.019d480e-7400-7001-8000-00000000k001', JSON.stringify([{ key: 'temp', label: 'Temperature', kind: 'number' }]));
    set.run('desk.wording.019d480e-7400-7001-8000-00000000k001', JSON.stringify({ high: 'Kritisk' }));
    set.run('billing.rateCard.019d480e-7400-7001-8000-00000000k001', JSON.stringify({ currency: 'DKK' }));
    set.run('ui.theme', '"dark"');
    updateToVersion(db, 9);
    expect(schemaVersion(db)).toBe(9);
    const k = db.prepare(`SELECT checklist, wording, rate_card FROM contracts`).get() as Record<string, string>;
    expect(JSON.parse(k.checklist as string)).toEqual([{ key: 'temp', label: 'Temperature', kind: 'number' }]);
    expect(JSON.parse(k.wording as string)).toEqual({ high: 'Kritisk' });
    expect(JSON.parse(k.rate_card as string)).toEqual({ currency: 'DKK' });
    expect(db.prepare(`SELECT key FROM settings`).all()).toEqual([{ key: 'ui.theme' }]);
    const out = db.prepare(`SELECT id, seq, device_seq, name, version, payload, created_at, hlc FROM outbox ORDER BY seq`).all() as Record<string, unknown>[];
    expect(out.map((m) => [m.seq, m.device_seq, m.name, m.version, JSON.parse(m.payload as string).kind, m.hlc])).toEqual([
      [3, 5, 'record.put', 1, 'customer', '10-0000-dev-here'],
      [4, 6, 'record.put', 1, 'contract', '11-0000-dev-here'],
      [5, 7, 'record.put', 1, 'contact', '12-0000-dev-here'],
    ]);
    expect(JSON.parse(out[1]?.payload as string)).toMatchObject({
      id: '019d480e-7400-7001-8000-00000000k001',
      deleted: false,
      data: { agreementNumber: 'SA1', checklist: [{ key: 'temp' }], wording: { high: 'Kritisk' }, rateCard: { currency: 'DKK' } },
    });
    for (const m of out) expect(m.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(db.prepare(`SELECT device_seq, sync_seq FROM device_state`).get()).toEqual({ device_seq: 7, sync_seq: 5 });
    expect(db.prepare(`SELECT id, hlc FROM sync_records ORDER BY hlc`).all()).toHaveLength(3);
    expect(tables(db)).toEqual(expect.arrayContaining(['sync_records', 'sync_orphan_records']));
    // A record that arrives after its tickets finds them by index, not by reading every pulled ticket.
    for (const [col, key, index] of [
      ['contract_id', 'contractId', 'sync_tickets_contract'],
      ['site_id', 'siteId', 'sync_tickets_site'],
      ['asset_id', 'assetId', 'sync_tickets_asset'],
    ]) {
      const plan = explain(db, `UPDATE tickets SET ${col} = ? WHERE ${col} IS NULL AND id IN (SELECT id FROM sync_tickets WHERE json_extract(row, '$.${key}') = ?)`, 'x', 'x');
      expect(plan.join(' | ')).toContain(`USING INDEX ${index}`);
    }
  });
});
