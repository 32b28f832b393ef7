/**
 * 0008: the durable queue of attachment transfers (photo bytes, docs/sync.md
 * "Attachments").
 *
 * - attachment_transfers: one row per content hash this device must either
 *   upload (a photo taken here: the server does not have the bytes yet) or
 *   download (a pulled `photo` event whose bytes are not here yet). `status`
 *   pending -> done, or `failed` when the server refused for good (too large;
 *   the bytes are kept, the row is retried rarely). `attempts`,
 *   `next_attempt_at` (epoch ms) carry the per-file backoff across restarts;
 *   `error_code` / `error` the last failure, shown in the sync status.
 * - The trigger queues the upload in the transaction that records a photo
 *   taken on this device (attachments row with this device's id), so a photo
 *   cannot exist without its upload being queued. Pulled photos are queued
 *   as downloads by db/sync-store.ts (their rows carry the author's device id).
 * - Photos taken before this version are queued for upload (until now every
 *   attachments row was a photo taken on this device); photo events pulled
 *   before it get their attachments row and a queued download.
 */
import type { Migration } from './types.js';

export const migration: Migration = {
  version: 8,
  name: 'attachment-queue',
  up(db) {
    db.exec(/* sql */ `
      CREATE TABLE attachment_transfers (
        sha256          TEXT PRIMARY KEY CHECK (length(sha256) = 64 AND sha256 NOT GLOB '*[^0-9a-f]*'),
        direction       TEXT NOT NULL CHECK (direction IN ('upload', 'download')),
        size            INTEGER NOT NULL CHECK (size >= 0),
        mime            TEXT NOT NULL,
        ticket_id       TEXT,
        status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'done', 'failed')),
        attempts        INTEGER NOT NULL DEFAULT 0,
        error_code      TEXT,
        error           TEXT,
        next_attempt_at INTEGER NOT NULL DEFAULT 0,
        created_at      INTEGER NOT NULL,
        updated_at      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX attachment_transfers_due ON attachment_transfers(next_attempt_at) WHERE status <> 'done';

      INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at)
      SELECT sha256, 'upload', size, mime, ticket_id, min(created_at), min(created_at) FROM attachments GROUP BY sha256;

      -- Photo events pulled before this version have no attachments row and their bytes were never fetched.
      CREATE TEMP TABLE pulled_photos_v8 AS
        SELECT e.id, e.ticket_id, e.device_id, e.hlc, e.recorded_at,
               json_extract(e.data, '$.sha256') AS sha256,
               CAST(coalesce(json_extract(e.data, '$.size'), 0) AS INTEGER) AS size,
               CAST(coalesce(json_extract(e.data, '$.mime'), 'application/octet-stream') AS TEXT) AS mime,
               CAST(coalesce(json_extract(e.data, '$.name'), 'photo') AS TEXT) AS name
        FROM ticket_events e
        WHERE e.type = 'photo' AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.event_id = e.id);
      DELETE FROM pulled_photos_v8 WHERE typeof(sha256) <> 'text' OR length(sha256) <> 64 OR sha256 GLOB '*[^0-9a-f]*' OR size < 0;
      INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at)
        SELECT sha256, 'download', size, mime, ticket_id, recorded_at, recorded_at FROM pulled_photos_v8 WHERE true
        ON CONFLICT(sha256) DO NOTHING;
      INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc)
        SELECT 'pulled-' || id, ticket_id, id, sha256, size, mime, name, recorded_at, device_id, hlc FROM pulled_photos_v8;
      DROP TABLE pulled_photos_v8;

      CREATE TRIGGER attachments_queue_upload AFTER INSERT ON attachments
      WHEN NEW.device_id = (SELECT device_id FROM device_state WHERE id = 1)
      BEGIN
        INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at)
        VALUES (NEW.sha256, 'upload', NEW.size, NEW.mime, NEW.ticket_id, NEW.created_at, NEW.created_at)
        ON CONFLICT(sha256) DO NOTHING;
      END;

    `);
  },
};
