/**
 * Photo bytes in sync (docs/sync.md "Attachments"): works through the
 * device's durable transfer queue (db/repos/attachments.ts) after the ticket
 * sync, one file at a time.
 *
 * - upload: the file <dataDir>/attachments/<sha256> (checked against its
 *   hash) goes up with `uploadAttachment`: HEAD first, so an upload cut off by
 *   a dropped connection or a restart continues from the server's offset.
 * - download: `downloadAttachment` GETs and verifies the bytes; only verified
 *   bytes are written (temp file + rename). 404 means the device that took
 *   the photo has not uploaded it yet: retried soon, not an error.
 * - A failure backs off per file (exponential with equal jitter, kept in the
 *   queue so it survives restarts); a network failure ends the run (the next
 *   successful ticket sync starts another). 413 (larger than the server
 *   accepts) parks the upload as `failed` with the server's message: the
 *   file is kept, the status shows it, it is tried again after `failedRetryMs`.
 * - It never runs inside the ticket sync: the SyncService starts a run after
 *   each successful cycle, so a large upload never delays tickets.
 */
import type { Clock } from '../../core/clock.js';
import type { AttachmentTransfer, TransferCounts, TransferDirection, TransferFailure } from '../../db/repos/attachments.js';
import { readAttachmentBytes, storeAttachmentBytes } from './attachment-files.js';
import { AttachmentIntegrityError, downloadAttachment, uploadAttachment } from './attachments.js';
import type { FetchLike } from './http-transport.js';
import { SyncHttpError, SyncNetworkError } from './types.js';
import { systemTimers } from '../../db/system-time.js';
import type { TimerScheduler } from './worker.js';

type MaybePromise<T> = T | Promise<T>;

/** What the runner needs from the queue (StoreClient.attachments, or an in-process Store's). */
export interface AttachmentQueue {
  due(now: number, limit: number, force: boolean): MaybePromise<AttachmentTransfer[]>;
  nextDueAt(): MaybePromise<number | null>;
  counts(): MaybePromise<TransferCounts>;
  done(sha256: string): MaybePromise<void>;
  retry(sha256: string, f: TransferFailure): MaybePromise<void>;
  fail(sha256: string, f: TransferFailure): MaybePromise<void>;
  setDirection(sha256: string, direction: TransferDirection): MaybePromise<void>;
}

export interface AttachmentSyncTuning {
  chunkBytes?: number;
  /** Per request; default 60 s. */
  timeoutMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Backoff cap while the photo's author has not uploaded it yet (404); default 2 min. */
  notUploadedMaxBackoffMs?: number;
  /** When a refused (413) upload is tried again; default 6 h. */
  failedRetryMs?: number;
}

export interface AttachmentSyncOptions extends AttachmentSyncTuning {
  queue: AttachmentQueue;
  dataDir: string;
  baseUrl: string;
  token: () => string | null;
  clock: Clock;
  fetch?: FetchLike;
  timers?: TimerScheduler;
  random?: () => number;
  /** A transfer finished or failed (publish the status). */
  onChange?: () => void;
  log?: (msg: string, err?: unknown) => void;
}

export interface RunResult {
  uploaded: number;
  downloaded: number;
  failed: number;
  /** The run ended early: the network is down or the server refused the token. */
  stopped: boolean;
}

type Outcome = 'uploaded' | 'downloaded' | 'failed' | 'retry' | 'offline' | 'stop';

export class AttachmentSync {
  private started = false;
  private online = true;
  private timer: unknown = null;
  private running: Promise<RunResult> | null = null;
  private readonly timers: TimerScheduler;
  private readonly random: () => number;

  constructor(private readonly o: AttachmentSyncOptions) {
    this.timers = o.timers ?? systemTimers;
    this.random = o.random ?? Math.random;
  }

  start(): void {
    this.started = true;
  }

  stop(): void {
    this.started = false;
    this.cancel();
  }

  setOnline(online: boolean): void {
    this.online = online;
    if (!online) this.cancel();
  }

  /** Run soon (after a successful ticket sync, or when a retry is due). */
  kick(): void {
    if (!this.started || !this.online || this.running) return;
    this.schedule(0);
  }

  async idle(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
  }

  /** Runs now (after the run in progress, if any); `force` also retries transfers still backing off. */
  async runNow(force = false): Promise<RunResult> {
    await this.idle();
    return this.begin(force);
  }

