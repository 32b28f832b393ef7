/**
 * Part 1b of `npm run bench:sync`: the initial sync into the app's own SQLite store (target < 30 s for
 * 100k tickets / 1M events, issue 19), on two paths (BENCH_1B=store,app; default both):
 *  - store: openStore in this process, transport.pull then store.sync.applyPulled per page of 10,000
 *    (the path of the figures recorded before session 6); the first sync is a bulk load (db/sync/bulk.ts);
 *  - app: the app's own path: the store in its worker thread (StoreClient), the app's SyncWorker (its
 *    page size, the next page asked for while one applies, each page handed to the store's worker as the
 *    reply's text) over DbSyncStore, and at the end of the bulk
 *    load the schedule and SLA summary of every ticket computed once, in batches (main/sync/replan.ts;
 *    the alert scheduler is not part of the bench: its plans are handed to nothing).
 * Each prints wall time, the time pulling (store path) or until the load ended (app path), the CPU
 * seconds of this process (server, clients, store; on the store path also the apply's share) and the
 * load average, since the machine is shared. The store path also prints what its last page (the bulk
 * load's index build) added to the process's peak RSS, and its time.
 */
import fs from 'node:fs';
import os from 'node:os';
import Database from 'better-sqlite3';
import { performance } from 'node:perf_hooks';
import type { Clock } from '../core/clock.js';
import { StoreClient } from '../db/client.js';
import { openStore } from '../db/store.js';
import { DbSyncStore } from '../main/sync/db-store.js';
import { HttpSyncTransport } from '../main/sync/http-transport.js';
import { PulledReplan } from '../main/sync/replan.js';
import { SyncWorker } from '../main/sync/worker.js';
import { CompiledContracts } from '../main/tickets/compiled.js';
import { TicketSla } from '../main/tickets/sla.js';
import { tmpDir } from '../test/server/helpers.js';

export interface InitialSyncBench {
  url: string;
  clock: Clock;
  /** A new device's token. */
  enrol(name: string): Promise<{ token: string }>;
  /** The in-memory device's time (part 1), for the ratio. */
  inMemoryMs: number;
}

const secs = (ms: number) => (ms / 1000).toFixed(1);
const cpu = (c: NodeJS.CpuUsage) => `CPU ${((c.user + c.system) / 1e6).toFixed(1)} s`;
const load = () => `load ${os.loadavg()[0]!.toFixed(1)}`;

export async function initialSync(b: InitialSyncBench): Promise<void> {
  const paths = new Set((process.env.BENCH_1B ?? 'store,app').split(',').map((x) => x.trim()));
  if (paths.has('store')) await storePath(b);
  if (paths.has('app')) await appPath(b);
}

async function storePath(b: InitialSyncBench): Promise<void> {
  const local = openStore({ dataDir: tmpDir('vakt-bench-device-'), clock: b.clock, machineId: 'bench-device' });
  const { token } = await b.enrol('fresh sqlite device');
  const transport = new HttpSyncTransport({ baseUrl: b.url, token: () => token, timeoutMs: 120_000 });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let pullMs = 0;
  let last = { mb: NaN, ms: NaN, cpuMs: NaN };
  let applyCpu = 0; // microseconds: the apply is synchronous, so this is the store's share of the process's CPU
  for (let cursor = local.sync.cursor(); ;) {
    const p0 = performance.now();
    const page = await transport.pull(cursor, 10_000);
    pullMs += performance.now() - p0;
    const a0 = process.cpuUsage();
    const w0 = performance.now();
    // The last page builds the bulk load's indexes: what it adds to the peak RSS (Linux; the peak reset first).
    const rss0 = page.more ? null : resetPeak();
    local.sync.applyPulled({ changes: page.changes, cursor: page.cursor, hlc: page.hlc, more: page.more });
    const a = process.cpuUsage(a0);
    if (rss0 !== null) last = { mb: (procKb('VmHWM') - rss0) / 1024, ms: performance.now() - w0, cpuMs: (a.user + a.system) / 1000 };
    applyCpu += a.user + a.system;
    cursor = page.cursor;
    if (!page.more) break;
  }
  const ms = performance.now() - t0;
  const used = process.cpuUsage(c0);
  local.close();
  const n = counted(local.file);
  console.log(
    `1b. initial sync into a fresh SQLite store, in this process (store path, pages of 10,000): ${n.t.toLocaleString()} tickets + ${n.e.toLocaleString()} events in ${secs(ms)} s ` +
      `(pull ${secs(pullMs)} s, apply ${secs(ms - pullMs)} s; ${cpu(used)}, of it apply ${(applyCpu / 1e6).toFixed(1)} s; ${load()}) (target < 30 s${b.inMemoryMs ? `; ${(ms / b.inMemoryMs).toFixed(1)}x the in-memory device` : ''})`,
  );
  if (!Number.isNaN(last.mb)) console.log(`1b. the last page (the bulk load's index build): +${last.mb.toFixed(0)} MB peak RSS, ${secs(last.ms)} s (CPU ${secs(last.cpuMs)} s)`);
}

