/**
 * openStore(): opens (creating or migrating) <dataDir>/vakt.db synchronously.
 * Used inside the worker thread (see worker.ts / client.ts) and in tests.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Hlc } from '../core/ids/hlc.js';
import { adoptEnrolledHlcNode } from './hlc-node.js';
import type { RandomSource } from '../core/ids/uuid7.js';
import { createUuid7 } from '../core/ids/uuid7.js';
import { vacuumInto } from './backup.js';
import { checkHeader, isCorruption } from './integrity.js';
import { checkpointGate, WRITER_BOUND_FRAMES } from './checkpoint.js';
import { startSearchMerger } from './search-merge.js';
import type { SearchMerger } from './search-merge.js';
import { txWithoutFsync } from './repos/no-fsync.js';
import { CaseNumberAllocator, DEFAULT_RESERVATION_BLOCK, defaultMachineId } from './case-numbers.js';
import type { PrefixInfo } from './case-numbers.js';
import type { Ctx } from './context.js';
import { json, parseInput } from './context.js';
import { DatabaseCorruptError, StoreClosedError, StoreError } from './errors.js';
import { backupFileName, backupsDir, createPrivateFile, dbPath, ensurePrivateDir, listBackups, tightenDataDir } from './files.js';
import { assertOpenable, LATEST_VERSION, schemaVersion } from './migrate.js';
import { migrateAtOpen, startOwedBackup } from './owed-backup.js';
import type { OwedBackup, OwedBackupHooks } from './owed-backup.js';
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

export type { CheckpointResult, OpenReport, OpenStoreOptions, Store, StoreInfo, Upgrading } from './store-api.js';
import type { CheckpointResult, OpenStoreOptions, Store } from './store-api.js';

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
