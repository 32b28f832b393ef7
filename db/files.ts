/** Small durable-file helpers and the data dir layout. */
import { chmodSync, closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { StoreError } from './errors.js';

export const DB_FILE_NAME = 'vakt.db';
export const BACKUPS_DIR_NAME = 'backups';

export function dbPath(dataDir: string): string {
  return join(dataDir, DB_FILE_NAME);
}

export function backupsDir(dataDir: string): string {
  return join(dataDir, BACKUPS_DIR_NAME);
}

/** fsyncs a directory so a rename/create inside it is durable (no-op where unsupported). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Windows cannot open directories; NTFS renames are journaled.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

export function fsyncFile(file: string): void {
  const fd = openSync(file, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Writes a file atomically and durably: temp file, fsync, rename, fsync dir. */
export function writeFileDurable(file: string, data: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', PRIVATE_FILE_MODE);
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

/**
 * The reason in the name of the raw bytes of a database that could not be
 * opened when a restore replaced it: kept, but not a backup to restore from.
 */
export const RAW_COPY_REASON = 'before-restore-raw';

/** Backups (`*.db` in `<dataDir>/backups/`, not raw copies of a damaged file), newest first (by modification time). */
export function listBackups(dataDir: string): string[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.db') && !n.endsWith(`-${RAW_COPY_REASON}.db`))
    .map((n) => {
      const p = join(dir, n);
      return { p, t: statSync(p).mtimeMs };
    })
    .sort((a, b) => b.t - a.t || (a.p < b.p ? 1 : -1))
    .map((x) => x.p);
}

/** A backup file name for `instant`, e.g. vakt-20260330T091500123Z-pre-migrate-v1.db */
export function backupFileName(instant: number, reason: string): string {
  const stamp = new Date(instant).toISOString().replace(/[-:.]/g, '');
  return `vakt-${stamp}-${reason.replace(/[^a-z0-9-]/gi, '_')}.db`;
}

/** Creates `dir` (and missing parents) readable by the owner only; an existing folder is left as it is. */
export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Owner-only permissions: folders of the data dir 0700, its database files,
 * WAL, SHM and backups 0600. Nothing on Windows (no POSIX modes).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;
const posix = process.platform !== 'win32';

/** Removes group and other permissions from `path` (best effort: a file system without modes is left as it is). */
export function tighten(path: string, mode: number): void {
  if (!posix) return;
  try {
    const st = statSync(path);
    // a shared folder with the sticky bit (/tmp given as the data dir) is never closed to others
    if (st.isDirectory() && st.mode & 0o1000) return;
    if ((st.mode & 0o777 & ~mode) !== 0) chmodSync(path, mode);
  } catch {
    // gone meanwhile, or a file system that keeps no modes
  }
}

/** `ensureDir`, and an existing folder is tightened to 0700 too (the data dir and its backups/). */
export function ensurePrivateDir(dir: string): void {
  ensureDir(dir);
  tighten(dir, PRIVATE_DIR_MODE);
}

/** Creates `file` empty with mode 0600 unless it exists; SQLite then gives its -wal and -shm the same mode. */
export function createPrivateFile(file: string): void {
  try {
    closeSync(openSync(file, 'wx', PRIVATE_FILE_MODE));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
}

/** copyFileSync gives the copy the source's mode; this one is 0600. */
export function copyPrivate(from: string, to: string): void {
  copyFileSync(from, to);
  if (posix) chmodSync(to, PRIVATE_FILE_MODE);
}

/** The files Vakt keeps directly in a data dir (every file in backups/ is Vakt's too). */
const OWN_FILES = /^(vakt\.db(-wal|-shm|-journal)?|vakt\.lock(\.json)?|case-numbers\.json|sync-token)$/;

/**
 * Tightens a data dir made by an older Vakt (0755 folders, 0644 files): the
 * folder and backups/ to 0700, Vakt's files in them to 0600 (only Vakt's: a
 * data dir given on the command line may hold other things).
 */
export function tightenDataDir(dataDir: string): void {
  if (!posix) return;
  for (const [dir, own] of [
    [dataDir, (n: string) => OWN_FILES.test(n)],
    [backupsDir(dataDir), () => true],
  ] as const) {
    if (!existsSync(dir)) continue;
    tighten(dir, PRIVATE_DIR_MODE);
    for (const e of readdirSync(dir, { withFileTypes: true })) if (e.isFile() && own(e.name)) tighten(join(dir, e.name), PRIVATE_FILE_MODE);
  }
}

/** Fills `dest`.partial (created 0600 first, so the copy is never readable by others), fsyncs it, renames it to `dest`. */
export function writeBackup(dest: string, fill: (tmp: string) => void): string {
  const target = resolve(dest);
  if (existsSync(target)) throw new StoreError(`backup target ${target} already exists; choose another name`);
  const tmp = `${target}.partial`;
  rmSync(tmp, { force: true });
  try {
    // VACUUM INTO accepts an empty file
    createPrivateFile(tmp);
    fill(tmp);
    fsyncFile(tmp);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  // rename after the data is durable, so a file named *.db is always complete
  copyOrRename(tmp, target);
  return target;
}

function copyOrRename(from: string, to: string): void {
  if (existsSync(to)) throw new StoreError(`${to} appeared while writing the backup; kept ${from}`);
  renameSync(from, to);
  fsyncDir(resolve(to, '..'));
}
