import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { PullResponse, PushResponse } from '../../core/sync/mutations.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { SyncHttpError, SyncNetworkError } from '../../main/sync/types.js';
import type { PendingMutation, SyncStatus, SyncTransport } from '../../main/sync/types.js';
import { SyncWorker } from '../../main/sync/worker.js';
import type { TimerScheduler } from '../../main/sync/worker.js';
import { randomSource, prng } from './helpers.js';

class FakeTimers implements TimerScheduler {
  private next = 1;
  readonly timers = new Map<number, { at: number; fn: () => void }>();
  constructor(private readonly clock: ManualClock) {}
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.next++;
    this.timers.set(id, { at: this.clock.now() + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.timers.delete(h as number);
  }
  pendingDelays(): number[] {
    return [...this.timers.values()].map((t) => t.at - this.clock.now());
  }
  /** Moves time forward, firing due timers in order, letting promises settle between them. */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      const due = [...this.timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.clock.set(Math.max(this.clock.now(), due[1].at));
      due[1].fn();
      for (let i = 0; i < 20; i++) await Promise.resolve();
      await new Promise((r) => setImmediate(r));
    }
    this.clock.set(end);
  }
}

class ScriptedTransport implements SyncTransport {
  failures: Error[] = [];
  pushes: PendingMutation[][] = [];
  async push(m: PendingMutation[]): Promise<PushResponse> {
    const f = this.failures.shift();
    if (f) throw f;
    this.pushes.push(m);
    return { results: m.map((x) => ({ id: x.id, seq: x.seq, status: 'applied' as const })), lastSeq: m[m.length - 1]?.seq ?? 0 };
  }
  async pull(cursor: string): Promise<PullResponse> {
    const f = this.failures.shift();
    if (f) throw f;
    return { changes: [], cursor: String(Number(cursor) + 1), more: false, hlc: null, lastSeq: 0 };
  }
}

function setup() {
  const clock = new ManualClock(Date.UTC(2026, 3, 1));
  const timers = new FakeTimers(clock);
  const store = new MemorySyncStore({ deviceId: 'dev-1', casePrefix: 'K7', clock, random: randomSource(prng(1)) });
  const transport = new ScriptedTransport();
  const statuses: SyncStatus[] = [];
  const worker = new SyncWorker({ store, transport, clock, timers, random: () => 0.5, pollIntervalMs: 30_000, minBackoffMs: 1_000, maxBackoffMs: 60_000 });
  worker.onStatus((s) => statuses.push(s));
  return { clock, timers, store, transport, statuses, worker };
}

describe('sync worker', () => {
  it('syncs, reports up_to_date with pending 0 and the last sync time, then polls', async () => {
    const { timers, store, transport, statuses, worker, clock } = setup();
    store.createTicket();
    worker.start();
    await timers.advance(0);
    expect(transport.pushes).toHaveLength(1);
    expect(statuses.map((s) => s.state)).toEqual(['syncing', 'up_to_date']);
    expect(statuses.at(-1)).toMatchObject({ pending: 0, lastSyncAt: clock.now(), conflicts: 0 });
    expect(timers.pendingDelays()).toEqual([30_000]);
    await timers.advance(30_000);
    expect(statuses.filter((s) => s.state === 'up_to_date')).toHaveLength(2);
  });

  it('backs off exponentially with jitter while offline, and reports offline', async () => {
    const { timers, transport, statuses, worker, store } = setup();
    store.createTicket();
    transport.failures = Array.from({ length: 4 }, () => new SyncNetworkError('down'));
    worker.start();
    const delays: number[] = [];
    await timers.advance(0);
    for (let i = 0; i < 4; i++) {
      delays.push(timers.pendingDelays()[0]!);
      await timers.advance(delays[i]!);
    }
    // equal jitter with random()=0.5: 3/4 of 1s, 2s, 4s, 8s
    expect(delays).toEqual([750, 1500, 3000, 6000]);
    expect(statuses.filter((s) => s.state === 'offline').length).toBe(4);
    expect(statuses.find((s) => s.state === 'offline')).toMatchObject({ pending: 1, message: 'down' });
    expect(statuses.at(-1)?.state).toBe('up_to_date');
    expect(statuses.at(-1)?.pending).toBe(0);
  });

  it('wake() after sleep syncs within the wake jitter (0-3 s) instead of waiting out the backoff', async () => {
    const { timers, transport, statuses, worker } = setup();
    transport.failures = Array.from({ length: 6 }, () => new SyncNetworkError('down'));
    worker.start();
    for (let i = 0; i < 6; i++) await timers.advance(timers.pendingDelays()[0]!);
    expect(timers.pendingDelays()[0]).toBeGreaterThan(20_000);
    worker.wake();
    // random() = 0.5: half of the 3 s jitter
    expect(timers.pendingDelays()).toEqual([1_500]);
    await timers.advance(1_499);
    expect(statuses.at(-1)?.state).toBe('offline');
    await timers.advance(1);
    expect(statuses.at(-1)?.state).toBe('up_to_date');
  });

  it('426 means update required: state error, slow retry', async () => {
    const { timers, transport, statuses, worker } = setup();
    transport.failures = [new SyncHttpError(426, 'update_required', 'Update required: ...')];
    worker.start();
    await timers.advance(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'error', updateRequired: true });
    expect(timers.pendingDelays()).toEqual([60_000]);
  });

  it('setOnline(false) stops trying; setOnline(true) syncs', async () => {
    const { timers, statuses, worker } = setup();
    worker.start();
    await timers.advance(0);
    worker.setOnline(false);
    await timers.advance(0);
    expect(statuses.at(-1)?.state).toBe('offline');
    expect(timers.pendingDelays()).toEqual([]);
    worker.setOnline(true);
    await timers.advance(timers.pendingDelays()[0]!);
    expect(statuses.at(-1)?.state).toBe('up_to_date');
  });

  it('rejected mutations are kept with their reason and counted', async () => {
    const { timers, transport, store, worker, statuses } = setup();
    store.createTicket();
    transport.push = async (m) => ({ results: m.map((x) => ({ id: x.id, seq: x.seq, status: 'rejected' as const, reason: 'case_number_taken' })), lastSeq: 1 });
    worker.start();
    await timers.advance(0);
    expect(store.outbox[0]).toMatchObject({ status: 'rejected', reason: 'case_number_taken' });
    expect(statuses.at(-1)).toMatchObject({ state: 'up_to_date', rejected: 1, pending: 0 });
  });
});
