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
 *   attachments row was a photo taken on this device).
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

      CREATE TRIGGER attachments_queue_upload AFTER INSERT ON attachments
      WHEN NEW.device_id = (SELECT device_id FROM device_state WHERE id = 1)
      BEGIN
        INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at)
        VALUES (NEW.sha256, 'upload', NEW.size, NEW.mime, NEW.ticket_id, NEW.created_at, NEW.created_at)
        ON CONFLICT(sha256) DO NOTHING;
      END;

      INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at)
      SELECT sha256, 'upload', size, mime, ticket_id, min(created_at), min(created_at) FROM attachments GROUP BY sha256;
    `);
  },
};
