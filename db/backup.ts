/**
 * Backups (VACUUM INTO: a consistent, compact copy, taken while the app runs)
 * and restore (validated, the current database kept as a copy first).
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { withSmallCache } from './bounded-memory.js';
import { lockDataDir } from './data-dir-lock.js';
import { DatabaseCorruptError, NotAVaktDatabaseError, StoreError } from './errors.js';
import { assertOpenable, schemaVersion } from './migrate.js';
import { LATEST_VERSION } from './migrations/index.js';
import { missingSchemaObjects } from './schema-check.js';
import { pageCopy } from './page-copy.js';
import { backupFileName, backupsDir, copyPrivate, createPrivateFile, dbPath, ensureDir, ensurePrivateDir, fsyncDir, fsyncFile, listBackups, RAW_COPY_REASON, writeBackup } from './files.js';

/** Copies the open database `db` into `dest` (must not exist; created 0600) and fsyncs it. */
export function vacuumInto(db: BetterSqlite3.Database, dest: string): string {
  // with SQLite's default page cache: the copy's would be the connection's size too, both filled (bounded-memory.ts)
  return writeBackup(dest, (tmp) => void withSmallCache(db, () => db.prepare('VACUUM INTO ?').run(tmp)));
}

/**
 * The backup before a migration: a page copy of `file`, the database of `db` (db/page-copy.ts), or a
 * `VACUUM INTO` copy when the file alone does not hold the whole database now. Returns the copy and how
 * it was made.
 */
export function backupBeforeMigrate(db: BetterSqlite3.Database, file: string, dest: string): { file: string; how: 'pages' | 'vacuum' } {
  let how: 'pages' | 'vacuum' = 'pages';
  const target = writeBackup(dest, (tmp) => {
    if (pageCopy(db, file, tmp)) return;
    how = 'vacuum';
    withSmallCache(db, () => db.prepare('VACUUM INTO ?').run(tmp));
  });
  return { file: target, how };
}

/** Backs up the database of `dataDir` to `dest` (default: a new file in <dataDir>/backups/). */
export function backupDataDir(dataDir: string, clock: Clock, dest?: string, reason = 'manual'): string {
  const file = dbPath(dataDir);
  if (!existsSync(file)) throw new StoreError(`no database at ${file}; nothing to back up`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    assertOpenable(db, file);
    if (!dest) ensurePrivateDir(backupsDir(dataDir));
    const target = dest ?? join(backupsDir(dataDir), backupFileName(clock.now(), reason));
    ensureDir(resolve(target, '..'));
    return vacuumInto(db, target);
  } finally {
    db.close();
  }
}

export interface ValidatedFile {
  file: string;
  version: number;
  installId: string | null;
  tickets: number;
}

/** Checks that `file` is an intact Vakt database of a version we can open. Never writes to it. */
export function validateDatabaseFile(file: string, latest = LATEST_VERSION): ValidatedFile {
  const abs = resolve(file);
  if (!existsSync(abs)) throw new StoreError(`${abs} does not exist`);
  if (!statSync(abs).isFile()) throw new StoreError(`${abs} is not a file`);
  let db: BetterSqlite3.Database;
  try {
    db = new Database(abs, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new NotAVaktDatabaseError(abs, (e as Error).message);
  }
  try {
    let problems: string[];
    try {
      problems = (db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check);
    } catch (e) {
      const msg = (e as Error).message;
      if (/not a database/i.test(msg)) throw new NotAVaktDatabaseError(abs, msg);
      throw new DatabaseCorruptError(abs, [msg], []);
    }
    if (!(problems.length === 1 && problems[0] === 'ok')) throw new DatabaseCorruptError(abs, problems, []);
    const version = assertOpenable(db, abs, latest);
    if (version === 0) throw new NotAVaktDatabaseError(abs, 'it is empty (schema version 0)');
    // The Vakt mark and a version are not enough: the tables of that version must be there too.
    const missing = missingSchemaObjects(db, version);
    if (missing.length) {
      const names = missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
      throw new NotAVaktDatabaseError(abs, `it is marked as a Vakt database of schema version ${version}, but ${missing.length} of that schema's tables, indexes or triggers are missing (${names})`);
    }
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) throw new DatabaseCorruptError(abs, [`${fk.length} foreign key violation(s)`], []);
    const ds = db.prepare('SELECT install_id FROM device_state WHERE id = 1').get() as { install_id: string } | undefined;
    const tickets = (db.prepare('SELECT count(*) AS n FROM tickets').get() as { n: number }).n;
    return { file: abs, version: schemaVersion(db), installId: ds?.install_id ?? null, tickets };
  } finally {
    db.close();
  }
}

