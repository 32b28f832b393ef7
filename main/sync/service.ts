/**
 * Sync in the app: enrolment, the SyncWorker's lifecycle and the status the
 * UI shows. Built by createServices (both hosts):
 *
 * - not enrolled: no worker; `sync.enrol` calls the server's `POST /v1/enrol`
 *   with the one-time code, keeps the token in the TokenStore (a 0600 file in
 *   the data dir, or safeStorage-encrypted under Electron), records server URL,
 *   device id and role in the store and switches case numbers to the server's
 *   short prefix, then starts the worker;
 * - enrolled (store enrolment + token present at start): the worker runs;
 *   `kick()` after local changes, `wake()` after sleep/resume or when the
 *   network is back; a failed request shows `offline` and backs off with jitter.
 * - photo bytes (`attachments` option): after each successful cycle the
 *   AttachmentSync (main/sync/attachment-sync.ts) uploads queued photos and
 *   downloads pulled ones, outside the cycle, so tickets never wait for bytes;
 *   `syncNow()` waits for both; the status counts uploads and downloads.
 * - every status change is handed to `onStatus` (the `sync.status` event).
 */
import { hostname } from 'node:os';
import type { Clock } from '../../core/clock.js';
import type { SyncStatusView } from '../../core/api/sync.js';
import { enrolResponse } from '../../core/sync/mutations.js';
import { permissionsOf } from '../../core/sync/roles.js';
import type { Enrolment, LocalConflict, RejectedMutation } from '../../db/sync-store.js';
import { AttachmentSync } from './attachment-sync.js';
import type { AttachmentQueue, AttachmentSyncTuning } from './attachment-sync.js';
import { DbSyncStore } from './db-store.js';
import type { SyncRepoLike } from './db-store.js';
import { HttpSyncTransport } from './http-transport.js';
import type { FetchLike } from './http-transport.js';
import type { TokenStore } from './token-store.js';
import { SyncHttpError } from './types.js';
import type { SyncStatus, SyncTransport } from './types.js';
import { SyncWorker, shownState } from './worker.js';
import type { SyncWorkerOptions, TimerScheduler } from './worker.js';

type MaybePromise<T> = T | Promise<T>;

/** What the service needs from the store (StoreClient.sync, or an in-process Store's sync). */
export interface SyncServiceRepo extends SyncRepoLike {
  enrolment(): MaybePromise<Enrolment | null>;
  enrol(e: Omit<Enrolment, 'enrolledAt'>): MaybePromise<Enrolment>;
  lastSync(): MaybePromise<{ lastPullAt: number | null; lastPushAt: number | null }>;
  rejected(limit?: number): MaybePromise<RejectedMutation[]>;
  conflicts(limit?: number): MaybePromise<LocalConflict[]>;
  resolveConflict(conflictId: string, value: string | null): MaybePromise<LocalConflict>;
}

export interface SyncServiceOptions {
  repo: SyncServiceRepo;
  /** The store's active case-number prefix (sent at enrolment so provisional numbers stay valid). */
  activePrefix: () => MaybePromise<{ prefix: string; kind: 'provisional' | 'enrolled' }>;
  tokens: TokenStore;
  clock: Clock;
  /** Tickets changed by sync: re-plan alerts, tell the UI (must not kick the worker). */
  /** `pageKinds`: the record kinds the same pulled page applied (reported to onRecordsChanged after its last page). */
  onTicketsChanged: (ticketIds: string[], pageKinds?: string[]) => MaybePromise<void>;
  /** The first sync's bulk load ended (db/sync/bulk.ts): re-plan the tickets waiting in `sync_replan`. */
  onBulkLoaded?: () => MaybePromise<void>;
  /** Pulled customers, contracts, contacts, sites or assets were applied (their kinds). */
  onRecordsChanged?: (kinds: string[]) => MaybePromise<void>;
  onStatus: (s: SyncStatusView) => void;
  log?: (msg: string, err?: unknown) => void;
  fetch?: FetchLike;
  timers?: TimerScheduler;
  random?: () => number;
  deviceName?: string;
  /** Worker tuning (tests). */
  worker?: Partial<Omit<SyncWorkerOptions, 'store' | 'transport' | 'clock'>>;
  /**
   * Photo bytes: the device's transfer queue (store.attachments) and its data
   * dir (files in <dataDir>/attachments). Without it only tickets sync.
   */
  attachments?: { queue: AttachmentQueue; dataDir: string } & AttachmentSyncTuning;
  /** Replace the HTTP transport (tests). */
  transport?: (baseUrl: string, token: () => Promise<string | null>) => SyncTransport;
}

