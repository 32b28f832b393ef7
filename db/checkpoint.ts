/**
 * The WAL's checkpoints, off the person's path (issue 19). With SQLite's automatic checkpoint the
 * commit that crosses `wal_autocheckpoint` pages copies them into the database file and fsyncs it
 * inside that commit: on the 100k-ticket store 38 of 1000 back-to-back registrations paid it
 * (median 2-9 ms, up to 23 ms under load; docs/store.md "Durability"). Here a thread of its own
 * with its own connection runs PASSIVE checkpoints (never blocking the writer or a reader): at
 * once when a commit leaves `walFrames` or more frames not yet copied, else `idleMs` after the
 * first write of a burst. The thread ends a minute after the last write: an idle app has no
 * thread, no timer, no wake-up. The writer keeps SQLite's automatic checkpoint as the hard bound,
 * at a higher mark (`WRITER_BOUND_FRAMES`), for when this thread falls behind or readers hold it
 * back. A checkpoint's failure is reported to `onError`, and the next write tries again.
 */
import { Worker } from 'node:worker_threads';
import { threadData } from './sqlite-driver.js';
import { stopwatch } from './timing.js';
import { WAL_INDEX_JS, walIndexOf } from './wal-index.js';

/** WAL frames (pages) after which the background thread checkpoints at once (~4 MB; SQLite's own default mark). */
export const CHECKPOINT_FRAMES = 1000;
/** Without that many frames, the checkpoint runs this long after the first write of a burst. */
export const CHECKPOINT_IDLE_MS = 2000;
/** The writer's own automatic checkpoint (the hard bound on the WAL, ~16 MB) when the background one falls behind. */
export const WRITER_BOUND_FRAMES = 4000;

/** The thread ends this long after the last write (and starts again at the next). */
export const CHECKPOINT_THREAD_IDLE_MS = 60_000;

