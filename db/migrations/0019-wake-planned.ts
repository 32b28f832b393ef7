/**
 * 0019: "nothing to plan" apart from "never planned" (issue 19, docs/alerts.md).
 *
 * `tickets.wake_planned` is 1 when `next_wake_at` holds the alert scheduler's
 * answer for the ticket as it is now: an instant, or NULL for nothing ahead.
 * It is 0 for a ticket never planned, and goes back to 0 in the same
 * transaction as any change the plan depends on (the trigger below), so a
 * start re-plans only those plus the ones whose instant the clock passed.
 * A stored instant was the scheduler's answer, so those rows start planned.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 19,
  name: 'wake-planned',
  up(db) {
    db.exec(/* sql */ `
      ALTER TABLE tickets ADD COLUMN wake_planned INTEGER NOT NULL DEFAULT 0 CHECK (wake_planned IN (0, 1));
      UPDATE tickets SET wake_planned = 1 WHERE next_wake_at IS NOT NULL;
      -- The open tickets a start must plan (never planned, or changed since).
      CREATE INDEX tickets_wake_unplanned ON tickets(id) WHERE wake_planned = 0 AND status NOT IN ('resolved','closed');
      CREATE TRIGGER tickets_wake_stale AFTER UPDATE OF status, policy, priority, contract_id, escalation_level, hlc ON tickets
        WHEN NEW.wake_planned = 1
        BEGIN UPDATE tickets SET wake_planned = 0 WHERE id = NEW.id; END;
    `);
  },
};
