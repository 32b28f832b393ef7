/** Migration 0014-contract-critical-policy (db/migrations/0014-contract-critical-policy.ts): what it is for, on a database of the version before it. No query of its own. */
import { describe, expect, it } from 'vitest';
import { schemaVersion } from '../../../db/migrate.js';
import { createDB, updateToVersion } from '../helpers.js';

describe('0014-contract-critical-policy', () => {
  it('gives contracts a critical policy, NULL (none: no critical registration) for the contracts of version 13', () => {
    const db = createDB();
    updateToVersion(db, 13);
    db.prepare(`INSERT INTO customers (id, name, created_at, updated_at, hlc) VALUES ('c', 'C', 0, 0, 'h')`).run();
    db.prepare(`INSERT INTO contracts (id, customer_id, agreement_number, policy_set, created_at, updated_at, hlc) VALUES ('k', 'c', 'A-1', '{}', 0, 0, 'h')`).run();
    expect(() => db.prepare(`SELECT critical_policy FROM contracts`).all()).toThrow(/no such column/);
    updateToVersion(db, 14);
    expect(schemaVersion(db)).toBe(14);
    expect(db.prepare(`SELECT critical_policy FROM contracts`).get()).toEqual({ critical_policy: null });
    db.prepare(`UPDATE contracts SET critical_policy = 'critical' WHERE id = 'k'`).run();
    expect(db.prepare(`SELECT critical_policy FROM contracts`).get()).toEqual({ critical_policy: 'critical' });
  });
});
