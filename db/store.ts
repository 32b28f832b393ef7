/**
 * openStore(): opens (creating or migrating) <dataDir>/vakt.db synchronously.
 * Used inside the worker thread (see worker.ts / client.ts) and in tests.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { Hlc } from '../core/ids/hlc.js';
import { adoptEnrolledHlcNode } from './hlc-node.js';
import type { RandomSource } from '../core/ids/uuid7.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { vacuumInto } from './backup.js';
import { checkHeader, isCorruption } from './integrity.js';
import { checkpointGate, WRITER_BOUND_FRAMES } from './checkpoint.js';
import type { CheckpointerOptions } from './checkpoint.js';
import { startSearchMerger } from './search-merge.js';
import type { SearchMerger, SearchMergerOptions } from './search-merge.js';
import { txWithoutFsync } from './repos/no-fsync.js';
import { CaseNumberAllocator, DEFAULT_RESERVATION_BLOCK, defaultMachineId } from './case-numbers.js';
import type { PrefixInfo } from './case-numbers.js';
import type { Ctx } from './context.js';
import { json, parseInput } from './context.js';
import { DatabaseCorruptError, StoreClosedError, StoreError } from './errors.js';
import { backupFileName, backupsDir, createPrivateFile, dbPath, ensurePrivateDir, listBackups, tightenDataDir } from './files.js';
import { assertOpenable, LATEST_VERSION, schemaVersion } from './migrate.js';
import { migrateAtOpen, startOwedBackup } from './owed-backup.js';
import type { BackupEvent, OwedBackup, OwedBackupHooks } from './owed-backup.js';
import { CustomersRepo } from './repos/customers.js';
import { AgreementsRepo } from './repos/agreements.js';
import { NotificationsRepo } from './repos/notifications.js';
import { AlertPanelRepo } from './repos/alert-panel.js';
import { OncallRepo } from './repos/oncall.js';
import { AvailabilityRepo } from './repos/availability.js';
import { OutboxRepo } from './repos/outbox.js';
import { SettingsRepo } from './repos/settings.js';
import { TicketsRepo } from './repos/tickets.js';
import { SyncRepo } from './sync-store.js';
import { AttachmentQueueRepo } from './repos/attachments.js';
import { VisitsRepo } from './repos/visits.js';
import { MUTATIONS } from '../core/sync/mutations.js';
import { DEFAULT_SCRYPT_LOG_N } from './secret.js';
import { stopwatch } from './timing.js';
import type { BatchCall } from './protocol.js';

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

/** The repositories a client may call by name ("tickets.appendEvent"). */
export const REPO_NAMES = new Set([
  'customers',
  'tickets',
  'notifications',
  'alertPanel',
  'oncall',
  'outbox',
  'settings',
  'sync',
  'attachments',
  'caseNumbers',
  'availability',
  'visits',
  'agreements',
]);

/** Calls `repo.method` of the store by name; anything else (a root method, a private one) is refused. */
export function callRepo(store: Store, path: string, args: unknown[]): unknown {
  const [head, method, ...rest] = path.split('.');
  if (head !== undefined && REPO_NAMES.has(head) && method !== undefined && rest.length === 0 && !method.startsWith('_') && method !== 'constructor') {
    const repo = store[head as 'tickets'] as unknown as Record<string, unknown>;
    const fn = repo[method];
    if (typeof fn === 'function') return (fn as (...a: unknown[]) => unknown).apply(repo, args);
  }
  throw new Error(`unknown store method "${path}"`);
}

