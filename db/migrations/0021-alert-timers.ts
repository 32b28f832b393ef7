/**
 * 0021: what a start of the alert scheduler reads instead of every open alert
 * (issue 19, docs/alerts.md "When it wakes"):
 * - the number of active alerts (the tray badge, the Alerts panel's count);
 * - the alerts held back by the quiet hours (shown when they end);
 * - the alerts that pop up again by themselves, a page at a time in the order
 *   they do: the end of a snooze, a critical alert's last pop-up.
 * A ticket's other open alerts are read when the ticket is planned or shown
 * (the unique key's index, by ticket_id).
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 21,
  name: 'alert-timers',
  up(db) {
    db.exec(/* sql */ `
      CREATE INDEX notifications_active ON notifications(held) WHERE state = 'active';
      CREATE INDEX notifications_snoozes ON notifications(snoozed_until, id) WHERE state = 'active' AND held = 0 AND snoozed_until IS NOT NULL;
      CREATE INDEX notifications_shown ON notifications(shown_at, id)
        WHERE state = 'active' AND held = 0 AND snoozed_until IS NULL AND critical = 1 AND shown_at IS NOT NULL;
    `);
  },
};