export interface RestoreResult {
  restored: ValidatedFile;
  /** Where the database that was replaced was kept (null when there was none). */
  previousKeptAt: string | null;
}

/**
 * Replaces <dataDir>/vakt.db by `file`, after validating it. Holds the data
 * dir's lock throughout, so it is refused while the app (or a server) runs
 * there. `file` is never written to: it is copied, with its -wal or -journal
 * when one lies beside it, and that private copy is brought to a single
 * self-contained file first (the WAL checkpointed into it, a hot journal
 * rolled back); what is validated and reported is exactly what is put in
 * place. The current database is first copied into <dataDir>/backups/ (a
 * VACUUM INTO copy when it opens, otherwise the raw files, -wal included); it
 * is never just deleted.
 */
export function restoreDataDir(file: string, dataDir: string, clock: Clock): RestoreResult {
  const lock = lockDataDir(dataDir, { what: 'vakt restore', since: clock.now() });
  try {
    return restoreLocked(resolve(file), dataDir, clock);
  } finally {
    lock.release();
  }
}

function restoreLocked(source: string, dataDir: string, clock: Clock): RestoreResult {
  const current = dbPath(dataDir);
  if (source === resolve(current)) throw new StoreError(`${source} is the current database; nothing to restore`);
  const incoming = `${current}.restoring`;
  let restored: ValidatedFile;
  try {
    selfContainedCopy(source, incoming);
    restored = { ...validateDatabaseFile(incoming), file: source };
  } catch (e) {
    removeWithSidecars(incoming);
    throw e;
  }
  try {
    const previousKeptAt = keepCurrent(current, backupsDir(dataDir), clock);
    // an old WAL must never be replayed onto the restored file
    rmSync(`${current}-wal`, { force: true });
    rmSync(`${current}-shm`, { force: true });
    renameSync(incoming, current);
    fsyncDir(dataDir);
    return { restored, previousKeptAt };
  } catch (e) {
    removeWithSidecars(incoming);
    throw e;
  }
}

/** Copies the database being replaced into backups/; returns where (null when there is none). */
function keepCurrent(current: string, bdir: string, clock: Clock): string | null {
  ensurePrivateDir(bdir);
  let previousKeptAt: string | null = null;
  if (existsSync(current)) {
    const stamp = clock.now();
    try {
      const db = new Database(current, { readonly: true, fileMustExist: true });
      try {
        previousKeptAt = vacuumInto(db, join(bdir, backupFileName(stamp, 'before-restore')));
      } finally {
        db.close();
      }
    } catch {
      // the current file may be damaged: keep its raw bytes (and its WAL) instead
      const base = join(bdir, backupFileName(stamp, RAW_COPY_REASON));
      copyPrivate(current, base);
      fsyncFile(base);
      for (const ext of ['-wal', '-shm']) if (existsSync(current + ext)) copyPrivate(current + ext, base + ext);
      fsyncDir(bdir);
      previousKeptAt = base;
    }
  }
  return previousKeptAt;
}

const SIDECARS = ['-wal', '-shm', '-journal'];

function removeWithSidecars(file: string): void {
  for (const ext of ['', ...SIDECARS]) rmSync(file + ext, { force: true });
}

/**
 * Copies `source` (and its -wal / -journal) to `dest` (0600), then opens the
 * copy read-write and switches it to rollback-journal mode: SQLite applies the
 * copied WAL (or rolls back a hot journal) into the copy, so `dest` alone holds
 * everything `source` held. Refuses what is not an SQLite database.
 */
function selfContainedCopy(source: string, dest: string): void {
  if (!existsSync(source)) throw new StoreError(`${source} does not exist`);
  if (!statSync(source).isFile()) throw new StoreError(`${source} is not a file`);
  removeWithSidecars(dest);
  copyPrivate(source, dest);
  for (const ext of ['-wal', '-journal']) if (existsSync(source + ext)) copyPrivate(source + ext, dest + ext);
  let db: BetterSqlite3.Database;
  try {
    db = new Database(dest, { fileMustExist: true });
  } catch (e) {
    throw new NotAVaktDatabaseError(source, (e as Error).message);
  }
  try {
    db.pragma('journal_mode = DELETE');
  } catch (e) {
    const msg = (e as Error).message;
    if (/not a database/i.test(msg)) throw new NotAVaktDatabaseError(source, msg);
    throw new DatabaseCorruptError(source, [msg], []);
  } finally {
    db.close();
  }
  for (const ext of SIDECARS) rmSync(dest + ext, { force: true });
  fsyncFile(dest);
}

export { listBackups };
