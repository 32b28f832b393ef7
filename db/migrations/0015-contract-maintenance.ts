/**
 * 0015: maintenance plans (issue 20 item 1, docs/maintenance.md).
 *
 * - `contracts.maintenance`: the contract's plans (JSON list, checked by
 *   core/agreements/maintenance.ts `checkMaintenance`); NULL: none. Synced
 *   with the contract record.
 * - `tickets_visits`: the planned-visit tickets of a contract by due date. A
 *   planned visit's facts are intake values (`visit_kind`, `visit_due`, ...),
 *   which sync with the ticket; the index finds a contract's visits without
 *   reading its other tickets.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 15,
  name: 'contract-maintenance',
  up(db) {
    db.exec(/* sql */ `
ALTER TABLE contracts ADD COLUMN maintenance TEXT CHECK (maintenance IS NULL OR json_valid(maintenance));
CREATE INDEX tickets_visits ON tickets(contract_id, json_extract(intake, '$.visit_due'))
  WHERE json_extract(intake, '$.visit_kind') IS NOT NULL;
`);
  },
};
