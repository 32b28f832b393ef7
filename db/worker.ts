/**
 * The store's worker thread: opens the store and answers requests from a
 * StoreClient. Time comes from the client: each request carries the client's
 * clock reading, and the store's clock returns it while that request runs.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import type { BatchCall, Hello, Reply, Request } from './protocol.js';
import { serializeError } from './protocol.js';
import type { OpenStoreOptions, Store } from './store.js';
import { openStore } from './store.js';
import { stopwatch } from './timing.js';

interface WorkerInit {
  options: Omit<OpenStoreOptions, 'clock' | 'random'>;
  openedAt: number;
}

const port = parentPort;
if (!port) throw new Error('db/worker.ts must run in a worker thread (use StoreClient)');
const init = workerData as WorkerInit;
let now = init.openedAt;
const clock: Clock = { now: () => now };

const ROOT_METHODS = new Set(['info', 'checkpoint', 'quickCheck', 'backup', 'close']);
const REPOS = new Set(['customers', 'tickets', 'notifications', 'outbox', 'settings', 'sync', 'attachments', 'caseNumbers']);

let store: Store;
try {
  store = openStore({ ...init.options, clock });
  port.postMessage({ type: 'ready', info: store.info() } satisfies Hello);
} catch (e) {
  port.postMessage({ type: 'open-failed', error: serializeError(e) } satisfies Hello);
  process.exit(0);
}

function dispatch(path: string, args: unknown[]): unknown {
  const [head, method, ...rest] = path.split('.');
  if (head === undefined) throw new Error('empty method path');
  if (path === 'batch') return batch(args[0]);
  if (method === undefined && ROOT_METHODS.has(head)) {
    return (store[head as 'info'] as (...a: unknown[]) => unknown).apply(store, args);
  }
  if (REPOS.has(head) && method !== undefined && rest.length === 0 && !method.startsWith('_')) {
    const repo = store[head as 'tickets'] as unknown as Record<string, unknown>;
    const fn = repo[method];
    if (typeof fn === 'function' && method !== 'constructor') return (fn as (...a: unknown[]) => unknown).apply(repo, args);
  }
  throw new Error(`unknown store method "${path}"`);
}

/** Repository calls run in ONE transaction, in order: all commit, or (one throws) none does and the error is answered. */
function batch(calls: unknown): unknown[] {
  if (!Array.isArray(calls)) throw new Error('batch takes a list of calls');
  return store.transaction(() =>
    (calls as BatchCall[]).map((c) => {
      if (!c || typeof c.path !== 'string' || !Array.isArray(c.args) || !c.path.includes('.')) throw new Error('a batch holds repository calls only ("tickets.appendEvent", ...)');
      return dispatch(c.path, c.args);
    }),
  );
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
