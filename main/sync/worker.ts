/**
 * The client sync worker: pushes the outbox, pulls changes, and keeps at it.
 *
 * - syncs on start, on `kick()` (a local change), on a poke from the server
 *   (`transport.events`: the stream opening, and every change of the tenant;
 *   a poke also ends a backoff, the server answers again), on `wake()` (resume after
 *   sleep, network back: within a random 0..`wakeJitterMs`, so a whole office
 *   whose network comes back does not hit the server in the same instant) and
 *   every `pollIntervalMs` while up to date;
 * - when a sync fails it backs off exponentially with jitter (injected
 *   `random`), up to `maxBackoffMs` (30 s); `offline` for network failures, `error`
 *   for server errors; a 426 means "update required" and is retried only slowly;
 * - keeps the event stream open while started and online: reconnects after
 *   1 s, 2 s, ... up to `eventsRetryMs` (5 s), so a server that answers again
 *   is seen within seconds;
 * - reports its status through `onStatus` listeners; never `up_to_date` while
 *   changes are pending (`shownState`).
 * Time, timers and randomness are injected so tests are deterministic.
 */
import type { Clock, Timers } from '../../core/clock.js';
import { systemTimers } from '../../db/system-time.js';
import { SyncHttpError, SyncNetworkError } from './types.js';
import type { PullResponse } from '../../core/sync/mutations.js';
import type { LocalSyncStore, PulledText, SyncState, SyncStatus, SyncTransport } from './types.js';

export type TimerScheduler = Timers;

export interface SyncWorkerOptions {
  store: LocalSyncStore;
  transport: SyncTransport;
  clock: Clock;
  timers?: TimerScheduler;
  /** Uniform in [0, 1). */
  random?: () => number;
  pollIntervalMs?: number;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Debounce after `kick()`. */
  kickDelayMs?: number;
  /** `wake()` syncs after a random delay in [0, wakeJitterMs) (the herd of devices whose network came back together). */
  wakeJitterMs?: number;
  pushBatch?: number;
  pullLimit?: number;
  /** Longest wait before the event stream is opened again (default 5 s; 401/426: `maxBackoffMs`). */
  eventsRetryMs?: number;
}

/** The state to show: not "up to date" while changes wait to be pushed. */
export function shownState(state: SyncState, pending: number): SyncState {
  return state === 'up_to_date' && pending > 0 ? 'syncing' : state;
}

export class SyncWorker {
  private readonly o: Required<Omit<SyncWorkerOptions, 'store' | 'transport' | 'clock'>> & Pick<SyncWorkerOptions, 'store' | 'transport' | 'clock'>;
  private listeners = new Set<(s: SyncStatus) => void>();
  private timer: unknown = null;
  private running: Promise<SyncStatus> | null = null;
  /** The cycle promised to `syncNow()` callers that came while one was running. */
  private next: Promise<SyncStatus> | null = null;
  private again = false;
  private started = false;
  /** stop() was called: no cycle starts after it. */
  private stopped = false;
  private online = true;
  private failures = 0;
  private listening: AbortController | null = null;
  private st: SyncStatus = { state: 'offline', pending: 0, rejected: 0, conflicts: 0, lastSyncAt: null, message: null, updateRequired: false, nextAttemptAt: null };

  constructor(opts: SyncWorkerOptions) {
    this.o = {
      timers: systemTimers,
      random: Math.random,
      pollIntervalMs: 30_000,
      minBackoffMs: 1_000,
      maxBackoffMs: 30_000,
      kickDelayMs: 300,
      wakeJitterMs: 3_000,
      pushBatch: 200,
      pullLimit: 2_000,
      eventsRetryMs: 5_000,
      ...opts,
    };
  }

  status(): SyncStatus {
    return { ...this.st };
  }

  onStatus(fn: (s: SyncStatus) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
    this.listen();
  }

  stop(): void {
    this.started = false;
    this.stopped = true;
    this.cancel();
    this.unlisten();
  }

