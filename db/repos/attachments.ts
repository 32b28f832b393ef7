/**
 * The durable queue of attachment transfers (migration 0008, docs/sync.md
 * "Attachments"): photos whose bytes this device must upload to the sync
 * server, and pulled photos whose bytes it must download. The sync service
 * (main/sync/attachment-sync.ts) drives it; the bytes themselves live in
 * <dataDir>/attachments/<sha256> and are never touched here.
 *
 * - An upload is queued by a trigger in the transaction that records a photo
 *   taken on this device; a download by `recordPulledPhoto` in the pull's
 *   transaction (db/sync-store.ts).
 * - `due(now)`: the transfers to try now (uploads first, oldest first).
 * - `retry` keeps a transfer pending with the next attempt time the caller
 *   computed (backoff); `fail` parks it (the server refused for good, e.g. too
 *   large) with a late next attempt; `done` ends it. Nothing is ever deleted.
 */
import type { SyncEvent } from '../../core/sync/mutations.js';
import type { Ctx } from '../context.js';
import { clampLimit } from '../paging.js';

export type TransferDirection = 'upload' | 'download';
export type TransferStatus = 'pending' | 'done' | 'failed';

export interface AttachmentTransfer {
  sha256: string;
  direction: TransferDirection;
  size: number;
  mime: string;
  ticketId: string | null;
  status: TransferStatus;
  attempts: number;
  errorCode: string | null;
  error: string | null;
  nextAttemptAt: number;
  createdAt: number;
  updatedAt: number;
}

export interface TransferCounts {
  /** Photos taken here whose bytes the server does not have yet. */
  uploads: number;
  /** Pulled photos whose bytes are not on this device yet. */
  downloads: number;
  /** Transfers the server refused for good (e.g. larger than its limit); the bytes are kept. */
  failed: number;
  /** The latest failure's text (failed first, else the latest retried error), for the status line. */
  lastError: string | null;
}

export interface TransferFailure {
  code: string;
  message: string;
  nextAttemptAt: number;
}

type Row = Record<string, unknown>;

const SHA256 = /^[0-9a-f]{64}$/;

function toTransfer(r: Row): AttachmentTransfer {
  return {
    sha256: r.sha256 as string,
    direction: r.direction as TransferDirection,
    size: r.size as number,
    mime: r.mime as string,
    ticketId: (r.ticket_id as string | null) ?? null,
    status: r.status as TransferStatus,
    attempts: r.attempts as number,
    errorCode: (r.error_code as string | null) ?? null,
    error: (r.error as string | null) ?? null,
    nextAttemptAt: r.next_attempt_at as number,
    createdAt: r.created_at as number,
    updatedAt: r.updated_at as number,
  };
}

export class AttachmentQueueRepo {
  private readonly s;
  constructor(private readonly ctx: Ctx) {
    const db = ctx.db;
    this.s = {
      get: db.prepare(`SELECT * FROM attachment_transfers WHERE sha256 = ?`),
      due: db.prepare(
        `SELECT * FROM attachment_transfers WHERE status <> 'done' AND (next_attempt_at <= @now OR (@force = 1 AND status = 'pending'))
         ORDER BY direction = 'download', created_at, sha256 LIMIT @limit`,
      ),
      nextDue: db.prepare(`SELECT min(next_attempt_at) AS at FROM attachment_transfers WHERE status <> 'done'`),
      list: db.prepare(`SELECT * FROM attachment_transfers WHERE status <> 'done' ORDER BY created_at DESC, sha256 LIMIT ?`),
      counts: db.prepare(
        `SELECT
           count(*) FILTER (WHERE status = 'pending' AND direction = 'upload') AS uploads,
           count(*) FILTER (WHERE status = 'pending' AND direction = 'download') AS downloads,
           count(*) FILTER (WHERE status = 'failed') AS failed
         FROM attachment_transfers WHERE status <> 'done'`,
      ),
      lastError: db.prepare(`SELECT error FROM attachment_transfers WHERE status <> 'done' AND error IS NOT NULL ORDER BY status = 'failed' DESC, updated_at DESC LIMIT 1`),
      done: db.prepare(`UPDATE attachment_transfers SET status = 'done', error_code = NULL, error = NULL, updated_at = @now WHERE sha256 = @sha256`),
      retry: db.prepare(
        `UPDATE attachment_transfers SET status = 'pending', attempts = attempts + 1, error_code = @code, error = @message, next_attempt_at = @next, updated_at = @now WHERE sha256 = @sha256 AND status <> 'done'`,
      ),
      fail: db.prepare(
        `UPDATE attachment_transfers SET status = 'failed', attempts = attempts + 1, error_code = @code, error = @message, next_attempt_at = @next, updated_at = @now WHERE sha256 = @sha256 AND status <> 'done'`,
      ),
      direction: db.prepare(`UPDATE attachment_transfers SET direction = @direction, updated_at = @now WHERE sha256 = @sha256`),
    };
  }

