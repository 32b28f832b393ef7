/**
 * 0020: an edit of a contract's calendars or policies makes its open tickets unplanned (issue 19,
 * docs/alerts.md). Their alerts and next wake-ups depend on the policy set, so `wake_planned` goes back
 * to 0 in the same transaction as the edit, written here or pulled; a start re-plans them even if the
 * app closed before the edit's re-planning ended. Through `tickets_contract`, not a scan.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 20,
  name: 'contract-wake',
  up(db) {
    db.exec(/* sql */ `
      CREATE TRIGGER contracts_wake_stale AFTER UPDATE OF policy_set ON contracts
        WHEN NEW.policy_set IS NOT OLD.policy_set
        BEGIN UPDATE tickets SET wake_planned = 0 WHERE contract_id = NEW.id AND wake_planned = 1; END;
    `);
  },
};
