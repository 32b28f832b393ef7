/**
 * The pre-migration backup behind the start (issue 19: copying the 563 MB benchmark store held the
 * first start after an upgrade 0.4–1.7 s). In WAL mode the database file changes only at checkpoints:
 * with the WAL checkpointed into it and every checkpoint held off, the file stays the database as it
 * was before the upgrade while the migrations and the app's writes go to the WAL. So the migrations
 * commit with a record in `meta` that the backup is owed, the store opens, and a thread of its own
 * copies the file (db/backup-thread.ts). Once the copy is durable the record is cleared and checkpoints
 * run again (`resume`). After a crash the next open finds the record and copies again, if the file is
 * still at the schema the record names (page 1 read with plain fs); else it reports that and writes
 * no backup. A failed copy is tried again (`BACKUP_RETRY_MS`), then given up, reported: checkpoints
 * cannot wait for ever (the WAL would grow without bound, and the last connection's close checkpoints).
 */
import type BetterSqlite3 from 'better-sqlite3';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MessageChannel, receiveMessageOnPort } from 'node:worker_threads';
import type { MessagePort, Worker } from 'node:worker_threads';
import { backupBeforeMigrate } from './backup.js';
import { withBoundedMemory } from './bounded-memory.js';
import { COPYING, FAILED, OWED_BACKUP_KEY, WRITTEN } from './backup-thread-state.js';
import type { BackupThreadData, BackupThreadReply } from './backup-thread-state.js';
import { backupsDir, ensurePrivateDir, writeBackup } from './files.js';
import { LATEST_VERSION, migrateTo } from './migrate.js';
import { copyOwed, fileHoldsDatabase, fileUserVersion, unchangedSince } from './page-copy.js';
import { startWorker } from './worker-entry.js';

/** The record: the schema the file holds (`from`), the one migrated to, the backup's file name in backups/. */
export interface OwedRecord {
  from: number;
  to: number;
  name: string;
}

/** After a failed copy the next tries come this long after it; after the last, the backup is given up. */
export const BACKUP_RETRY_MS = [60_000, 600_000];
/** A closing store waits this long at most for a copy running. */
export const CLOSE_WAIT_MS = 120_000;

export type BackupEvent =
  { type: 'written'; file: string } | { type: 'failed'; message: string; retryInMs: number } | { type: 'given-up'; message: string } | { type: 'not-pristine'; message: string };

export interface OwedBackupHooks {
  db: BetterSqlite3.Database;
  file: string;
  dataDir: string;
  /** Checkpoints may run again (the record is cleared). */
  resume(): void;
  /** A problem with the backup (the store's log). */
  log(message: string): void;
  onEvent?(e: BackupEvent): void;
  /** Tests: the copy waits after filling its .partial until [0] of this is non-zero (db/backup-thread.ts). */
  hold?: SharedArrayBuffer;
  /** The copy starts this long after the open at the latest (`startNow` sooner); 0: at once. */
  delayMs?: number;
}

/** A backup owed, its copy started. */
export interface OwedBackup {
  readonly target: string;
  /** Starts the copy if it waits for its delay (the start's work is done). */
  startNow(): void;
  /** Before the store closes (the last connection's close checkpoints): waits for a copy running, else copies here; clears the record. */
  finish(): void;
}

export { fileUserVersion };

export function readOwed(db: BetterSqlite3.Database): OwedRecord | null {
  const row = db.prepare('SELECT value FROM meta WHERE key = ?').get(OWED_BACKUP_KEY) as { value: string } | undefined;
  return row ? (JSON.parse(row.value) as OwedRecord) : null;
}

function clearOwed(db: BetterSqlite3.Database): void {
  db.transaction(() => db.prepare('DELETE FROM meta WHERE key = ?').run(OWED_BACKUP_KEY)).immediate();
}

/**
 * Migrates the existing file of `db` (at `from` > 0) to the latest schema. When the file holds the whole
 * database (the WAL checkpointed into it, nobody committing since), the migrations and the owed record
 * commit in one transaction, into the WAL only, and the copy is owed (`owed`); the caller holds every
 * checkpoint off (wal_autocheckpoint 0 from before this call). Otherwise the copy is made first (page
 * copy or `VACUUM INTO`, db/backup.ts), as before. Returns the backup's path.
 */