  get(sha256: string): AttachmentTransfer | null {
    const r = this.s.get.get(sha256) as Row | undefined;
    return r ? toTransfer(r) : null;
  }

  /**
   * Transfers whose next attempt has come at `now`, uploads first, oldest first;
   * `force` (the user said "sync now") also the pending ones still backing off
   * (not those parked as failed: they wait for their time).
   */
  due(now: number, limit = 50, force = false): AttachmentTransfer[] {
    return (this.s.due.all({ now, limit: clampLimit(limit, 1000), force: force ? 1 : 0 }) as Row[]).map(toTransfer);
  }

  /** The earliest next attempt of any unfinished transfer (epoch ms), or null when nothing waits. */
  nextDueAt(): number | null {
    return ((this.s.nextDue.get() as { at: number | null }).at as number | null) ?? null;
  }

  /** Unfinished transfers, newest first. */
  pending(limit = 100): AttachmentTransfer[] {
    return (this.s.list.all(clampLimit(limit, 1000)) as Row[]).map(toTransfer);
  }

  counts(): TransferCounts {
    const c = this.s.counts.get() as { uploads: number; downloads: number; failed: number };
    const e = this.s.lastError.get() as { error: string } | undefined;
    return { uploads: c.uploads, downloads: c.downloads, failed: c.failed, lastError: e?.error ?? null };
  }

  done(sha256: string): void {
    this.s.done.run({ sha256, now: this.ctx.clock.now() });
  }

  /** Stays pending; tried again at `f.nextAttemptAt`. */
  retry(sha256: string, f: TransferFailure): void {
    this.s.retry.run({ sha256, code: f.code, message: f.message, next: f.nextAttemptAt, now: this.ctx.clock.now() });
  }

  /** Parked as failed (kept, shown); tried again only at `f.nextAttemptAt` or when asked to. */
  fail(sha256: string, f: TransferFailure): void {
    this.s.fail.run({ sha256, code: f.code, message: f.message, next: f.nextAttemptAt, now: this.ctx.clock.now() });
  }

  /** A download whose bytes turned out to be here already becomes an upload (make sure the server has them). */
  setDirection(sha256: string, direction: TransferDirection): void {
    this.s.direction.run({ sha256, direction, now: this.ctx.clock.now() });
  }
}

const pulledStatements = new WeakMap<object, { hasRow: { get(...a: unknown[]): unknown }; insRow: { run(...a: unknown[]): unknown }; queue: { run(...a: unknown[]): unknown } }>();

/**
 * A pulled `photo` event (called in the pull's transaction, after the event
 * row was inserted): records the attachment's metadata (so the timeline knows
 * its type) and queues the download of its bytes. Malformed data is ignored.
 */
export function recordPulledPhoto(ctx: Ctx, e: SyncEvent, now: number): void {
  const d = (e.data ?? {}) as Record<string, unknown>;
  const sha256 = d.sha256;
  if (typeof sha256 !== 'string' || !SHA256.test(sha256)) return;
  const size = typeof d.size === 'number' && Number.isInteger(d.size) && d.size >= 0 ? d.size : 0;
  const mime = typeof d.mime === 'string' ? d.mime : 'application/octet-stream';
  const name = typeof d.name === 'string' ? d.name : 'photo';
  let st = pulledStatements.get(ctx.db);
  if (!st) {
    st = {
      hasRow: ctx.db.prepare(`SELECT 1 FROM attachments WHERE event_id = ?`),
      insRow: ctx.db.prepare(
        `INSERT INTO attachments (id, ticket_id, event_id, sha256, size, mime, name, created_at, device_id, hlc) VALUES (@id, @ticket_id, @event_id, @sha256, @size, @mime, @name, @now, @device_id, @hlc)`,
      ),
      queue: ctx.db.prepare(
        `INSERT INTO attachment_transfers (sha256, direction, size, mime, ticket_id, created_at, updated_at) VALUES (@sha256, 'download', @size, @mime, @ticket_id, @now, @now)
         ON CONFLICT(sha256) DO NOTHING`,
      ),
    };
    pulledStatements.set(ctx.db, st);
  }
  // Queue first: the attachments row of a photo by another device never queues an upload (trigger), but be explicit.
  st.queue.run({ sha256, size, mime, ticket_id: e.ticketId, now });
  if (!st.hasRow.get(e.id)) st.insRow.run({ id: ctx.newId(), ticket_id: e.ticketId, event_id: e.id, sha256, size, mime, name, now, device_id: e.deviceId, hlc: e.hlc });
}
