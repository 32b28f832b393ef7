/**
 * Integrity of the database file, off the start's critical path (issue 19):
 * - at open, `checkHeader`: the file's 100-byte header (SQLite's magic and a
 *   valid page size) before SQLite opens it; the schema is read at open too
 *   (openStore), so a damaged first page or schema stops the open;
 * - after start and on a schedule, `quickCheckInWorker`: `PRAGMA quick_check`
 *   on a connection in a worker thread of its own, so neither the store's
 *   worker nor the caller waits for it (1-2 s on a 500 MB file); it begins once
 *   commits have stopped for a moment and the WAL is copied (docs/store.md).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { threadData } from './sqlite-driver.js';
import { WAL_INDEX_JS } from './wal-index.js';
import { OWED_BACKUP_KEY } from './backup-thread-state.js';

const MAGIC = 'SQLite format 3\u0000';

/** What is wrong with the file's header, or null when it is a plausible SQLite header. */
export function checkHeader(file: string): string | null {
  const head = Buffer.alloc(100);
  const fd = openSync(file, 'r');
  let n: number;
  try {
    n = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (n < 100) return `the file is ${n} bytes long, shorter than an SQLite header (100 bytes)`;
  if (head.toString('latin1', 0, 16) !== MAGIC) return 'the file does not start with the SQLite header ("SQLite format 3")';
  const raw = head.readUInt16BE(16);
  const pageSize = raw === 1 ? 65536 : raw;
  if (pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) return `the header's page size ${raw} is not a power of two from 512 to 65536`;
  return null;
}

/** The check begins once no transaction has committed for this long (the start's writes are done)... */
export const CHECK_QUIET_MS = 1000;
/** ...or after this long in any case (a desk that never pauses). */
export const CHECK_MAX_WAIT_MS = 60_000;

// Plain CommonJS run by the worker (no TypeScript loader needed): waits for the WAL to be quiet, then one
// connection copies what is in it (a PASSIVE checkpoint) and runs the check.
const CHECK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { performance } = require('node:perf_hooks');
const { file, driver, busyTimeoutMs, quietMs, maxWaitMs, little, owedKey } = workerData;
const hdr = Buffer.alloc(100);
${WAL_INDEX_JS}
// The WAL's header (db/wal-index.ts); null without one (no WAL).
function wal() {
  let fd = -1;
  try {
    fd = fs.openSync(file + '-shm', 'r');
    return walIndex(fd, hdr, little);
  } catch {
    return null;
  } finally {
    if (fd >= 0) fs.closeSync(fd);
  }
}
const key = (w) => (w ? w.change + ':' + w.mxFrame : '');
// Waits until no commit for quietMs (true), or maxWaitMs have passed (false).
async function quiet() {
  const t0 = performance.now();
  let last = key(wal());
  let since = t0;
  for (;;) {
    const now = performance.now();
    if (now - since >= quietMs) return true;
    if (now - t0 >= maxWaitMs) return false;
    await new Promise((r) => setTimeout(r, Math.min(100, quietMs)));
    const k = key(wal());
    if (k !== last) {
      last = k;
      since = performance.now();
    }
  }
}
(async () => {
  let reply;
  try {
    const calm = await quiet();
    const Database = require(driver);
    // Not read-only: it checkpoints. It writes nothing else.
    const db = new Database(file, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = ' + busyTimeoutMs);
      db.pragma('synchronous = FULL');
      // No checkpoint while a pre-migration backup is owed: the file is that backup's source (db/owed-backup.ts).
      let owed = false;
      try { owed = !!db.prepare('SELECT 1 FROM meta WHERE key = ?').get(owedKey); } catch {}
      if (!owed) db.pragma('wal_checkpoint(PASSIVE)');
      const w = wal();
      reply = { problems: db.pragma('quick_check').map((r) => r.quick_check), wal: { quiet: calm, pendingAtStart: w ? w.mxFrame - w.nBackfill : 0 } };
    } finally {
      db.close();
    }
  } catch (e) {
    reply = { error: String((e && e.message) || e), code: String((e && e.code) || '') };
  }
  parentPort.postMessage(reply);
})();
`;

/**
 * A check's outcome: `problems` (['ok'] when intact) and the WAL when it began (`quiet`: after commits had
 * stopped, else at the wait's bound; `pendingAtStart`: frames not copied, which it held back), or `error`
 * when it could not run (busy, no file).
 */
export type CheckOutcome = { problems: string[]; wal?: { quiet: boolean; pendingAtStart: number } } | { error: string };

export interface QuickCheckOptions {
  busyTimeoutMs?: number;
  quietMs?: number;
  maxWaitMs?: number;
}

/** Whether an SQLite error says the file is damaged (rather than busy or missing). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || /malformed|not a database/i.test((e as Error).message ?? '');
}

/**
 * `PRAGMA quick_check` of `file` in its own worker thread, once commits have stopped for `quietMs` (at most
 * `maxWaitMs` later) and after a PASSIVE checkpoint: its read holds back the checkpoint of every frame
 * committed while it reads, so it begins when few are coming and none are waiting.
 */
export function quickCheckInWorker(file: string, opts: QuickCheckOptions = {}): Promise<CheckOutcome> {
  const workerData = {
    ...threadData(file, opts.busyTimeoutMs),
    quietMs: opts.quietMs ?? CHECK_QUIET_MS,
    maxWaitMs: opts.maxWaitMs ?? CHECK_MAX_WAIT_MS,
    owedKey: OWED_BACKUP_KEY,
  };
  return new Promise((resolve) => {
    const worker = new Worker(CHECK_SOURCE, { eval: true, workerData });
    let done = false;
    const finish = (o: CheckOutcome) => {
      if (done) return;
      done = true;
      resolve(o);
    };
    worker.once('message', (m: { problems: string[] } | { error: string; code: string }) =>
      // An error opening or reading that says "damaged" is a finding; any other (busy, no file) means the check did not run.
      finish('problems' in m ? m : isCorruption({ code: m.code, message: m.error }) ? { problems: [m.error] } : { error: m.error }),
    );
    worker.once('error', (e) => finish({ error: e.message }));
    worker.once('exit', (code) => finish({ error: `the check's worker stopped (exit code ${code})` }));
    // Never keeps a process alive on its own: one ending (its services disposed) does not wait for the check.
    // After the listeners: a 'message' listener refs the thread's port again.
    worker.unref();
  });
}
