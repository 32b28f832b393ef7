/**
 * StoreClient: the store's repository API, asynchronous, served by a worker
 * thread so a long query never blocks the caller's event loop (the Electron
 * main process, the scheduler).
 */
import type { Worker } from 'node:worker_threads';
import type { Clock } from '../core/clock.js';
import { StoreClosedError } from './errors.js';
import type { BatchCall, Hello, Notice, Reply, Request } from './protocol.js';
import { deserializeError } from './protocol.js';
import { startWorker } from './worker-entry.js';
import type { CheckpointResult, OpenStoreOptions, Store, StoreInfo } from './store.js';

type Fn = (...args: never[]) => unknown;
/** Every method of T, returning a Promise of what it returned. */
export type Async<T> = { [K in keyof T as T[K] extends Fn ? K : never]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never };

export interface AsyncStore {
  customers: Async<Store['customers']>;
  tickets: Async<Store['tickets']>;
  notifications: Async<Store['notifications']>;
  alertPanel: Async<Store['alertPanel']>;
  oncall: Async<Store['oncall']>;
  availability: Async<Store['availability']>;
  outbox: Async<Store['outbox']>;
  settings: Async<Store['settings']>;
  sync: Async<Store['sync']>;
  attachments: Async<Store['attachments']>;
  caseNumbers: Async<Store['caseNumbers']>;
  visits: Async<Store['visits']>;
  agreements: Async<Store['agreements']>;
}

/** A repository call for StoreClient.batch, typed like the call itself: `op('tickets', 'setSchedule', id, schedule)`. */
export function op<R extends keyof AsyncStore, M extends keyof AsyncStore[R] & string>(repo: R, method: M, ...args: AsyncStore[R][M] extends (...a: infer A) => unknown ? A : never): BatchCall {
  return { path: `${repo}.${method}`, args };
}
export type { BatchCall };

/** The worker's notices (a failed checkpoint, the pre-migration backup's problems) go to `onCheckpointError`. */
export interface StoreClientOptions extends Omit<OpenStoreOptions, 'clock' | 'random' | 'onBackup' | 'onBackupNotice'> {
  clock: Clock;
  /** Calls slower than this (ms, measured in the worker) are reported to `onSlow` (default: 100). */
  slowQueryMs?: number;
  onSlow?: (path: string, ms: number) => void;
  /** Override the worker entry (tests). */
  workerUrl?: URL;
}

/**
 * The store worker's V8 young generation, in MB (issue 19). Its work is queries whose results are
 * copied out at once; with V8's default (semi-spaces growing to 16 MB) a start on the 100k-ticket
 * store left 14 MB of mostly empty young space resident in it. Capped, the process's idle RSS is
 * 8-11 MB lower at the same start CPU (docs/architecture.md).
 */
export const STORE_WORKER_LIMITS = { maxYoungGenerationSizeMb: 8 };