export function migrateOwingBackup(db: BetterSqlite3.Database, file: string, dataDir: string, from: number, name: string): { target: string; owed: boolean } {
  ensurePrivateDir(backupsDir(dataDir));
  const target = join(backupsDir(dataDir), name);
  const seen = fileHoldsDatabase(db);
  if (seen !== null) {
    const owed = db
      .transaction(() => {
        if (!unchangedSince(db, seen)) return false;
        migrateTo(db, LATEST_VERSION);
        const record: OwedRecord = { from, to: LATEST_VERSION, name };
        db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)').run(OWED_BACKUP_KEY, JSON.stringify(record));
        return true;
      })
      .immediate();
    if (owed) return { target, owed: true };
  }
  backupBeforeMigrate(db, file, target);
  migrateTo(db, LATEST_VERSION);
  return { target, owed: false };
}

/**
 * The migrations at open, from `from` (0: a new file, no backup) to the latest: a copy an earlier upgrade
 * still owes (its start killed mid-copy) made first, as this upgrade checkpoints; then the migrations with
 * their backup (`name` in backups/) owed, or made first (`migrateOwingBackup`). They copy and rebuild
 * whole tables: SQLite's memory bounded meanwhile (bounded-memory.ts). Returns the backup's path.
 */
export function migrateAtOpen(h: OwedBackupHooks, from: number, name: string): string | null {
  if (from > 0) startOwedBackup(h)?.finish();
  return withBoundedMemory(h.db, () => {
    if (from > 0) return migrateOwingBackup(h.db, h.file, h.dataDir, from, name).target;
    migrateTo(h.db, LATEST_VERSION);
    return null;
  });
}

/**
 * The backup `db` owes, if any: its copy started (the caller keeps checkpoints off until `resume`). Null
 * when none is owed, or it was settled here: written already (a crash after its rename), or the file is
 * no longer the one before the upgrade (checkpointed meanwhile: reported, the record cleared, no backup).
 */
export function startOwedBackup(h: OwedBackupHooks): OwedBackup | null {
  const record = readOwed(h.db);
  if (!record) return null;
  const target = join(backupsDir(h.dataDir), record.name);
  if (existsSync(target)) {
    clearOwed(h.db);
    h.onEvent?.({ type: 'written', file: target });
    return null;
  }
  if (notPristine(h, record.from, target, 'Vakt was not running')) return null;
  ensurePrivateDir(backupsDir(h.dataDir));
  return new CopyBehind(h, target, record.from);
}

/**
 * When the file is no longer at schema `from` (checkpointed while the backup was owed, by another program
 * while `when`): reported, the record cleared, no backup written (a `.partial` left is removed). Returns
 * whether it was so.
 */
function notPristine(h: OwedBackupHooks, from: number, target: string, when: string): boolean {
  const version = fileUserVersion(h.file);
  if (version === from) return false;
  const message = `the backup before the upgrade from schema ${from} (${target}) cannot be written: the database file is at schema ${version}, checkpointed while the backup was owed (opened by another program while ${when}?). No backup of schema ${from} was written; going back to the earlier version needs a backup made before the upgrade.`;
  h.log(message);
  rmSync(`${target}.partial`, { force: true });
  clearOwed(h.db);
  h.onEvent?.({ type: 'not-pristine', message });
  return true;
}

/** The copy thread runs little JavaScript (the copy is the kernel's): small heaps, as the checkpoint thread's. */
const BACKUP_THREAD_LIMITS = { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 };

// The thread's entry failed to load: told as a failed copy (state and port), so a closing store does not wait for it.
const THREAD_LOAD_FAILED = `const { workerData: d } = require('node:worker_threads'); d.port.postMessage({ ok: false, message: 'its thread did not start: ' + String((e && e.message) || e) }); const s = new Int32Array(d.state); Atomics.store(s, 0, ${FAILED}); Atomics.notify(s, 0);`;

