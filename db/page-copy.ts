/**
 * The backup before a migration as a page copy of the database file (issue 19: `VACUUM INTO` rebuilt
 * every table and index of the 550 MB benchmark store, 0.9–1.1 s of a 2.5 s first start after an
 * upgrade; the file copied by the kernel (`copy_file_range`, or cloned where the file system can) and
 * fsynced is about half of that, and no SQLite memory). It is the same file, free pages included, so it opens as what was there before.
 *
 * A page copy is consistent only when the database file holds every committed page and nothing writes
 * it meanwhile: the WAL is checkpointed first (all of it), and the copy runs inside an IMMEDIATE
 * transaction (no writer, and no frame left for another connection's checkpoint to copy in), which
 * also checks that no other connection committed since the checkpoint. When either does not hold (a
 * reader pinning frames, another process writing: never the app, which holds its data dir's lock and
 * opens its other connections after), the caller takes the `VACUUM INTO` copy instead.
 */
import type BetterSqlite3 from 'better-sqlite3';
import { chmodSync, closeSync, constants, copyFileSync, openSync, writeSync } from 'node:fs';

/** Bytes 18 and 19 of an SQLite file: 2 and 2 in WAL mode, 1 and 1 for a rollback journal (VACUUM INTO's copy). */
const FILE_FORMAT_OFFSET = 18;
const ROLLBACK_FORMAT = Buffer.from([1, 1]);

/**
 * Copies the database file of `db` (`file`) into `tmp` (created 0600 by the caller; its content is
 * replaced), not yet fsynced. Returns false, having copied nothing, when the file alone does not hold
 * the whole database now.
 */
export function pageCopy(db: BetterSqlite3.Database, file: string, tmp: string): boolean {
  if (db.inTransaction) return false;
  const seen = db.pragma('data_version', { simple: true }) as number;
  const cp = (db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[])[0];
  // A rollback-journal database answers log = -1: its file is the database.
  if (cp && cp.log !== -1 && (cp.busy !== 0 || cp.checkpointed !== cp.log)) return false;
  db.exec('BEGIN IMMEDIATE');
  try {
    if ((db.pragma('data_version', { simple: true }) as number) !== seen) return false;
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
    return true;
  } finally {
    db.exec('ROLLBACK');
  }
}