export class StoreClient implements AsyncStore {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: unknown): void; path: string }>();
  private closed = false;
  private closing: Promise<void> | null = null;
  private exitError: Error | null = null;

  readonly customers: AsyncStore['customers'];
  readonly tickets: AsyncStore['tickets'];
  readonly notifications: AsyncStore['notifications'];
  readonly alertPanel: AsyncStore['alertPanel'];
  readonly oncall: AsyncStore['oncall'];
  readonly availability: AsyncStore['availability'];
  readonly outbox: AsyncStore['outbox'];
  readonly settings: AsyncStore['settings'];
  readonly sync: AsyncStore['sync'];
  readonly attachments: AsyncStore['attachments'];
  readonly caseNumbers: AsyncStore['caseNumbers'];
  readonly visits: AsyncStore['visits'];
  readonly agreements: AsyncStore['agreements'];

  private constructor(
    private readonly worker: Worker,
    private readonly opts: StoreClientOptions,
    readonly openedInfo: StoreInfo,
  ) {
    this.customers = this.repo('customers');
    this.tickets = this.repo('tickets');
    this.notifications = this.repo('notifications');
    this.alertPanel = this.repo('alertPanel');
    this.oncall = this.repo('oncall');
    this.availability = this.repo('availability');
    this.outbox = this.repo('outbox');
    this.settings = this.repo('settings');
    this.sync = this.repo('sync');
    this.attachments = this.repo('attachments');
    this.caseNumbers = this.repo('caseNumbers');
    this.visits = this.repo('visits');
    this.agreements = this.repo('agreements');
    worker.on('message', (m: Reply | Notice) => {
      if ('type' in m) (opts.onCheckpointError ?? ((msg: string) => console.warn(`vakt store: ${msg}`)))(m.message);
      else this.onReply(m);
    });
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new StoreClosedError(`the store worker exited (code ${code})`)));
  }

  /** Starts the worker and opens the store in it; rejects with the store's error class (e.g. DatabaseCorruptError). */
  static open(opts: StoreClientOptions): Promise<StoreClient> {
    const { clock, onSlow: _onSlow, slowQueryMs: _slow, workerUrl, onCheckpointError: _log, onUpgrade, ...options } = opts;
    const workerData = { options, openedAt: clock.now() };
    const worker = startWorker('worker', { workerData, resourceLimits: STORE_WORKER_LIMITS }, workerUrl);
    return new Promise((resolve, reject) => {
      const onError = (e: Error) => reject(e);
      worker.once('error', onError);
      const onHello = (m: Hello | Notice) => {
        if (m.type === 'log') return; // a notice (the constructor's listener logs it once the store is open)
        // told before a backup and migrations (db/store.ts onUpgrade); the store is not open yet
        if (m.type === 'upgrading') return onUpgrade?.({ from: m.from, to: m.to });
        worker.off('error', onError);
        worker.off('message', onHello);
        if (m.type === 'ready') resolve(new StoreClient(worker, opts, m.info as StoreInfo));
        else {
          void worker.terminate();
          reject(deserializeError(m.error));
        }
      };
      worker.on('message', onHello);
    });
  }

  private repo<K extends keyof AsyncStore>(name: K): AsyncStore[K] {
    return new Proxy({} as AsyncStore[K], {
      get: (_t, prop) => (typeof prop === 'string' && prop !== 'then' ? (...args: unknown[]) => this.call(`${name}.${prop}`, args) : undefined),
    });
  }

  /** Calls `path` ("tickets.register", "checkpoint", ...) in the worker. */
  call(path: string, args: unknown[] = []): Promise<unknown> {
    if (this.closed || this.exitError) return Promise.reject(this.exitError ?? new StoreClosedError('the store is closed'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, path });
      this.worker.postMessage({ id, path, args, now: this.opts.clock.now() } satisfies Request);
    });
  }

  /**
   * Runs repository calls (made with `op`) in ONE transaction in the worker, in order; answers
   * their results, or rejects (nothing stored) with the first call's error.
   */
  batch(calls: BatchCall[]): Promise<unknown[]> {
    return this.call('batch', [calls]) as Promise<unknown[]>;
  }

  info(): Promise<StoreInfo> {
    return this.call('info') as Promise<StoreInfo>;
  }
  checkpoint(mode?: 'PASSIVE' | 'FULL' | 'RESTART' | 'TRUNCATE'): Promise<CheckpointResult> {
    return this.call('checkpoint', mode ? [mode] : []) as Promise<CheckpointResult>;
  }
  quickCheck(): Promise<string[]> {
    return this.call('quickCheck') as Promise<string[]>;
  }
  backup(dest?: string): Promise<string> {
    return this.call('backup', dest ? [dest] : []) as Promise<string>;
  }
  /**
   * The start's work is done: gives back what it left (SQLite's caches, the worker's garbage: db/settle-memory.ts)
   * and starts the copy of an owed pre-migration backup (db/owed-backup.ts; else 30 s after the open).
   */
  settle(): Promise<void> {
    return this.call('settle') as Promise<void>;
  }

  /** Closes the store (checkpoint, trim reservation) and stops the worker. */
  /** Closes the store and ends the worker; later and concurrent calls share the one close. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        await this.call('close');
      } finally {
        this.closed = true;
        await this.worker.terminate();
      }
    })();
    return this.closing;
  }

  private onReply(m: Reply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    const slow = this.opts.slowQueryMs ?? 100;
    if (m.ms >= slow) (this.opts.onSlow ?? ((path, ms) => console.warn(`vakt store: slow call ${path} took ${ms.toFixed(1)} ms`)))(p.path, m.ms);
    if (m.ok) p.resolve(m.result);
    else p.reject(deserializeError(m.error));
  }

  private fail(e: Error): void {
    if (this.closed) return;
    this.exitError = e;
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }
}
