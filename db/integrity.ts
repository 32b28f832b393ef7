/**
 * Integrity of the database file, off the start's critical path (issue 19):
 * - at open, `checkHeader`: the file's 100-byte header (SQLite's magic and a
 *   valid page size) before SQLite opens it; the schema is read at open too
 *   (openStore), so a damaged first page or schema stops the open;
 * - after start and on a schedule, `quickCheckInWorker`: `PRAGMA quick_check`
 *   on a read-only connection in a worker thread of its own, so neither the
 *   store's worker nor the caller waits for it (1-2 s on a 500 MB file).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { sqliteDriverPath } from './sqlite-driver.js';

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

// Plain CommonJS run by the worker (no TypeScript loader needed): one read-only connection, one check.
const CHECK_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
let reply;
try {
  const Database = require(workerData.driver);
  const db = new Database(workerData.file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
    reply = { problems: db.pragma('quick_check').map((r) => r.quick_check) };
  } finally {
    db.close();
  }
} catch (e) {
  reply = { error: String((e && e.message) || e), code: String((e && e.code) || '') };
}
parentPort.postMessage(reply);
`;

/** A check's outcome: `problems` (['ok'] when intact), or `error` when it could not run (busy, no file). */
export type CheckOutcome = { problems: string[] } | { error: string };

/** Whether an SQLite error says the file is damaged (rather than busy or missing). */
export function isCorruption(e: unknown): boolean {
  const code = (e as { code?: string }).code ?? '';
  return code.startsWith('SQLITE_CORRUPT') || code.startsWith('SQLITE_NOTADB') || /malformed|not a database/i.test((e as Error).message ?? '');
}

/** `PRAGMA quick_check` of `file` on a read-only connection in its own worker thread. */
export function quickCheckInWorker(file: string, busyTimeoutMs = 5000): Promise<CheckOutcome> {
  const driver = sqliteDriverPath();
  return new Promise((resolve) => {
    const worker = new Worker(CHECK_SOURCE, { eval: true, workerData: { file, driver, busyTimeoutMs } });
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
  });
}
