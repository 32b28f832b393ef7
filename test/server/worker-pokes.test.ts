/**
 * The sync worker and the server's pokes (issue 17 item 5), with an injected clock and timers:
 * a poke pulls at once, a server answering again after an outage is seen within seconds, the
 * backoff is capped at 30 s, and the status never says "up to date" while changes are pending.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import type { PullResponse, PushResponse } from '../../core/sync/mutations.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { SyncNetworkError } from '../../main/sync/types.js';
import type { PendingMutation, SyncStatus, SyncTransport } from '../../main/sync/types.js';
import { SyncWorker } from '../../main/sync/worker.js';
import type { SyncWorkerOptions } from '../../main/sync/worker.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { prng, randomSource } from './helpers.js';

const settle = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
};

/** A server that is up or down; its event stream opens while up and pokes on demand. */
class FakeServer implements SyncTransport {
  up = true;
  pulls = 0;
  pushes = 0;
  /** Answer pushes with no results (the server waits for an earlier push in flight). */
  stallPushes = false;
  private streams = new Set<{ onPoke: () => void; end: (e?: Error) => void }>();
  async push(m: PendingMutation[]): Promise<PushResponse> {
    if (!this.up) throw new SyncNetworkError('connection refused');
    this.pushes++;
    if (this.stallPushes) return { results: [], lastSeq: 0 };
    return { results: m.map((x) => ({ id: x.id, seq: x.seq, status: 'applied' as const })), lastSeq: m.at(-1)?.seq ?? 0 };
  }
  async pull(cursor: string): Promise<PullResponse> {
    if (!this.up) throw new SyncNetworkError('connection refused');
    this.pulls++;
    return { changes: [], cursor: String(Number(cursor) + 1), more: false, hlc: null, lastSeq: 0 };
  }
  events(onPoke: () => void, signal: AbortSignal): Promise<void> {
    if (!this.up) return Promise.reject(new SyncNetworkError('connection refused'));
    return new Promise<void>((resolve, reject) => {
      const s = { onPoke, end: (e?: Error) => (e ? reject(e) : resolve()) };
      this.streams.add(s);
      signal.addEventListener('abort', () => {
        this.streams.delete(s);
        resolve();
      });
      onPoke(); // opening says "pull now"
    });
  }
  open(): number {
    return this.streams.size;
  }
  poke(): void {
    for (const s of this.streams) s.onPoke();
  }
  crash(): void {
    this.up = false;
    for (const s of [...this.streams]) s.end(new SyncNetworkError('connection reset'));
    this.streams.clear();
  }
}

function setup(o: Partial<SyncWorkerOptions> = {}) {
  const clock = new ManualClock(Date.UTC(2026, 3, 1));
  const timers = new FakeTimers(clock);
  const store = new MemorySyncStore({ deviceId: 'dev-1', casePrefix: 'K7', clock, random: randomSource(prng(1)) });
  const server = new FakeServer();
  const statuses: SyncStatus[] = [];
  const worker = new SyncWorker({ store, transport: server, clock, timers, random: () => 0.5, ...o });
  worker.onStatus((s) => statuses.push(s));
  const at = (ms: number) => timers.advanceTo(clock.now() + ms, settle);
  return { clock, timers, store, server, statuses, worker, at };
}

describe('sync worker: pokes, outages, status', () => {
  it('a poke from the server pulls at once, long before the next poll', async () => {
    const { server, worker, at } = setup();
    worker.start();
    await at(0);
    expect(server.open()).toBe(1);
    const before = server.pulls;
    await at(1_000);
    expect(server.pulls).toBe(before);
    server.poke();
    await at(0);
    expect(server.pulls).toBe(before + 1);
    worker.stop();
    await settle();
    expect(server.open()).toBe(0);
  });

  it('the backoff is capped at 30 s by default', async () => {
    const { server, worker, at, timers, clock } = setup({ random: () => 0.999 });
    server.up = false;
    worker.start();
    let longest = 0;
    for (let i = 0; i < 12; i++) {
      await at(0);
      const next = worker.status().nextAttemptAt;
      if (next !== null) longest = Math.max(longest, next - clock.now());
      await timers.advanceTo(next ?? clock.now() + 1_000, settle);
    }
    expect(longest).toBeGreaterThan(20_000);
    expect(longest).toBeLessThanOrEqual(30_000);
  });

  it('after a 4-minute outage the device syncs within 5 s of the server answering again, and says offline only while it is down', async () => {
    const { server, worker, at, store, statuses, clock } = setup({ maxBackoffMs: 5 * 60_000 });
    worker.start();
    await at(0);
    server.crash();
    store.createTicket({ title: 'written during the outage' });
    worker.kick();
    await at(4 * 60_000);
    expect(statuses.at(-1)?.state).toBe('offline');
    expect(store.outbox[0]?.status).toBe('pending');
    server.up = true;
    const upAt = clock.now();
    let seenAt: number | null = null;
    for (let t = 0; t <= 30_000 && seenAt === null; t += 100) {
      await at(100);
      if (store.outbox[0]?.status === 'applied') seenAt = clock.now();
    }
    expect(seenAt).not.toBeNull();
    expect(seenAt! - upAt).toBeLessThanOrEqual(5_000);
    expect(statuses.at(-1)?.state).toBe('up_to_date');
  });

  it('never says up to date while changes are pending: a kick says syncing at once, a push the server could not take yet stays syncing', async () => {
    const { server, worker, at, store, statuses } = setup();
    worker.start();
    await at(0);
    expect(statuses.at(-1)).toMatchObject({ state: 'up_to_date', pending: 0 });
    store.createTicket();
    worker.kick();
    expect(worker.status()).toMatchObject({ state: 'syncing', pending: 1 });
    server.stallPushes = true;
    await at(300);
    expect(server.pushes).toBe(1);
    expect(statuses.filter((s) => s.pending > 0).map((s) => s.state)).not.toContain('up_to_date');
    expect(worker.status()).toMatchObject({ state: 'syncing', pending: 1 });
    server.stallPushes = false;
    await at(1_000);
    expect(worker.status()).toMatchObject({ state: 'up_to_date', pending: 0 });
  });
});
