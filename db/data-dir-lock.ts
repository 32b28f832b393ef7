/**
 * One process per data dir. The app hosts (Electron, `vakt serve` /
 * `vakt start`), `vakt server` and `vakt restore` each hold this lock for as
 * long as they use the data dir; a second one is refused with the data dir and
 * the PID that holds it.
 *
 * The lock is an OS-level lock, not a marker file: an SQLite file
 * `<dataDir>/vakt.lock` opened with `locking_mode = EXCLUSIVE` and an
 * EXCLUSIVE transaction, kept open. SQLite takes it with fcntl (POSIX) or
 * LockFileEx (Windows), and the kernel drops it when the process ends, also on
 * kill -9 or a crash, so there is never a stale lock to clean up by hand.
 * SQLite also refuses a second connection in the same process.
 * `<dataDir>/vakt.lock.json` names the holder (PID, what, since) for the
 * refusal message only; it is never trusted as the lock.
 */
import Database from 'better-sqlite3';
import type BetterSqlite3 from 'better-sqlite3';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { StoreError } from './errors.js';
import { createPrivateFile, ensurePrivateDir, PRIVATE_FILE_MODE } from './files.js';

export const LOCK_FILE_NAME = 'vakt.lock';
export const LOCK_HOLDER_NAME = 'vakt.lock.json';

export interface LockHolder {
  pid: number;
  /** What holds it, e.g. "vakt server". */
  what: string;
  /** When it was taken (ms since the epoch). */
  since: number;
}

/** The data dir is in use by another process (or another lock in this one). */
export class DataDirBusyError extends StoreError {
  override name = 'DataDirBusyError';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
  ) {
    const by = holder ? `process ${holder.pid} (${holder.what}, since ${new Date(holder.since).toISOString()})` : 'another process (its PID is not known yet)';
    super(`the data dir ${dataDir} is in use by ${by}. Only one Vakt process may use a data dir at a time; stop that one first.`);
  }
}

export interface DataDirLock {
  readonly dataDir: string;
  /** Lets go of the lock (idempotent). */
  release(): void;
}

function readHolder(dataDir: string): LockHolder | null {
  try {
    const h = JSON.parse(readFileSync(join(dataDir, LOCK_HOLDER_NAME), 'utf8')) as Partial<LockHolder>;
    if (typeof h.pid !== 'number' || typeof h.what !== 'string' || typeof h.since !== 'number') return null;
    // the holder file of a process that died is left behind; it does not name the live holder
    if (!isAlive(h.pid)) return null;
    return h as LockHolder;
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isBusy(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/** Takes the data dir's lock, or throws DataDirBusyError naming the holder. */
export function lockDataDir(dataDir: string, who: { what: string; since: number }): DataDirLock {
  const dir = resolve(dataDir);
  ensurePrivateDir(dir);
  const file = join(dir, LOCK_FILE_NAME);
  createPrivateFile(file);
  let db: BetterSqlite3.Database | null = new Database(file, { timeout: 0 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.pragma('journal_mode = MEMORY');
    // In EXCLUSIVE locking mode the lock this takes is kept after COMMIT, until the connection closes.
    db.exec('BEGIN EXCLUSIVE; COMMIT');
  } catch (e) {
    db.close();
    if (isBusy(e)) throw new DataDirBusyError(dir, readHolder(dir));
    throw e;
  }
  const holder: LockHolder = { pid: process.pid, what: who.what, since: who.since };
  const holderFile = join(dir, LOCK_HOLDER_NAME);
  writeFileSync(holderFile, JSON.stringify(holder) + '\n', { mode: PRIVATE_FILE_MODE });
  return {
    dataDir: dir,
    release() {
      if (!db) return;
      rmSync(holderFile, { force: true });
      db.close();
      db = null;
    },
  };
}