export class SyncError extends Error {
  constructor(
    readonly code: 'not_enrolled' | 'already_enrolled' | 'enrolment_failed',
    message: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

const NOT_RUNNING: SyncStatus = { state: 'offline', pending: 0, rejected: 0, conflicts: 0, lastSyncAt: null, message: null, updateRequired: false, nextAttemptAt: null };

export class SyncService {
  private worker: SyncWorker | null = null;
  private files: AttachmentSync | null = null;
  private enrolment: Enrolment | null = null;
  private token: string | null = null;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;
  private readonly store: DbSyncStore;

  constructor(private readonly o: SyncServiceOptions) {
    this.store = new DbSyncStore(o.repo, o.onTicketsChanged, o.onRecordsChanged, o.onBulkLoaded);
  }

  /** Starts the worker when the device is enrolled and its token is there. */
  async start(): Promise<void> {
    this.enrolment = await this.o.repo.enrolment();
    if (!this.enrolment) return;
    try {
      this.token = await this.o.tokens.load();
    } catch (e) {
      this.o.log?.('sync: cannot read the device token', e);
      this.token = null;
    }
    if (!this.token) {
      this.o.log?.('sync: the device is enrolled but its token is missing; enrol again');
      return;
    }
    this.startWorker();
  }

  get running(): boolean {
    return this.worker !== null;
  }

  private startWorker(): void {
    if (this.disposed || this.worker || !this.enrolment) return;
    const transport = this.o.transport
      ? this.o.transport(this.enrolment.serverUrl, async () => this.token)
      : new HttpSyncTransport({ baseUrl: this.enrolment.serverUrl, token: () => this.token, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) });
    const worker = new SyncWorker({
      store: this.store,
      transport,
      clock: this.o.clock,
      ...(this.o.timers ? { timers: this.o.timers } : {}),
      ...(this.o.random ? { random: this.o.random } : {}),
      ...this.o.worker,
    });
    const a = this.o.attachments;
    if (a) {
      const { queue, dataDir, ...tuning } = a;
      this.files = new AttachmentSync({
        queue,
        dataDir,
        baseUrl: this.enrolment.serverUrl,
        token: () => this.token,
        clock: this.o.clock,
        ...tuning,
        ...(this.o.fetch ? { fetch: this.o.fetch } : {}),
        ...(this.o.timers ? { timers: this.o.timers } : {}),
        ...(this.o.random ? { random: this.o.random } : {}),
        onChange: () => void this.publish(),
        ...(this.o.log ? { log: this.o.log } : {}),
      });
      this.files.start();
    }
    this.unsubscribe = worker.onStatus((s) => {
      void this.publish();
      // Photo bytes move after a successful ticket sync, never inside it (a large upload must not hold tickets up).
      if (s.state === 'up_to_date') this.files?.kick();
    });
    this.worker = worker;
    worker.start();
  }

  /** The status for the UI (the `sync.status` method and event); `w`: a given cycle's outcome instead of the worker's now. */
  async status(w: SyncStatus = this.worker?.status() ?? NOT_RUNNING): Promise<SyncStatusView> {
    const e = this.enrolment;
    let counts = { pending: w.pending, rejected: w.rejected, conflicts: w.conflicts };
    let lastSyncAt = w.lastSyncAt;
    let files = { uploads: 0, downloads: 0, failed: 0, lastError: null as string | null };
    try {
      counts = await this.o.repo.counts();
      lastSyncAt ??= (await this.o.repo.lastSync()).lastPullAt;
      if (this.o.attachments) files = await this.o.attachments.queue.counts();
    } catch {
      // the store is closing; keep the worker's numbers
    }
    return {
      state: !e ? 'not_enrolled' : this.worker ? shownState(w.state, counts.pending) : 'error',
      enrolled: e !== null,
      serverUrl: e?.serverUrl ?? null,
      deviceId: e?.deviceId ?? null,
      casePrefix: e?.casePrefix ?? null,
      role: e?.role ?? null,
      userName: e?.userName ?? null,
      permissions: permissionsOf(e?.role),
      ...counts,
      lastSyncAt,
      message: e && !this.worker && !this.token ? 'the device token is missing; enrol the device again' : w.message,
      updateRequired: w.updateRequired,
      nextAttemptAt: w.nextAttemptAt,
      uploads: files.uploads,
      downloads: files.downloads,
      attachmentsFailed: files.failed,
      attachmentError: files.lastError,
    };
  }

  private async publish(): Promise<void> {
    if (this.disposed) return;
    try {
      this.o.onStatus(await this.status());
    } catch (e) {
      this.o.log?.('sync: status update failed', e);
    }
  }

  /** Enrols the device with a one-time code and starts syncing. */
  async enrol(serverUrl: string, code: string, deviceName?: string): Promise<SyncStatusView> {
    if (this.enrolment ?? (await this.o.repo.enrolment())) throw new SyncError('already_enrolled', 'this device is already enrolled');
    // A token that could not be stored safely is refused before the one-time code is used up.
    const refused = this.o.tokens.refusal?.();
    if (refused) throw new SyncError('enrolment_failed', refused);
    const base = serverUrl.replace(/\/+$/, '');
    const http = new HttpSyncTransport({ baseUrl: base, token: () => null, ...(this.o.fetch ? { fetch: this.o.fetch } : {}) });
    const active = await this.o.activePrefix();
    let answer;
    try {
      answer = enrolResponse.parse(
        await http.request('POST', '/v1/enrol', {
          code,
          deviceName: deviceName ?? this.o.deviceName ?? (hostname().slice(0, 200) || 'Vakt device'),
          ...(active.kind === 'provisional' ? { provisionalPrefix: active.prefix } : {}),
        }),
      );
    } catch (e) {
      const msg = e instanceof SyncHttpError ? `${e.message} (${e.code})` : (e as Error).message;
      throw new SyncError('enrolment_failed', `enrolment failed: ${msg}`);
    }
    // The token first: an enrolment recorded without its token could not sync.
    await this.o.tokens.save(answer.token);
    this.token = answer.token;
    this.enrolment = await this.o.repo.enrol({
      serverUrl: base,
      tenantId: answer.tenantId,
      deviceId: answer.deviceId,
      role: answer.role,
      casePrefix: answer.casePrefix,
      userId: answer.userId ?? null,
      userName: answer.userName ?? null,
    });
    this.startWorker();
    await this.publish();
    return this.status();
  }

  /**
   * Syncs now; resolves with the status after that cycle: its outcome (not that of a cycle begun
   * since, e.g. on the server's poke after our own push), with the counts as they are now.
   */
  async syncNow(): Promise<SyncStatusView> {
    if (!this.worker) throw new SyncError('not_enrolled', this.enrolment ? 'the device token is missing; enrol the device again' : 'this device is not enrolled with a sync server');
    const s = await this.worker.syncNow();
    // Then the photo bytes, retrying those still backing off (the user asked for it).
    if (s.state === 'up_to_date') await this.files?.runNow(true);
    return this.status(s);
  }

  /** A local change was written: sync soon. */
  kick(): void {
    this.worker?.kick();
    void this.publish();
  }

  /** Resume after sleep / network back: sync now, reset the backoff. */
  wake(): void {
    this.worker?.wake();
  }

  setOnline(online: boolean): void {
    this.files?.setOnline(online);
    this.worker?.setOnline(online);
  }

  rejected(limit?: number): MaybePromise<RejectedMutation[]> {
    return this.o.repo.rejected(limit);
  }

  conflicts(limit?: number): MaybePromise<LocalConflict[]> {
    return this.o.repo.conflicts(limit);
  }

  async resolveConflict(conflictId: string, value: string | null): Promise<LocalConflict> {
    const c = await this.o.repo.resolveConflict(conflictId, value);
    await this.o.onTicketsChanged([c.ticketId]);
    this.kick();
    return c;
  }

  /** Stops the worker and waits for a running cycle to end (call before closing the store). */
  async dispose(): Promise<void> {
    this.disposed = true;
    this.unsubscribe?.();
    const w = this.worker;
    const f = this.files;
    this.worker = null;
    this.files = null;
    f?.stop();
    if (w) {
      w.stop();
      await w.idle();
    }
    await f?.idle();
  }
}