/** A /proc/self/status figure in kB (NaN off Linux). */
function procKb(key: string): number {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(fs.readFileSync('/proc/self/status', 'utf8'))?.[1]);
  } catch {
    return NaN;
  }
}

/** Resets the process's peak RSS to its current RSS (Linux) and returns that, in kB (NaN elsewhere). */
function resetPeak(): number {
  try {
    fs.writeFileSync('/proc/self/clear_refs', '5');
  } catch {
    return NaN;
  }
  return procKb('VmRSS');
}

async function appPath(b: InitialSyncBench): Promise<void> {
  const store = await StoreClient.open({ dataDir: tmpDir('vakt-bench-app-device-'), clock: b.clock, machineId: 'bench-app-device' });
  const { token } = await b.enrol('fresh app device');
  const sla = new TicketSla({ store, clock: b.clock, compiled: new CompiledContracts(), timezone: () => 'Europe/Oslo' });
  const replan = new PulledReplan({ store, sla, clock: b.clock, changed: async () => {}, recheck: async () => {} });
  let loadedAt = 0;
  let pages = 0;
  const worker = new SyncWorker({
    store: new DbSyncStore(
      { ...bind(store.sync), applyPulled: (p) => (pages++, store.sync.applyPulled(p)), applyPulledText: (t, e) => (pages++, store.sync.applyPulledText(t, e)) },
      (ids) => replan.tickets(ids),
      undefined,
      async () => {
        loadedAt = performance.now();
        await replan.left();
      },
    ),
    transport: new HttpSyncTransport({ baseUrl: b.url, token: () => token, timeoutMs: 120_000 }),
    clock: b.clock,
  });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = await worker.syncNow();
  const ms = performance.now() - t0;
  const used = process.cpuUsage(c0);
  if (s.state !== 'up_to_date') console.log(`1b. app path: sync ended ${s.state}: ${s.message ?? ''}`);
  const { file } = await store.info();
  await store.close();
  const n = counted(file);
  console.log(
    `1b. initial sync through the app's path (store worker thread, SyncWorker, ${pages} pages, schedules at the end): ${n.t.toLocaleString()} tickets + ${n.e.toLocaleString()} events in ${secs(ms)} s ` +
      `(bulk load ${secs((loadedAt || t0 + ms) - t0)} s, schedules ${secs(loadedAt ? t0 + ms - loadedAt : 0)} s; ${cpu(used)}; ${load()}) (target < 30 s)`,
  );
}

/** Tickets and events in the store file. */
function counted(file: string): { t: number; e: number } {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare('SELECT (SELECT count(*) FROM tickets) AS t, (SELECT count(*) FROM ticket_events) AS e').get() as { t: number; e: number };
  } finally {
    db.close();
  }
}

/** The sync repository's methods as own properties (the client's are on its prototype). */
function bind<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of ['pendingMutations', 'markResults', 'applyPulled', 'applyPulledText', 'cursor', 'counts'])
    out[k] = (...a: unknown[]) => (o as Record<string, (...x: unknown[]) => unknown>)[k]!(...a);
  return out as T;
}
