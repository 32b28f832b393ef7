/**
 * 0011: when the sync server received each event and from which device
 * (docs/sync.md "Event times"). A pulled event carries `receivedAt` (the
 * server's clock), `deviceId` and `deviceName`; this device keeps them per
 * event id, its own events included (they come back on pull). ticket_events
 * is append-only and an event of this device is stored before the server has
 * it, so the receipt lives beside it. The timeline and the SLA report show it
 * (docs/reports.md "Evidence").
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 11,
  name: 'event-receipts',
  up(db) {
    db.exec(/* sql */ `
      CREATE TABLE sync_event_receipts (
        event_id    TEXT PRIMARY KEY,
        received_at INTEGER,
        device_id   TEXT NOT NULL,
        device_name TEXT
      ) STRICT;
    `);
  },
};