  /** The server says there is something new (or answers again): sync now, whatever the backoff said. */
  poke(): void {
    if (!this.started || !this.online) return;
    this.failures = 0;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /** Keeps `transport.events` open while started and online (one loop at a time). */
  private listen(): void {
    const events = this.o.transport.events?.bind(this.o.transport);
    if (!events || this.listening || !this.started || !this.online) return;
    const ctl = new AbortController();
    this.listening = ctl;
    void (async () => {
      let fails = 0;
      while (!ctl.signal.aborted) {
        let delay: number;
        try {
          await events(() => {
            fails = 0;
            this.poke();
          }, ctl.signal);
          delay = this.o.minBackoffMs;
        } catch (e) {
          fails++;
          const slow = e instanceof SyncHttpError && (e.status === 401 || e.status === 426);
          const exp = slow ? this.o.maxBackoffMs : Math.min(this.o.eventsRetryMs, this.o.minBackoffMs * 2 ** (fails - 1));
          delay = Math.round(exp / 2 + this.o.random() * (exp / 2));
        }
        if (ctl.signal.aborted) break;
        await new Promise<void>((resolve) => {
          const stop = () => {
            this.o.timers.clearTimeout(t);
            resolve();
          };
          const t = this.o.timers.setTimeout(() => {
            ctl.signal.removeEventListener('abort', stop);
            resolve();
          }, delay);
          ctl.signal.addEventListener('abort', stop, { once: true });
        });
      }
    })();
  }

  private unlisten(): void {
    this.listening?.abort();
    this.listening = null;
  }

  /** Resolves when no cycle is running (e.g. before closing the store after stop()). */
  async idle(): Promise<void> {
    while (this.running || this.next) await (this.next ?? this.running)!.catch(() => undefined);
  }

  /** Resume after sleep or when the network comes back: sync soon (within the wake jitter), whatever the backoff said. */
  wake(): void {
    if (!this.started) return;
    this.failures = 0;
    this.schedule(Math.floor(this.o.random() * this.o.wakeJitterMs));
  }

  /** A local change was written: sync soon. */
  kick(): void {
    if (!this.started || !this.online) return;
    // a change now waits: the status must not say "up to date" meanwhile
    if (this.st.state === 'up_to_date') this.emit({ state: 'syncing', pending: this.st.pending + 1 });
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(this.o.kickDelayMs);
  }

  /** The OS says the network went away / came back. */
  setOnline(online: boolean): void {
    this.online = online;
    if (!online) {
      this.cancel();
      this.unlisten();
      this.emit({ state: 'offline', message: 'no network', nextAttemptAt: null });
      void this.refreshCounts().then(
        () => this.emit({}),
        () => undefined,
      );
    } else {
      this.wake();
      this.listen();
    }
  }

  private cancel(): void {
    if (this.timer !== null) this.o.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(ms: number): void {
    this.cancel();
    this.st.nextAttemptAt = this.o.clock.now() + ms;
    this.timer = this.o.timers.setTimeout(() => {
      this.timer = null;
      void this.syncNow();
    }, ms);
  }

  private emit(patch: Partial<SyncStatus>): void {
    this.st = { ...this.st, ...patch };
    const s = this.status();
    for (const l of this.listeners) l(s);
  }

  private async refreshCounts(): Promise<void> {
    const c = await this.o.store.counts();
    this.st = { ...this.st, ...c };
  }

  /** Backoff with "equal jitter": half the exponential delay fixed, half random. */
  backoffMs(failures: number): number {
    const exp = Math.min(this.o.maxBackoffMs, this.o.minBackoffMs * 2 ** Math.max(0, failures - 1));
    return Math.round(exp / 2 + this.o.random() * (exp / 2));
  }

  /**
   * Runs one sync now. Resolves with the status after it. While a cycle runs, the caller gets the
   * cycle after it: the running one may have pushed before the caller's change was written (callers
   * asking together share that next cycle).
   */
  syncNow(): Promise<SyncStatus> {
    if (this.running) {
      this.next ??= this.running.then(
        () => this.afterRunning(),
        () => this.afterRunning(),
      );
      return this.next;
    }
    this.running = this.cycle().finally(() => {
      this.running = null;
      if (this.again && this.started && this.online) {
        this.again = false;
        this.schedule(0);
      }
    });
    return this.running;
  }

  private afterRunning(): Promise<SyncStatus> {
    this.next = null;
    return this.stopped ? Promise.resolve(this.status()) : this.syncNow();
  }

  private async cycle(): Promise<SyncStatus> {
    if (!this.online) return this.status();
    this.cancel();
    await this.refreshCounts();
    this.emit({ state: 'syncing', nextAttemptAt: null });
    try {
      await this.pushAll();
      await this.pullAll();
      this.failures = 0;
      await this.refreshCounts();
      // Still pending (the server waits for an earlier push of ours in flight): syncing, again soon.
      const pending = this.st.pending > 0;
      this.emit({ state: shownState('up_to_date', this.st.pending), lastSyncAt: this.o.clock.now(), message: null, updateRequired: false });
      if (this.started) this.schedule(pending ? this.o.minBackoffMs : this.o.pollIntervalMs);
    } catch (e) {
      this.failures++;
      let state: SyncState = 'error';
      let updateRequired = false;
      let delay = this.backoffMs(this.failures);
      if (e instanceof SyncNetworkError) state = 'offline';
      else if (e instanceof SyncHttpError && e.status === 426) {
        updateRequired = true;
        delay = this.o.maxBackoffMs;
      } else if (e instanceof SyncHttpError && e.status === 401) {
        delay = this.o.maxBackoffMs;
      }
      await this.refreshCounts().catch(() => undefined);
      this.emit({ state, message: (e as Error).message, updateRequired });
      if (this.started) this.schedule(delay);
    }
    return this.status();
  }

  private async pushAll(): Promise<void> {
    for (;;) {
      const batch = await this.o.store.pendingMutations(this.o.pushBatch);
      if (batch.length === 0) return;
      const res = await this.o.transport.push(batch);
      await this.o.store.markResults(res.results);
      // No progress: the server waits for an earlier push still in flight (a sequence gap). Pull; the next poll retries.
      if (res.results.length === 0) return;
    }
  }

  /**
   * Pulls until the server has no more. The next page is asked for (from this page's cursor) while this
   * one is applied, so the network and the server work while the store writes; pages are still applied
   * in order, each with its cursor, and a page that fails to apply drops the one asked for after it.
   */
  private async pullAll(): Promise<void> {
    // As text when both ends can: the store's worker parses the page, not this thread (types.ts PulledText).
    const { transport, store } = this.o;
    const asText = transport.pullText && store.applyPulledText;
    const fetch = (cursor: string): Promise<PullResponse | PulledText> => (asText ? transport.pullText!(cursor, this.o.pullLimit) : transport.pull(cursor, this.o.pullLimit));
    let next: Promise<PullResponse | PulledText> | null = fetch(await store.cursor());
    for (let i = 0; next && i < 100_000; i++) {
      const page: PullResponse | PulledText = await next;
      next = page.more ? fetch(page.cursor) : null;
      try {
        if ('text' in page) await store.applyPulledText!(page);
        else await store.applyPulled({ changes: page.changes, cursor: page.cursor, hlc: page.hlc, more: page.more });
      } catch (e) {
        next?.catch(() => undefined);
        throw e;
      }
    }
  }
}
