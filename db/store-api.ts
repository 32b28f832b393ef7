/**
 * The store's API as its callers see it: openStore's options and what it returns (db/store.ts opens it;
 * the worker serves it, db/client.ts mirrors it asynchronously).
 */
import type BetterSqlite3 from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { RandomSource } from '../core/ids/uuid7.js';
import type { PrefixInfo } from './case-numbers.js';
import type { CheckpointerOptions } from './checkpoint.js';
import type { BackupEvent } from './owed-backup.js';
import type { BatchCall } from './protocol.js';
import type { AgreementsRepo } from './repos/agreements.js';
import type { AlertPanelRepo } from './repos/alert-panel.js';
import type { AttachmentQueueRepo } from './repos/attachments.js';
import type { AvailabilityRepo } from './repos/availability.js';
import type { CustomersRepo } from './repos/customers.js';
import type { NotificationsRepo } from './repos/notifications.js';
import type { OncallRepo } from './repos/oncall.js';
import type { OutboxRepo } from './repos/outbox.js';
import type { SettingsRepo } from './repos/settings.js';
import type { TicketsRepo } from './repos/tickets.js';
import type { VisitsRepo } from './repos/visits.js';
import type { SearchMergerOptions } from './search-merge.js';
import type { SyncRepo } from './sync-store.js';

export interface OpenStoreOptions {
  /** The data dir; the database is <dataDir>/vakt.db. */
  dataDir: string;
  clock: Clock;
  /** Random bytes (default: node:crypto). */
  random?: RandomSource;
  /** Identifies this machine + data dir for clone detection (default: hash of hostname and the data dir's real path). */
  machineId?: string;
  /** Case numbers reserved per fsync of the sidecar file (default 256). */
  reservationBlock?: number;
  busyTimeoutMs?: number;
  /** Pages in the WAL before the writer checkpoints inside its commit (default 1000, ~4 MB; with `backgroundCheckpoint`, 4000: the hard bound). */
  walAutocheckpoint?: number;
  /**
   * Checkpoints in a thread of their own, never inside a commit (db/checkpoint.ts; the store's worker,
   * i.e. the app, runs so). Off: SQLite's automatic checkpoint in the commit that crosses `walAutocheckpoint`.
   */
  backgroundCheckpoint?: boolean | Omit<CheckpointerOptions, 'onError'>;
  /**
   * The search index merged when writes pause, never in a commit (db/search-merge.ts; default: with
   * `backgroundCheckpoint`). Off: FTS5's crisis merge alone (migration 0023 turned its automatic merge off).
   */
  searchMerge?: boolean | Pick<SearchMergerOptions, 'idleMs' | 'pages'>;
  /** A background checkpoint or search-index merge that failed (default: console.warn). */
  onCheckpointError?: (message: string) => void;
  /** scrypt cost (log2 N) for new support-code hashes (default 15). */
  supportCodeLogN?: number;
  /** Run the full quick_check at open, before any write (benchmarks comparing, tools); the app runs it in the background. */
  quickCheckAtOpen?: boolean;
  /** Called before an existing file is migrated (its backup is made after, behind the start: db/owed-backup.ts), so the person is told the app is starting. */
  onUpgrade?: (u: Upgrading) => void;
  /** A problem with the pre-migration backup (default: console.warn). */
  onBackupNotice?: (message: string) => void;
  /** The owed pre-migration backup written, failed, given up or impossible (tests, diagnostics; db/owed-backup.ts). */
  onBackup?: (e: BackupEvent) => void;
  /** Tests: the owed backup's copy waits after filling its .partial until [0] of this is non-zero. */
  holdBackupCopy?: SharedArrayBuffer;
  /** The owed backup's copy starts this long after the open at the latest, or at `startBackupCopy()` (default 0: at once). */
  backupCopyAfterMs?: number;
}

/** An open that backs up and migrates an existing file. */
export interface Upgrading {
  from: number;
  to: number;
}

export interface OpenReport {
  file: string;
  created: boolean;
  migratedFrom: number;
  version: number;
  /** The backup before migrating, if any (written behind the start when `backupOwed`). */
  backup: string | null;
  /** Whether that backup was still being written when the open returned (db/owed-backup.ts). */
  backupOwed: boolean;
  /** Why the install moved to a fresh case-number prefix at this open, if it did. */
  prefixRotated: string | null;
  quickCheckMs: number;
}

export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface StoreInfo {
  file: string;
  installId: string;
  deviceId: string;
  version: number;
  prefix: PrefixInfo;
}

export interface Store {
  readonly file: string;
  readonly dataDir: string;
  readonly opened: OpenReport;
  /** The raw connection (tests, diagnostics). */
  readonly db: BetterSqlite3.Database;
  readonly customers: CustomersRepo;
  /** Scheduled reports and warranty (db/repos/agreements.ts). */
  readonly agreements: AgreementsRepo;
  readonly tickets: TicketsRepo;
  readonly notifications: NotificationsRepo;
  /** The Alerts panel's page and per-customer reads (db/repos/alert-panel.ts). */
  readonly alertPanel: AlertPanelRepo;
  /** Rotas, acks of alerts by user, escalation steps (db/repos/oncall.ts). */
  readonly oncall: OncallRepo;
  /** Services of contracts and their outages (db/repos/availability.ts). */
  readonly availability: AvailabilityRepo;
  readonly outbox: OutboxRepo;
  readonly settings: SettingsRepo;
  /** The client side of sync: outbox to push, pulled changes, enrolment, conflicts (db/sync-store.ts). */
  readonly sync: SyncRepo;
  /** Photo bytes to upload / download (db/repos/attachments.ts). */
  readonly attachments: AttachmentQueueRepo;
  /** Planned visits (db/repos/visits.ts). */
  readonly visits: VisitsRepo;
  readonly caseNumbers: {
    list(): PrefixInfo[];
    active(): PrefixInfo;
    /** Switches to the short prefix the server assigned at enrolment. */
    enrol(prefix: string): PrefixInfo;
  };
  info(): StoreInfo;
  /** A PASSIVE checkpoint (call when idle); never blocks readers or writers. While a pre-migration backup is owed, none: `busy` 1. */
  checkpoint(mode?: 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE'): CheckpointResult;
  /** PRAGMA quick_check; ['ok'] when intact. */
  quickCheck(): string[];
  /** Writes a consistent copy (VACUUM INTO) to `dest` or a new file in <dataDir>/backups/. */
  backup(dest?: string): string;
  /** Starts the copy of an owed pre-migration backup now if it waits (`backupCopyAfterMs`): the start's work is done. */
  startBackupCopy(): void;
  /** Checkpoints (TRUNCATE), trims the case-number reservation, closes. */
  close(): void;
  /**
   * Runs repository calls ("tickets.appendEvent", ...) in ONE immediate transaction, in order, and
   * returns their results; when one throws, none is stored and its error is thrown. A handler's
   * writes commit together or not at all (StoreClient.batch sends them to the worker).
   */
  batch(calls: readonly BatchCall[]): unknown[];
}
