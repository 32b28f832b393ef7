/**
 * 0006: the field technician's event types (issue 8 §1): `visit_step`,
 * `parts`, `checklist`, `acceptance`. SQLite cannot alter a CHECK constraint,
 * so ticket_events is rebuilt with the wider list (same rows, index and
 * append-only triggers). attachments.event_id points at ticket_events: it is
 * set aside while the old table is dropped and put back afterwards, so the
 * foreign key holds at commit (foreign_keys cannot be switched off inside the
 * migration transaction).
 */
import type { Migration } from './types.js';

export const EVENT_TYPES_V6 = [
  'created', 'responded', 'status', 'update_logged', 'policy_changed',
  'note', 'callback', 'escalation', 'time_entry', 'visit', 'assigned', 'edited',
  'visit_step', 'parts', 'checklist', 'acceptance',
] as const;

export const migration: Migration = {
  version: 6,
  name: 'field-events',
  up(db) {
    db.pragma('defer_foreign_keys = ON');
    db.pragma('legacy_alter_table = ON');
    try {
      db.exec(/* sql */ `
        CREATE TABLE ticket_events_v6 (
          id          TEXT PRIMARY KEY,
          ticket_id   TEXT NOT NULL REFERENCES tickets(id),
          type        TEXT NOT NULL CHECK (type IN (${EVENT_TYPES_V6.map((t) => `'${t}'`).join(',')})),
          at          INTEGER NOT NULL,
          recorded_at INTEGER NOT NULL,
          author      TEXT,
          data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
          device_id   TEXT NOT NULL,
          hlc         TEXT NOT NULL
        ) STRICT;
        INSERT INTO ticket_events_v6 (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc)
          SELECT id, ticket_id, type, at, recorded_at, author, data, device_id, hlc FROM ticket_events;
        CREATE TEMP TABLE attachment_events_v6 AS SELECT id, event_id FROM attachments WHERE event_id IS NOT NULL;
        UPDATE attachments SET event_id = NULL WHERE event_id IS NOT NULL;
        DROP TRIGGER ticket_events_no_update;
        DROP TRIGGER ticket_events_no_delete;
        DROP INDEX ticket_events_ticket;
        DROP TABLE ticket_events;
        ALTER TABLE ticket_events_v6 RENAME TO ticket_events;
        CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at, hlc);
        CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
        BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be changed'); END;
        CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
        BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be deleted'); END;
        UPDATE attachments SET event_id = (SELECT k.event_id FROM attachment_events_v6 k WHERE k.id = attachments.id)
          WHERE id IN (SELECT id FROM attachment_events_v6);
        DROP TABLE attachment_events_v6;
      `);
    } finally {
      db.pragma('legacy_alter_table = OFF');
    }
  },
};
