/**
 * 0003: what the alert scheduler keeps.
 * - notifications: the alert's state (active, acked, resolved), whether it is
 *   critical or held back by quiet hours, when it closed, and the text it was
 *   shown with (so the app can list alerts without re-evaluating tickets).
 * - tickets.next_wake_at: the next instant anything about the ticket changes
 *   (from the SLA engine), so the scheduler can plan 100,000 tickets at start
 *   without evaluating any of them.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 3,
  name: 'alerts',
  up(db) {
    db.exec(/* sql */ `
      ALTER TABLE notifications ADD COLUMN state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active','acked','resolved'));
      ALTER TABLE notifications ADD COLUMN critical INTEGER NOT NULL DEFAULT 0 CHECK (critical IN (0,1));
      ALTER TABLE notifications ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0,1));
      ALTER TABLE notifications ADD COLUMN closed_at INTEGER;
      ALTER TABLE notifications ADD COLUMN case_number TEXT;
      ALTER TABLE notifications ADD COLUMN text TEXT;
      UPDATE notifications SET state = 'acked', closed_at = acked_at WHERE acked_at IS NOT NULL;
      CREATE INDEX notifications_open ON notifications(due_at) WHERE state <> 'resolved';
      ALTER TABLE tickets ADD COLUMN next_wake_at INTEGER;
      -- Covers the scheduler's start-up read of every open ticket's next instant.
      CREATE INDEX tickets_wake ON tickets(next_wake_at, id, status) WHERE status NOT IN ('resolved','closed');
    `);
  },
};
