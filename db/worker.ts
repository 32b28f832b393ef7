/**
 * The store's worker thread: opens the store and answers requests from a
 * StoreClient. Time comes from the client: each request carries the client's
 * clock reading, and the store's clock returns it while that request runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import type { Hello, Notice, Reply, Request } from './protocol.js';
import { serializeError } from './protocol.js';
import type { OpenStoreOptions, Store } from './store.js';
import { callRepo, openStore } from './store.js';
import { stopwatch } from './timing.js';
import { fullCollection } from './settle-memory.js';

interface WorkerInit {
  options: Omit<OpenStoreOptions, 'clock' | 'random'>;
  openedAt: number;
}

const port = parentPort;
if (!port) throw new Error('db/worker.ts must run in a worker thread (use StoreClient)');
const init = workerData as WorkerInit;
let now = init.openedAt;
const clock: Clock = { now: () => now };

/** The copy of an owed pre-migration backup starts at the latest this long after the open (db/owed-backup.ts). */
const BACKUP_COPY_AFTER_MS = 30_000;

const ROOT_METHODS = new Set(['info', 'checkpoint', 'quickCheck', 'backup', 'close', 'batch']);

let store: Store;
try {
  // The app's store checkpoints in a thread of its own, never in a person's commit (db/checkpoint.ts);
  // a failed checkpoint is logged by the client (StoreClientOptions.onCheckpointError).
  store = openStore({
    backgroundCheckpoint: true,
    // An owed pre-migration backup is copied once the start's work is done (the hosts' 'settle'), not beside it.
    backupCopyAfterMs: BACKUP_COPY_AFTER_MS,
    ...init.options,
    clock,
    onCheckpointError: (message) => port.postMessage({ type: 'log', message } satisfies Notice),
    onBackupNotice: (message) => port.postMessage({ type: 'log', message } satisfies Notice),
    onUpgrade: (u) => port.postMessage({ type: 'upgrading', ...u } satisfies Hello),
  });
  port.postMessage({ type: 'ready', info: store.info() } satisfies Hello);
} catch (e) {
  port.postMessage({ type: 'open-failed', error: serializeError(e) } satisfies Hello);
  process.exit(0);
}

function dispatch(path: string, args: unknown[]): unknown {
  // After the start's work (db/settle-memory.ts): SQLite's caches and this thread's garbage given back.
  if (path === 'settle') return void (store.db.pragma('shrink_memory'), fullCollection()?.(), store.startBackupCopy());
  if (ROOT_METHODS.has(path)) return (store[path as 'info'] as (...a: unknown[]) => unknown).apply(store, args);
  return callRepo(store, path, args);
}

port.on('message', (req: Request) => {
  now = req.now;
  const elapsed = stopwatch();
  let reply: Reply;
  try {
    const result = dispatch(req.path, req.args);
    reply = { id: req.id, ok: true, result, ms: elapsed() };
  } catch (e) {
    reply = { id: req.id, ok: false, error: serializeError(e), ms: elapsed() };
  }
  port.postMessage(reply);
  if (req.path === 'close' && reply.ok) port.close();
});
