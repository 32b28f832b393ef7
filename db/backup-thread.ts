/**
 * The owed pre-migration backup's thread (db/owed-backup.ts): copies the database file, which holds the
 * schema before the upgrade while no checkpoint runs, into the backup (`copyOwed`: page copy, marked
 * rollback-journal, refused when a checkpoint wrote the file meanwhile; `writeBackup`: .partial, fsync,
 * rename, fsync of the folder). Tells the store through `state` (so a closing store can wait for it)
 * and its port.
 */
import { workerData } from 'node:worker_threads';
import { writeBackup } from './files.js';
import { copyOwed } from './page-copy.js';
import { FAILED, WRITTEN } from './backup-thread-state.js';
import type { BackupThreadData, BackupThreadReply } from './backup-thread-state.js';

const { file, from, target, state, port, hold } = workerData as BackupThreadData;
const st = new Int32Array(state);
let reply: BackupThreadReply;
try {
  writeBackup(target, (tmp) =>
    copyOwed(file, from, tmp, () => {
      if (!hold) return;
      const h = new Int32Array(hold);
      while (Atomics.load(h, 0) === 0) Atomics.wait(h, 0, 0);
    }),
  );
  reply = { ok: true };
} catch (e) {
  reply = { ok: false, message: (e as Error).message };
}
port.postMessage(reply);
Atomics.store(st, 0, reply.ok ? WRITTEN : FAILED);
Atomics.notify(st, 0);
port.close();