class CopyBehind implements OwedBackup {
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private port: MessagePort | null = null;
  private worker: Worker | null = null;
  private timer: NodeJS.Timeout | null = null;
  private failures = 0;
  private settled = false;

  constructor(
    private readonly h: OwedBackupHooks,
    readonly target: string,
    private readonly from: number,
  ) {
    if (!h.delayMs) this.start();
    else {
      this.timer = setTimeout(() => this.start(), h.delayMs);
      this.timer.unref();
    }
  }

  startNow(): void {
    if (this.settled || this.port || this.failures > 0 || !this.timer) return;
    clearTimeout(this.timer);
    this.start();
  }

  private start(): void {
    this.timer = null;
    Atomics.store(this.state, 0, COPYING);
    const { port1, port2 } = new MessageChannel();
    const workerData: BackupThreadData = { file: this.h.file, from: this.from, target: this.target, state: this.state.buffer as SharedArrayBuffer, port: port2, hold: this.h.hold };
    this.port = port1;
    port1.once('message', (r: BackupThreadReply) => this.done(r));
    const w = startWorker('backup-thread', { workerData, transferList: [port2], resourceLimits: BACKUP_THREAD_LIMITS }, undefined, THREAD_LOAD_FAILED);
    w.once('error', (e) => this.done({ ok: false, message: `its thread stopped: ${e.message}` }));
    // Never keeps a process alive on its own (a tool or a test that opened the store directly); close() waits for it.
    w.unref();
    port1.unref();
    this.worker = w;
  }

  private done(r: BackupThreadReply): void {
    if (this.settled || !this.port) return;
    this.port.close();
    this.port = null;
    this.worker = null;
    if (r.ok) return this.settle({ type: 'written', file: this.target });
    if (this.gone()) return;
    const retryInMs = BACKUP_RETRY_MS[this.failures++];
    if (retryInMs === undefined) return this.giveUp(r.message);
    this.h.log(`the backup before the upgrade from schema ${this.from} (${this.target}) failed: ${r.message}. Tried again in ${retryInMs / 1000} s; checkpoints wait for it.`);
    this.h.onEvent?.({ type: 'failed', message: r.message, retryInMs });
    this.timer = setTimeout(() => this.start(), retryInMs);
    this.timer.unref();
  }

  /** The file no longer the pre-upgrade one (checkpointed by another program): reported, nothing to try again. */
  private gone(): boolean {
    if (!notPristine(this.h, this.from, this.target, 'Vakt ran')) return false;
    this.settled = true;
    this.h.resume();
    return true;
  }

  private settle(e: BackupEvent): void {
    this.settled = true;
    clearOwed(this.h.db);
    this.h.resume();
    this.h.onEvent?.(e);
  }

  private giveUp(message: string): void {
    this.h.log(
      `the backup before the upgrade from schema ${this.from} (${this.target}) is given up after ${this.failures} tries: ${message}. Checkpoints run again; going back to the earlier version needs a backup made before the upgrade.`,
    );
    this.settle({ type: 'given-up', message });
  }

  finish(): void {
    if (this.settled) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.port) {
      Atomics.wait(this.state, 0, COPYING, CLOSE_WAIT_MS);
      const m = this.port ? receiveMessageOnPort(this.port) : undefined;
      if (Atomics.load(this.state, 0) === WRITTEN) return this.settle({ type: 'written', file: this.target });
      if (!m) {
        void this.worker?.terminate();
        return this.giveUp(`the copy did not end within ${CLOSE_WAIT_MS / 1000} s of the store's close`);
      }
      this.port?.close();
      this.port = null;
      this.failures++;
    }
    // not started yet (its delay), or failed before: made here, else given up
    if (this.gone()) return;
    try {
      writeBackup(this.target, (tmp) => copyOwed(this.h.file, this.from, tmp));
      this.settle({ type: 'written', file: this.target });
    } catch (e) {
      this.failures++;
      this.giveUp((e as Error).message);
    }
  }
}
