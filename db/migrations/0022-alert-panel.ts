/**
 * 0022: the Alerts panel's page (db/repos/alert-panel.ts, docs/alerts.md "The panel's list") in its
 * order from an index, soonest due first, without sorting every active alert (8 ms of a 11 ms page
 * at 44,000 active alerts). The same order serves `NotificationsRepo.active` (acknowledge all, the
 * handover's summary). And the active alerts never shown (not held back, not snoozed): a start shows
 * them, so an alert stored but not shown before the app stopped (a start's catch-up cut short, a
 * power loss that kept the alert's row but not its pop-up's stamp) is shown, never only counted.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 22,
  name: 'alert-panel',
  up(db) {
    db.exec(/* sql */ `
      CREATE INDEX notifications_panel ON notifications(due_at, created_at, id) WHERE state = 'active';
      CREATE INDEX notifications_unshown ON notifications(due_at, id)
        WHERE state = 'active' AND held = 0 AND snoozed_until IS NULL AND shown_at IS NULL;
    `);
  },
};
