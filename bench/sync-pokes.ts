/**
 * Part 3d of `npm run bench:sync`: change-to-other-screen latency with DEVICES devices connected,
 * each running the app's SyncWorker with the server's event stream (GET /v1/events): a device
 * makes a change and syncs; the time until each other device has it in its store (what its
 * screen shows) is one sample. Devices are spread over the given server processes (one, or two on
 * one PostgreSQL database: the pokes cross through LISTEN/NOTIFY). Polling is out of the way
 * (10 minutes), so every sample is a poke.
 */
import { performance } from 'node:perf_hooks';
import { HttpSyncTransport } from '../main/sync/http-transport.js';
import { MemorySyncStore } from '../main/sync/memory-store.js';
import { SyncWorker } from '../main/sync/worker.js';
import type { PulledPage } from '../main/sync/types.js';
import type { Clock } from '../core/clock.js';
import { randomSource } from '../test/server/helpers.js';

type Enrol = (url: string, admin: string, name: string) => Promise<{ deviceId: string; token: string; casePrefix: string }>;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

export async function pokeLatency(o: { label: string; urls: string[]; admin: string; devices: number; changes: number; head: number; clock: Clock; enrol: Enrol }): Promise<void> {
  const probe = { id: '', t0: 0, seen: new Set<number>() };
  const samples: number[] = [];
  const devices: { store: MemorySyncStore; worker: SyncWorker }[] = [];
  for (let i = 0; i < o.devices; i++) {
    const url = o.urls[i % o.urls.length] as string;
    const e = await o.enrol(url, o.admin, `screen ${i}`);
    const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: o.clock, random: randomSource(Math.random) });
    await store.applyPulled({ changes: [], cursor: String(o.head), hlc: null });
    const apply = store.applyPulled.bind(store);
    store.applyPulled = async (page: PulledPage) => {
      await apply(page);
      if (probe.id && !probe.seen.has(i) && page.changes.some((c) => c.kind === 'ticket' && c.ticket.id === probe.id)) {
        probe.seen.add(i);
        samples.push(performance.now() - probe.t0);
      }
    };
    const transport = new HttpSyncTransport({ baseUrl: url, token: () => e.token, timeoutMs: 120_000 });
    devices.push({ store, worker: new SyncWorker({ store, transport, clock: o.clock, pollIntervalMs: 10 * 60_000 }) });
  }
  for (const { worker } of devices) worker.start();
  const settle = async (ok: () => boolean, ms: number) => {
    const t = performance.now();
    while (!ok() && performance.now() - t < ms) await new Promise((r) => setTimeout(r, 10));
    return ok();
  };
  await settle(() => devices.every(({ worker }) => worker.status().state === 'up_to_date'), 120_000);
  let missed = 0;
  for (let k = 0; k < o.changes; k++) {
    const w = k % devices.length;
    const writer = devices[w]!;
    probe.seen = new Set([w]);
    probe.t0 = performance.now();
    probe.id = writer.store.createTicket({ description: `probe ${k}` }).ticketId;
    void writer.worker.syncNow();
    if (!(await settle(() => probe.seen.size === devices.length, 30_000))) missed += devices.length - probe.seen.size;
    await new Promise((r) => setTimeout(r, 500));
  }
  probe.id = '';
  for (const { worker } of devices) worker.stop();
  await Promise.all(devices.map(({ worker }) => worker.idle()));
  console.log(
    `${o.label}: ${o.changes} changes x ${o.devices - 1} other screens, ${samples.length} samples: change-to-other-screen p50 ${pct(samples, 50).toFixed(0)} ms, p99 ${pct(samples, 99).toFixed(0)} ms, max ${Math.max(...samples).toFixed(0)} ms; not seen within 30 s: ${missed} (target < 2 s)`,
  );
}