export function openStore(opts: OpenStoreOptions): Store {
  const dataDir = opts.dataDir;
  // Owner-only: the folder 0700, the database, its WAL and SHM and the backups 0600 (a data dir of an
  // older Vakt is tightened here).
  ensurePrivateDir(dataDir);
  tightenDataDir(dataDir);
  const file = dbPath(dataDir);
  const existed = existsSync(file) && statSync(file).size > 0;
  const corrupt = (problems: string[]) => new DatabaseCorruptError(file, problems, listBackups(dataDir));

  // At open only the cheap checks: the header (before SQLite opens the file) and the schema (read below).
  // The full quick_check runs after start, in the background (db/integrity.ts, main/integrity/watch.ts).
  // `quickCheckAtOpen` (benchmarks comparing, tools) runs it here first, on a read-only connection
  // (over twice as fast there as on the main one), before anything writes to the file.
  let quickCheckMs = 0;
  if (existed) {
    const bad = checkHeader(file);
    if (bad) throw corrupt([bad]);
  }
  if (existed && opts.quickCheckAtOpen) {
    const elapsed = stopwatch();
    let problems: string[];
    try {
      const ro = new Database(file, { readonly: true, fileMustExist: true });
      try {
        ro.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
        problems = (ro.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      } finally {
        ro.close();
      }
    } catch (e) {
      problems = [(e as Error).message];
    }
    quickCheckMs = elapsed();
    if (!(problems.length === 1 && problems[0] === 'ok')) throw corrupt(problems);
  }

  let db: BetterSqlite3.Database;
  try {
    // created 0600 before SQLite opens it: SQLite gives the -wal and -shm the database file's mode
    if (!existed) createPrivateFile(file);
    db = new Database(file);
  } catch (e) {
    if (existed) throw corrupt([(e as Error).message]);
    throw e;
  }
  try {
    db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    // Reads (parses) the whole schema: a damaged first page or schema fails here, before any write.
    db.prepare('SELECT count(*) FROM sqlite_schema').get();
    assertOpenable(db, file);
  } catch (e) {
    db.close();
    if (e instanceof StoreError) throw e;
    if (isCorruption(e)) throw corrupt([(e as Error).message]);
    throw e;
  }

  const random: RandomSource = opts.random ?? ((n) => randomBytes(n));
  const newId = createUuid7(opts.clock, random);
  // An open failing after its migrations committed: the backup they owe is made before the close checkpoints.
  let owedFirst = () => {};
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    const background = opts.backgroundCheckpoint ?? false;
    const onError = opts.onCheckpointError ?? ((m: string) => console.warn(`vakt store: ${m}`));
    // No checkpoint during the open: a pre-migration backup may be owed (db/owed-backup.ts); allowed at its end, or once that backup is written.
    const bound = opts.walAutocheckpoint ?? (background ? WRITER_BOUND_FRAMES : 1000);
    const gate = checkpointGate(db, file, bound, background && { ...(background === true ? {} : background), busyTimeoutMs: opts.busyTimeoutMs ?? 5000 }, onError);
    db.pragma('temp_store = MEMORY');
    db.pragma('cache_size = -32000');

    const from = schemaVersion(db);
    let opening = true;
    let closed = false;
    let owed: OwedBackup | null = null;
    const owedHooks: OwedBackupHooks = {
      db,
      file,
      dataDir,
      resume: () => void (opening || gate.allow(true)),
      log: opts.onBackupNotice ?? ((m) => console.warn(`vakt store: ${m}`)),
      onEvent: opts.onBackup,
      hold: opts.holdBackupCopy,
      delayMs: opts.backupCopyAfterMs,
    };
    owedFirst = () => startOwedBackup(owedHooks)?.finish();
    if (from > 0 && from < LATEST_VERSION) opts.onUpgrade?.({ from, to: LATEST_VERSION });
    const backup = from < LATEST_VERSION ? migrateAtOpen(owedHooks, from, backupFileName(opts.clock.now(), `pre-migrate-v${from}`)) : null;
    if (!db.prepare('SELECT 1 FROM device_state WHERE id = 1').get()) {
      db.prepare('INSERT INTO device_state (id, install_id, device_id, device_seq, created_at) VALUES (1, ?, ?, 0, ?)').run(newId(), newId(), opts.clock.now());
    }
    const allocator = new CaseNumberAllocator(db, dataDir, opts.machineId ?? defaultMachineId(dataDir), random, () => opts.clock.now(), opts.reservationBlock ?? DEFAULT_RESERVATION_BLOCK);
    allocator.open(() => ({ installId: newId(), deviceId: newId() }));

    const state = () => db.prepare('SELECT install_id, device_id, hlc FROM device_state WHERE id = 1').get() as { install_id: string; device_id: string; hlc: string | null };
    const st = state();
    const deviceId = st.device_id;
    const hlc = new Hlc(opts.clock, deviceId, st.hlc);
    const bumpSeq = db.prepare('UPDATE device_state SET device_seq = device_seq + 1, hlc = ? WHERE id = 1 RETURNING device_seq');
    // Mutations the sync server knows also get the next wire seq (gapless); device-local ones keep NULL (never pushed).
    const bumpSyncSeq = db.prepare('UPDATE device_state SET sync_seq = sync_seq + 1 WHERE id = 1 RETURNING sync_seq');
    const insMutation = db.prepare(`INSERT INTO outbox (id, device_seq, seq, name, version, payload, status, created_at, updated_at, hlc) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`);
    let merger: SearchMerger | null = null;
    const ctx: Ctx = {
      db,
      clock: opts.clock,
      newId,
      hlc,
      deviceId: () => deviceId,
      tx: <T>(fn: () => T): T => {
        if (closed) throw new StoreClosedError('the store is closed');
        if (db.inTransaction) return db.transaction(fn)();
        const r = db.transaction(fn).immediate();
        gate.wrote();
        merger?.wrote();
        return r;
      },
      mutate(key, payload, h) {
        const at = key.lastIndexOf('@');
        const name = key.slice(0, at);
        const version = Number(key.slice(at + 1));
        // What the server will check, checked here first (its schema, sizes included: core/sync/limits.ts),
        // so the change fails with the field named instead of being refused after it was stored.
        parseInput(MUTATIONS[key], payload, name);
        const { device_seq } = bumpSeq.get(h) as { device_seq: number };
        const seq = (bumpSyncSeq.get() as { sync_seq: number }).sync_seq;
        const id = newId();
        const now = opts.clock.now();
        insMutation.run(id, device_seq, seq, name, version, json(payload), now, now, h);
        return id;
      },
      supportCodeLogN: opts.supportCodeLogN ?? DEFAULT_SCRYPT_LOG_N,
    };
    adoptEnrolledHlcNode(ctx);

    const customers = new CustomersRepo(ctx);
    const tickets = new TicketsRepo(ctx, allocator, (id) => customers.getContract(id));
    const oncall = new OncallRepo(ctx, tickets);
    const store: Store = {
      file,
      dataDir,
      db,
      opened: { file, created: !existed, migratedFrom: from, version: schemaVersion(db), backup, backupOwed: false, prefixRotated: allocator.rotatedBecause, quickCheckMs },
      customers,
      agreements: new AgreementsRepo(ctx, customers),
      tickets,
      notifications: new NotificationsRepo(ctx),
      alertPanel: new AlertPanelRepo(ctx),
      oncall,
      availability: new AvailabilityRepo(ctx),
      outbox: new OutboxRepo(ctx),
      settings: new SettingsRepo(ctx),
      sync: new SyncRepo(
        ctx,
        (prefix) => allocator.enrol(prefix),
        (a) => oncall.applyPulledAck(a),
      ),
      attachments: new AttachmentQueueRepo(ctx),
      visits: new VisitsRepo(ctx, customers, tickets),
      caseNumbers: {
        list: () => allocator.list(),
        active: () => allocator.list().find((p) => p.active) as PrefixInfo,
        enrol: (prefix) => allocator.enrol(prefix),
      },
      info() {
        const s = state();
        return { file, installId: s.install_id, deviceId: s.device_id, version: schemaVersion(db), prefix: store.caseNumbers.active() };
      },
      checkpoint(mode = 'PASSIVE') {
        if (gate.held) return { busy: 1, log: -1, checkpointed: -1 };
        const r = (db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[])[0];
        return r ?? { busy: 0, log: 0, checkpointed: 0 };
      },
      quickCheck() {
        return (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
      },
      backup(dest) {
        ensurePrivateDir(backupsDir(dataDir));
        return vacuumInto(db, dest ?? join(backupsDir(dataDir), backupFileName(opts.clock.now(), 'manual')));
      },
      batch(calls) {
        if (!Array.isArray(calls)) throw new Error('a batch is a list of repository calls');
        return ctx.tx(() =>
          calls.map((c) => {
            if (!c || typeof c.path !== 'string' || !Array.isArray(c.args)) throw new Error('a batch holds repository calls only ({path: "tickets.appendEvent", args})');
            return callRepo(store, c.path, c.args);
          }),
        );
      },
      startBackupCopy: () => owed?.startNow(),
      close() {
        if (closed) return;
        try {
          // the last connection's close checkpoints: the owed backup is written (or given up) first
          owed?.finish();
          merger?.stop();
          gate.stop();
          allocator.close();
          db.pragma('optimize');
          db.pragma('wal_checkpoint(TRUNCATE)');
        } finally {
          closed = true;
          db.close();
        }
      },
    };
    const searchMerge = opts.searchMerge ?? background !== false;
    if (searchMerge) {
      merger = startSearchMerger(db, { ...(searchMerge === true ? {} : searchMerge), commit: (fn) => txWithoutFsync(ctx, fn), onError });
    }
    // The backup this open owes, or an earlier one's (killed mid-copy): copied behind the start, checkpoints held off till then.
    owed = startOwedBackup(owedHooks);
    store.opened.backupOwed = owed !== null;
    opening = false;
    if (!owed) gate.allow();
    return store;
  } catch (e) {
    if (db.open) {
      try {
        owedFirst();
      } catch {
        // the open's own error is the one to tell (the backup's was logged)
      }
      db.close();
    }
    throw e;
  }
}
