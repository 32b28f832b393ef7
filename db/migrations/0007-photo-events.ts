/**
 * 0007: the `photo` ticket event (issue 8 §1 "Photos attached"). Same rebuild
 * of ticket_events as 0006 (SQLite cannot alter a CHECK constraint): same
 * rows, index and append-only triggers, attachments.event_id set aside while
 * the old table is dropped and put back afterwards.
 */
import type { Migration } from './types.js';
import { EVENT_TYPES_V6 } from './0006-field-events.js';

export const EVENT_TYPES_V7 = [...EVENT_TYPES_V6, 'photo'] as const;

export const migration: Migration = {
  version: 7,
  name: 'photo-events',
  up(db) {
    db.pragma('defer_foreign_keys = ON');
    db.pragma('legacy_alter_table = ON');
    try {
      db.exec(/* sql */ `
        CREATE TABLE ticket_events_v7 (
          id          TEXT PRIMARY KEY,
          ticket_id   TEXT NOT NULL REFERENCES tickets(id),
          type        TEXT NOT NULL CHECK (type IN (${EVENT_TYPES_V7.map((t) => `'${t}'`).join(',')})),
          at          INTEGER NOT NULL,
          recorded_at INTEGER NOT NULL,
          author      TEXT,
          data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
          device_id   TEXT NOT NULL,
          hlc         TEXT NOT NULL
        ) STRICT;
        INSERT INTO ticket_events_v7 (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc)
          SELECT id, ticket_id, type, at, recorded_at, author, data, device_id, hlc FROM ticket_events;
        CREATE TEMP TABLE attachment_events_v7 AS SELECT id, event_id FROM attachments WHERE event_id IS NOT NULL;
        UPDATE attachments SET event_id = NULL WHERE event_id IS NOT NULL;
        DROP TRIGGER ticket_events_no_update;
        DROP TRIGGER ticket_events_no_delete;
        DROP INDEX ticket_events_ticket;
        DROP TABLE ticket_events;
        ALTER TABLE ticket_events_v7 RENAME TO ticket_events;
        CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at, hlc);
        CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
        BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be changed'); END;
        CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
        BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be deleted'); END;
        UPDATE attachments SET event_id = (SELECT k.event_id FROM attachment_events_v7 k WHERE k.id = attachments.id)
          WHERE id IN (SELECT id FROM attachment_events_v7);
        DROP TABLE attachment_events_v7;
      `);
    } finally {
      db.pragma('legacy_alter_table = OFF');
    }
  },
};
