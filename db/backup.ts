/**
 * Backups (VACUUM INTO: a consistent, compact copy, taken while the app runs)
 * and restore (validated, the current database kept as a copy first).
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Clock } from '../core/clock.js';
import { DatabaseCorruptError, NotAVaktDatabaseError, StoreError } from './errors.js';
import { assertOpenable, schemaVersion } from './migrate.js';
import { LATEST_VERSION } from './migrations/index.js';
import { backupFileName, backupsDir, dbPath, ensureDir, fsyncDir, fsyncFile, listBackups } from './files.js';

/** Copies the open database `db` into `dest` (must not exist) and fsyncs it. */
export function vacuumInto(db: BetterSqlite3.Database, dest: string): string {
  const target = resolve(dest);
  if (existsSync(target)) throw new StoreError(`backup target ${target} already exists; choose another name`);
  const tmp = `${target}.partial`;
  rmSync(tmp, { force: true });
  db.prepare('VACUUM INTO ?').run(tmp);
  fsyncFile(tmp);
  // rename after the data is durable, so a file named *.db is always complete
  copyOrRename(tmp, target);
  return target;
}

function copyOrRename(from: string, to: string): void {
  if (existsSync(to)) throw new StoreError(`${to} appeared while writing the backup; kept ${from}`);
  renameSync(from, to);
  fsyncDir(resolve(to, '..'));
}

/** Backs up the database of `dataDir` to `dest` (default: a new file in <dataDir>/backups/). */
export function backupDataDir(dataDir: string, clock: Clock, dest?: string, reason = 'manual'): string {
  const file = dbPath(dataDir);
  if (!existsSync(file)) throw new StoreError(`no database at ${file}; nothing to back up`);
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    assertOpenable(db, file);
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
 * Replaces <dataDir>/vakt.db by `file`, after validating it. The current
 * database is first copied into <dataDir>/backups/ (a VACUUM INTO copy when it
 * opens, otherwise the raw files, -wal included); it is never just deleted.
 * The app must not be running.
 */
export function restoreDataDir(file: string, dataDir: string, clock: Clock): RestoreResult {
  const restored = validateDatabaseFile(file);
  const current = dbPath(dataDir);
  ensureDir(dataDir);
  const bdir = backupsDir(dataDir);
  ensureDir(bdir);
  if (resolve(file) === resolve(current)) throw new StoreError(`${file} is the current database; nothing to restore`);
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
      const base = join(bdir, backupFileName(stamp, 'before-restore-raw'));
      copyFileSync(current, base);
      fsyncFile(base);
      for (const ext of ['-wal', '-shm']) if (existsSync(current + ext)) copyFileSync(current + ext, base + ext);
      fsyncDir(bdir);
      previousKeptAt = base;
    }
  }
  const incoming = `${current}.restoring`;
  rmSync(incoming, { force: true });
  copyFileSync(restored.file, incoming);
  fsyncFile(incoming);
  // an old WAL must never be replayed onto the restored file
  rmSync(`${current}-wal`, { force: true });
  rmSync(`${current}-shm`, { force: true });
  renameSync(incoming, current);
  fsyncDir(dataDir);
  validateDatabaseFile(current);
  return { restored, previousKeptAt };
}

export { listBackups };
