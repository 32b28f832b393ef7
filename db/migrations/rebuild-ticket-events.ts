/**
 * Rebuilds ticket_events with a wider list of allowed event types (SQLite
 * cannot alter a CHECK constraint): same rows, index and append-only
 * triggers. attachments.event_id points at ticket_events: it is set aside
 * while the old table is dropped and put back afterwards, so the foreign key
 * holds at commit (foreign_keys cannot be switched off inside the migration
 * transaction). Used by the migrations that add event types (0006, 0007).
 */
import type BetterSqlite3 from 'better-sqlite3';

export function rebuildTicketEvents(db: BetterSqlite3.Database, version: number, types: readonly string[]): void {
  db.pragma('defer_foreign_keys = ON');
  db.pragma('legacy_alter_table = ON');
  try {
    db.exec(/* sql */ `
      CREATE TABLE ticket_events_v${version} (
        id          TEXT PRIMARY KEY,
        ticket_id   TEXT NOT NULL REFERENCES tickets(id),
        type        TEXT NOT NULL CHECK (type IN (${types.map((t) => `'${t}'`).join(',')})),
        at          INTEGER NOT NULL,
        recorded_at INTEGER NOT NULL,
        author      TEXT,
        data        TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(data)),
        device_id   TEXT NOT NULL,
        hlc         TEXT NOT NULL
      ) STRICT;
      INSERT INTO ticket_events_v${version} (id, ticket_id, type, at, recorded_at, author, data, device_id, hlc)
        SELECT id, ticket_id, type, at, recorded_at, author, data, device_id, hlc FROM ticket_events;
      CREATE TEMP TABLE attachment_events_v${version} AS SELECT id, event_id FROM attachments WHERE event_id IS NOT NULL;
      UPDATE attachments SET event_id = NULL WHERE event_id IS NOT NULL;
      DROP TRIGGER ticket_events_no_update;
      DROP TRIGGER ticket_events_no_delete;
      DROP INDEX ticket_events_ticket;
      DROP TABLE ticket_events;
      ALTER TABLE ticket_events_v${version} RENAME TO ticket_events;
      CREATE INDEX ticket_events_ticket ON ticket_events(ticket_id, at, hlc);
      CREATE TRIGGER ticket_events_no_update BEFORE UPDATE ON ticket_events
      BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be changed'); END;
      CREATE TRIGGER ticket_events_no_delete BEFORE DELETE ON ticket_events
      BEGIN SELECT RAISE(ABORT, 'ticket_events is append-only: events cannot be deleted'); END;
      UPDATE attachments SET event_id = (SELECT k.event_id FROM attachment_events_v${version} k WHERE k.id = attachments.id)
        WHERE id IN (SELECT id FROM attachment_events_v${version});
      DROP TABLE attachment_events_v${version};
    `);
  } finally {
    db.pragma('legacy_alter_table = OFF');
  }
}
