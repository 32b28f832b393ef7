/** What the owed backup's thread (db/backup-thread.ts) and the store (db/owed-backup.ts) share. */
import type { MessagePort } from 'node:worker_threads';

/** state[0]: the copy is running, written (durable) or failed. */
export const COPYING = 0;
export const WRITTEN = 1;
export const FAILED = 2;

export interface BackupThreadData {
  file: string;
  /** The schema the file holds (the owed record's `from`). */
  from: number;
  target: string;
  state: SharedArrayBuffer;
  port: MessagePort;
  /** Tests: the thread waits after filling the .partial until [0] of this is non-zero. */
  hold?: SharedArrayBuffer;
}

export type BackupThreadReply = { ok: true } | { ok: false; message: string };

/** The `meta` key of the pre-migration backup owed (db/owed-backup.ts); its value `{from, to, name}` as JSON. */
export const OWED_BACKUP_KEY = 'pre_migrate_backup_owed';