  private begin(force: boolean): Promise<RunResult> {
    if (this.running) return this.running;
    this.cancel();
    this.running = this.run(force).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private cancel(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.cancel();
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.begin(false).catch((e) => this.o.log?.('sync: attachment transfers failed', e));
    }, ms);
  }

  /** Equal jitter: half the exponential delay fixed, half random. */
  backoffMs(attempts: number, cap = this.o.maxBackoffMs ?? 10 * 60_000): number {
    const exp = Math.min(cap, (this.o.minBackoffMs ?? 2_000) * 2 ** Math.max(0, attempts - 1));
    return Math.round(exp / 2 + this.random() * (exp / 2));
  }

  private async run(force: boolean): Promise<RunResult> {
    const result: RunResult = { uploaded: 0, downloaded: 0, failed: 0, stopped: false };
    const seen = new Set<string>();
    outer: for (;;) {
      const batch = (await this.o.queue.due(this.o.clock.now(), 200, force)).filter((t) => !seen.has(t.sha256));
      if (batch.length === 0) break;
      for (const t of batch) {
        if (!this.online || !this.started) {
          result.stopped = true;
          break outer;
        }
        seen.add(t.sha256);
        const outcome = await this.transfer(t);
        if (outcome === 'uploaded') result.uploaded++;
        else if (outcome === 'downloaded') result.downloaded++;
        else if (outcome === 'failed') result.failed++;
        this.o.onChange?.();
        if (outcome === 'offline' || outcome === 'stop') {
          result.stopped = true;
          break outer;
        }
      }
    }
    // The next retry, unless the network is down (the next successful ticket sync kicks a run).
    if (this.started && this.online && !result.stopped) {
      const next = await this.o.queue.nextDueAt();
      if (next !== null) this.schedule(Math.max(1_000, next - this.o.clock.now()));
    }
    return result;
  }

  private async transfer(t: AttachmentTransfer): Promise<Outcome> {
    const token = this.o.token();
    if (!token) return 'stop';
    const http = { baseUrl: this.o.baseUrl, token, ...(this.o.fetch ? { fetch: this.o.fetch } : {}), ...(this.o.timeoutMs ? { timeoutMs: this.o.timeoutMs } : {}) };
    let direction = t.direction;
    const now = () => this.o.clock.now();
    try {
      if (direction === 'download') {
        if (readAttachmentBytes(this.o.dataDir, t.sha256)) {
          // The bytes are here already (the same photo was taken here): make sure the server has them too.
          await this.o.queue.setDirection(t.sha256, 'upload');
          direction = 'upload';
        } else {
          const bytes = await downloadAttachment(t.sha256, { ...http, expectedSize: t.size });
          storeAttachmentBytes(this.o.dataDir, bytes);
          await this.o.queue.done(t.sha256);
          return 'downloaded';
        }
      }
      const bytes = readAttachmentBytes(this.o.dataDir, t.sha256);
      if (!bytes) {
        await this.o.queue.fail(t.sha256, {
          code: 'missing_local_file',
          message: `A photo (${t.sha256.slice(0, 12)}…) cannot be uploaded: its file is missing or damaged in this device's attachments folder.`,
          nextAttemptAt: now() + (this.o.failedRetryMs ?? 6 * 3600_000),
        });
        return 'failed';
      }
      await uploadAttachment(bytes, { ...http, ...(this.o.chunkBytes ? { chunkBytes: this.o.chunkBytes } : {}) });
      await this.o.queue.done(t.sha256);
      return 'uploaded';
    } catch (e) {
      const retry = async (code: string, message: string, cap?: number) => this.o.queue.retry(t.sha256, { code, message, nextAttemptAt: now() + this.backoffMs(t.attempts + 1, cap) });
      if (e instanceof SyncNetworkError) {
        await retry('offline', e.message);
        return 'offline';
      }
      if (e instanceof AttachmentIntegrityError) {
        await retry('hash_mismatch', e.message);
        return 'retry';
      }
      if (e instanceof SyncHttpError) {
        if (e.status === 413) {
          await this.o.queue.fail(t.sha256, {
            code: e.code,
            message: `A photo of ${t.size} bytes was not uploaded: ${e.message} It is kept on this device.`,
            nextAttemptAt: now() + (this.o.failedRetryMs ?? 6 * 3600_000),
          });
          return 'failed';
        }
        if (e.status === 404 && direction === 'download') {
          await retry('not_uploaded_yet', 'A photo is still on its way: the device that took it has not uploaded it yet.', this.o.notUploadedMaxBackoffMs ?? 2 * 60_000);
          return 'retry';
        }
        await retry(e.code, `${direction === 'upload' ? 'Uploading' : 'Downloading'} a photo failed: ${e.message}`);
        return e.status === 401 || e.status === 426 ? 'stop' : 'retry';
      }
      this.o.log?.(`sync: ${direction} of attachment ${t.sha256} failed`, e);
      await retry('error', `${direction === 'upload' ? 'Uploading' : 'Downloading'} a photo failed: ${(e as Error).message}`);
      return 'retry';
    }
  }
}