/** A PASSIVE checkpoint's outcome: frames in the WAL (`log`) and copied into the database (`checkpointed`). */
export interface CheckpointRun {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface CheckpointerOptions {
  walFrames?: number;
  idleMs?: number;
  busyTimeoutMs?: number;
  endAfterMs?: number;
  /** A checkpoint that failed (it is tried again after the next write). */
  onError(message: string): void;
  /** Each checkpoint run (tests, diagnostics). */
  onRun?(r: CheckpointRun): void;
}

export interface Checkpointer {
  /** A write transaction committed. */
  wrote(): void;
  /** Whether its thread is there (it ends when no write came for a while). */
  threadRunning(): boolean;
  /** Ends the thread, after waiting (up to `waitMs`) for a checkpoint it is running, so the caller may checkpoint itself. */
  stop(waitMs?: number): void;
}

// state[0]: 0 idle, 1 checkpointing, 2 stopped (set by stop(): no checkpoint starts after it).
const IDLE = 0;
const RUNNING = 1;
const STOPPED = 2;

// Plain CommonJS run by the thread (no TypeScript loader needed).
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const { file, driver, busyTimeoutMs, walFrames, idleMs, little } = workerData;
const state = new Int32Array(workerData.state);
let db = null;
let timer = null;
let closing = false;
let soon = false;
let shm = -1;
const hdr = Buffer.alloc(100);
${WAL_INDEX_JS}
// Frames in the WAL not yet copied into the database (db/wal-index.ts); 0 when it cannot be read.
function pending() {
  try {
    if (shm < 0) shm = fs.openSync(file + '-shm', 'r');
    const w = walIndex(shm, hdr, little);
    return w ? Math.max(0, w.mxFrame - w.nBackfill) : 0;
  } catch {
    return 0;
  }
}
function run() {
  if (closing) return;
  if (timer) clearTimeout(timer);
  timer = null;
  if (Atomics.compareExchange(state, 0, ${IDLE}, ${RUNNING}) !== ${IDLE}) return;
  let reply;
  try {
    if (!db) {
      db = new (require(driver))(file, { fileMustExist: true });
      db.pragma('busy_timeout = ' + busyTimeoutMs);
      db.pragma('synchronous = FULL');
      db.pragma('cache_size = -256');
    }
    reply = { type: 'run', result: db.pragma('wal_checkpoint(PASSIVE)')[0] };
  } catch (e) {
    reply = { type: 'error', message: String((e && e.message) || e) };
  } finally {
    Atomics.compareExchange(state, 0, ${RUNNING}, ${IDLE});
    Atomics.notify(state, 0);
  }
  parentPort.postMessage(reply);
  // Frames held back by a reader (busy): tried again after a while, not in a loop. Frames committed during
  // the run come with their own 'wrote'.
  if (reply.type === 'run' && reply.result.checkpointed < reply.result.log && !timer) timer = setTimeout(run, idleMs);
}
parentPort.on('message', (m) => {
  if (m === 'wrote') {
    if (pending() >= walFrames) {
      if (!soon) {
        soon = true;
        setImmediate(() => {
          soon = false;
          run();
        });
      }
    } else if (!timer) timer = setTimeout(run, idleMs);
  } else if (m === 'stop') {
    // a checkpoint still due runs first (unless stop() was called: then the store checkpoints itself)
    if (timer) run();
    closing = true;
    if (timer) clearTimeout(timer);
    timer = null;
    try { if (db) db.close(); } catch {}
    try { if (shm >= 0) fs.closeSync(shm); } catch {}
    parentPort.close();
  }
});
`;

/**
 * The checkpointer of the WAL database `file`. Its thread starts at the first write and ends
 * `endAfterMs` after the last one (its ~8 MB are given back; an idle app holds no thread); its
 * connection opens at its first checkpoint.
 */
export function startCheckpointer(file: string, opts: CheckpointerOptions): Checkpointer {
  // Shared by every thread this checkpointer starts: one checkpoint at a time, and stop() sees it.
  const state = new Int32Array(new SharedArrayBuffer(4));
  const workerData = {
    ...threadData(file, opts.busyTimeoutMs),
    walFrames: opts.walFrames ?? CHECKPOINT_FRAMES,
    idleMs: opts.idleMs ?? CHECKPOINT_IDLE_MS,
    state: state.buffer,
  };
  let worker: Worker | null = null;
  let stopped = false;
  const end = () => {
    worker?.postMessage('stop');
    worker = null;
  };
  const idle = setTimeout(end, opts.endAfterMs ?? CHECKPOINT_THREAD_IDLE_MS);
  idle.unref();
  const thread = (): Worker => {
    if (worker) return worker;
    const w = new Worker(SOURCE, { eval: true, workerData, resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 } });
    w.on('message', (m: { type: 'run'; result: CheckpointRun } | { type: 'error'; message: string }) => {
      if (m.type === 'error') opts.onError(`the background checkpoint of ${file} failed: ${m.message}`);
      else if (opts.onRun) opts.onRun(m.result);
    });
    w.on('error', (e) => opts.onError(`the checkpoint thread of ${file} stopped: ${e.message}`));
    w.on('exit', () => {
      if (worker === w) worker = null;
    });
    // Never keeps a process alive on its own (a store not closed in a test or a tool). After the listeners:
    // a 'message' listener refs the thread's port again.
    w.unref();
    return (worker = w);
  };
  return {
    wrote() {
      if (stopped) return;
      thread().postMessage('wrote');
      idle.refresh();
    },
    threadRunning: () => worker !== null,
    stop(waitMs = 10_000) {
      if (stopped) return;
      stopped = true;
      clearTimeout(idle);
      const elapsed = stopwatch();
      // No checkpoint starts after this; one running is waited for (bounded).
      while (Atomics.compareExchange(state, 0, IDLE, STOPPED) === RUNNING) {
        const left = waitMs - elapsed();
        if (left <= 0) break;
        Atomics.wait(state, 0, RUNNING, left);
      }
      end();
    },
  };
}

/** Frames in `file`'s WAL (`mxFrame`) and of them copied into the database (`nBackfill`) (tests, diagnostics). */
export function walPendingFrames(file: string): { mxFrame: number; nBackfill: number } {
  const { mxFrame, nBackfill } = walIndexOf(file);
  return { mxFrame, nBackfill };
}

/** The store's checkpoints, held off until `allow()` (during the open; while a pre-migration backup is owed, db/owed-backup.ts). */
export interface CheckpointGate {
  readonly held: boolean;
  /**
   * The writer's automatic checkpoint back at `walBound` and, with `background`, the checkpoint thread's
   * (started at the next write, or at once with `catchUp`: frames held back wait in the WAL).
   */
  allow(catchUp?: boolean): void;
  /** A write transaction committed. */
  wrote(): void;
  /** No checkpoint from now on (the store closes). */
  stop(): void;
}

export function checkpointGate(
  db: { pragma(s: string): unknown },
  file: string,
  walBound: number,
  background: false | Omit<CheckpointerOptions, 'onError'>,
  onError: (m: string) => void,
): CheckpointGate {
  db.pragma('wal_autocheckpoint = 0');
  let checkpointer: Checkpointer | null = null;
  let held = true;
  let stopped = false;
  return {
    get held() {
      return held;
    },
    allow(catchUp = false) {
      if (stopped || !held) return;
      held = false;
      db.pragma(`wal_autocheckpoint = ${walBound}`);
      if (background) checkpointer = startCheckpointer(file, { ...background, onError });
      if (catchUp) checkpointer?.wrote();
    },
    wrote: () => checkpointer?.wrote(),
    stop() {
      stopped = true;
      checkpointer?.stop();
    },
  };
}
