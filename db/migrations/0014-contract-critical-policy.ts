/**
 * 0014: the policy a critical fault gets (issue 15 item 1).
 *
 * `contracts.critical_policy` names the contract's policy for a call the
 * officer marks "Critical fault" (the contract file's and the contract
 * record's `criticalPolicy`). NULL: the contract has no critical policy, and a
 * call cannot be registered as critical on it. Synced with the contract record.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 14,
  name: 'contract-critical-policy',
  up(db) {
    db.exec(/* sql */ `ALTER TABLE contracts ADD COLUMN critical_policy TEXT;`);
  },
};
