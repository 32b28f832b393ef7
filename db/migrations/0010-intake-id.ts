/**
 * 0010: the intake id of a ticket registered on this device (issue 15).
 *
 * The desk makes one id per call taken and sends it with `desk.register`; a
 * second register with the same id (a double-click, a retry, a repeated
 * Enter) answers the ticket the first made instead of making another. The id
 * is unique where set; tickets pulled by sync and those registered before
 * this version have none. It stays on this device (not synced): a repeat
 * comes from the same window.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 10,
  name: 'intake-id',
  up(db) {
    db.exec(/* sql */ `
      ALTER TABLE tickets ADD COLUMN intake_id TEXT;
      CREATE UNIQUE INDEX tickets_intake_id ON tickets(intake_id) WHERE intake_id IS NOT NULL;
    `);
  },
};
