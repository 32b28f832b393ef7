/**
 * The backup before a migration as a page copy of the database file (issue 19: `VACUUM INTO` rebuilt
 * every table and index of the 550 MB benchmark store, 0.9–1.1 s of a 2.5 s first start after an
 * upgrade; the file copied by the kernel (`copy_file_range`, or cloned where the file system can) and
 * fsynced is about half of that, and no SQLite memory). It is the same file, free pages included, so it opens as what was there before.
 *
 * A page copy is consistent only when the database file holds every committed page and nothing writes
 * it meanwhile: the WAL is checkpointed first (all of it, `fileHoldsDatabase`), and no other connection
 * may commit since (`unchangedSince`, inside an IMMEDIATE transaction). `pageCopy` copies inside that
 * transaction; the store's upgrade instead migrates in it and leaves the copy owed, made behind the
 * start by a thread of its own while no checkpoint runs (db/owed-backup.ts). When the file alone does
 * not hold the database (a reader pinning frames, another process writing: never the app, which holds
 * its data dir's lock and opens its other connections after), the caller takes the `VACUUM INTO` copy.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, constants, copyFileSync, openSync, readSync, writeSync } from 'node:fs';

/** Bytes 18 and 19 of an SQLite file: 2 and 2 in WAL mode, 1 and 1 for a rollback journal (VACUUM INTO's copy). */
const FILE_FORMAT_OFFSET = 18;
const ROLLBACK_FORMAT = Buffer.from([1, 1]);

/**
 * Checkpoints the WAL of `db` (PASSIVE) and answers the `data_version` seen before it when the file now
 * holds every committed page, else null (a reader pins frames). Outside a transaction only.
 */
export function fileHoldsDatabase(db: BetterSqlite3.Database): number | null {
  if (db.inTransaction) return null;
  const seen = db.pragma('data_version', { simple: true }) as number;
  const cp = (db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0];
  // A rollback-journal database answers log = -1: its file is the database.
  if (cp && cp.log !== -1 && (cp.busy !== 0 || cp.checkpointed !== cp.log)) return null;
  return seen;
}

/** Inside a transaction: whether no other connection committed since `fileHoldsDatabase` answered `seen`. */
export function unchangedSince(db: BetterSqlite3.Database, seen: number): boolean {
  return (db.pragma('data_version', { simple: true }) as number) === seen;
}

/**
 * Copies the database file `file` into `tmp` (created 0600 by the caller; its content is replaced),
 * marked as a rollback-journal file, not yet fsynced. Plain file work (no SQLite): the owed backup's
 * thread runs it too.
 */
export function copyDatabaseFile(file: string, tmp: string): void {
  // A clone where the file system makes one (btrfs, XFS, APFS: no bytes copied), else copy_file_range.
  copyFileSync(file, tmp, constants.COPYFILE_FICLONE);
  chmodSync(tmp, 0o600);
  // The copy stands alone: marked as a rollback-journal file, as VACUUM INTO's is, so it opens without a WAL beside it.
  const fd = openSync(tmp, 'r+');
  try {
    writeSync(fd, ROLLBACK_FORMAT, 0, 2, FILE_FORMAT_OFFSET);
  } finally {
    closeSync(fd);
  }
}

/** The schema version in the database FILE's page 1 (user_version, bytes 60–63), without its WAL. */
export function fileUserVersion(file: string): number {
  const b = Buffer.alloc(4);
  const fd = openSync(file, 'r');
  try {
    if (readSync(fd, b, 0, 4, 60) < 4) return 0;
  } finally {
    closeSync(fd);
  }
  return b.readInt32BE(0);
}

/**
 * The owed backup's copy (db/owed-backup.ts): `copyDatabaseFile` of `file`, which must still be the
 * database at schema `from` when the copy ends. A checkpoint writes the WAL's pages in ascending page
 * order, page 1 (the migration's `user_version`) first: while page 1 still says `from` after the copy,
 * none has written the file during it. Throws otherwise (the copy is not the pre-upgrade file).
 */
export function copyOwed(file: string, from: number, tmp: string, filled?: () => void): void {
  copyDatabaseFile(file, tmp);
  filled?.();
  const now = fileUserVersion(file);
  if (now !== from) throw new Error(`the database file was checkpointed during the copy (its page 1 says schema ${now}, not ${from}); the copy is not the file before the upgrade`);
}

/**
 * Copies the database file of `db` (`file`) into `tmp`, not yet fsynced. Returns false, having copied
 * nothing, when the file alone does not hold the whole database now.
 */
export function pageCopy(db: BetterSqlite3.Database, file: string, tmp: string): boolean {
  const seen = fileHoldsDatabase(db);
  if (seen === null) return false;
  db.exec('BEGIN IMMEDIATE');
  try {
    if (!unchangedSince(db, seen)) return false;
    copyDatabaseFile(file, tmp);
    return true;
  } finally {
    db.exec('ROLLBACK');
  }
}
