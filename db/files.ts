/** Small durable-file helpers and the data dir layout. */
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

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
  const fd = openSync(tmp, 'w');
  try {
    writeFileSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  fsyncDir(dirname(file));
}

/** `*.db` files in `<dataDir>/backups/`, newest first (by modification time). */
export function listBackups(dataDir: string): string[] {
  const dir = backupsDir(dataDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => n.endsWith('.db'))
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

export function ensureDir(dir: string): void {
  mkdirSync(dir, { recursive: true });
}
