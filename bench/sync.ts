/**
 * Sync benchmark (`npm run bench:sync`), loopback only, prints figures (never asserts):
 *  1. initial sync of 100,000 tickets / 1,000,000 events to a fresh device (target < 60 s): into an
 *     in-memory device (server + transport alone), then into the app's SQLite store (1b, target < 30 s,
 *     bench/sync-initial.ts: BENCH_1B=store,app);
 *  2. incremental sync of 100 changes (target < 300 ms);
 *  3. 200 simulated devices syncing at once against one server on PostgreSQL:
 *     p50/p99 request latency (as the clients saw it, and as the server measured it) and errors
 *     (target p99 < 250 ms, no errors); 3b: the same 200 devices in tenants of 10.
 * Uses the local PostgreSQL (started like the tests do) and falls back to
 * PGlite when PostgreSQL is not installed. Sizes: BENCH_TICKETS, BENCH_EVENTS_PER_TICKET, BENCH_DEVICES.
 * BENCH_SERVER_PROF=<dir>: the part-3 server child writes a V8 CPU profile there when it stops.
 * BENCH_PARTS=3,3b: run only those parts (default all: 1,1b,2,3,3b,3c).
 * Part 3c: the 200 devices run the app's own SyncWorker (its poll interval, kick delay, wake
 * jitter and page sizes): the network comes back for all of them within 200 ms, each with offline
 * changes (the herd), then for BENCH_STEADY_S (60) s each makes a change every BENCH_CHANGE_EVERY_S (10) s on
 * average (exponential gaps). Latency is reported for the herd and for the steady state apart.
 * Part 3d (bench/sync-pokes.ts): change-to-other-screen latency with the 200 devices connected to the
 * event stream, on one server process and on two (BENCH_POKE_CHANGES changes, default 20).
 */
import { systemClock } from '../db/system-time.js';
import { performance } from 'node:perf_hooks';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { startServer } from '../server/start.js';
import type { RunningServer } from '../server/start.js';
import { HttpSyncTransport } from '../main/sync/http-transport.js';
import { MemorySyncStore } from '../main/sync/memory-store.js';
import { SyncWorker } from '../main/sync/worker.js';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../core/sync/protocol.js';
import { newTenant, randomSource, syncOnce, tmpDir } from '../test/server/helpers.js';
import { startPostgres } from '../test/server/pg.js';
import { pokeLatency } from './sync-pokes.js';
import { initialSync } from './sync-initial.js';

const TICKETS = Number(process.env.BENCH_TICKETS ?? 100_000);
const EVENTS_PER_TICKET = Number(process.env.BENCH_EVENTS_PER_TICKET ?? 10);
const DEVICES = Number(process.env.BENCH_DEVICES ?? 200);
const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION) };
const clock = systemClock;
const CLIENT_NICE = Number(process.env.BENCH_CLIENT_NICE ?? 0);
const STEADY_S = Number(process.env.BENCH_STEADY_S ?? 60);
const CHANGE_EVERY_S = Number(process.env.BENCH_CHANGE_EVERY_S ?? 10);
const PARTS = new Set((process.env.BENCH_PARTS ?? '1,1b,2,3,3b,3c,3d').split(',').map((x) => x.trim()));
/** The id of seeded ticket i (see seed()). */
const seededId = (i: number) => `b0000000-0000-7000-8000-${i.toString(16).padStart(12, '0')}`;

function pct(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

async function enrol(url: string, admin: string, name: string) {
  const h = { ...V, authorization: `Bearer ${admin}`, 'content-type': 'application/json' };
  const c = (await (await fetch(`${url}/v1/admin/enrolment-codes`, { method: 'POST', headers: h, body: JSON.stringify({ userName: name }) })).json()) as { code: string };
  return (await (await fetch(`${url}/v1/enrol`, { method: 'POST', headers: { ...V, 'content-type': 'application/json' }, body: JSON.stringify({ code: c.code, deviceName: name }) })).json()) as {
    deviceId: string;
    token: string;
    casePrefix: string;
  };
}

function device(url: string, e: { deviceId: string; token: string; casePrefix: string }, latencies?: number[], errors?: string[]) {
  const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({
    baseUrl: url,
    token: () => e.token,
    timeoutMs: 120_000,
    fetch: async (u, init) => {
      const t0 = performance.now();
      try {
        const r = await fetch(u, init as RequestInit);
        const body = await r.text();
        latencies?.push(performance.now() - t0);
        if (r.status >= 400) errors?.push(`${r.status} ${body.slice(0, 100)}`);
        return { status: r.status, headers: r.headers, text: async () => body };
      } catch (err) {
        errors?.push((err as Error).message);
        throw err;
      }
    },
  });
  return { store, transport };
}

async function seed(server: RunningServer, tenantId: string): Promise<void> {
  const db = server.db;
  const t0 = performance.now();
  // 1,000 tickets per version, as if pushed in batches; events carry their ticket's version.
  await db.query(
    `INSERT INTO tickets (tenant_id, id, case_number, customer_id, channel, title, description, status, priority, field_hlc, created_at, created_by, version)
     SELECT $1, 'b0000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), 'SEED-' || i, 'cust-' || (i % 500), 'phone',
            'Ticket ' || i, 'Seeded ticket number ' || i || ' for the sync benchmark', 'open', 'P' || (i % 4),
            '{"status":"0000001775030400000-0000-seed"}'::jsonb, 1775030400000 + i, 'seed', 1 + i / 1000
       FROM generate_series(0, $2 - 1) AS i`,
    [tenantId, TICKETS],
  );
  const chunk = 200_000;
  const total = TICKETS * EVENTS_PER_TICKET;
  for (let off = 0; off < total; off += chunk) {
    await db.query(
      `INSERT INTO ticket_events (tenant_id, id, ticket_id, type, at, data, device_id, hlc, version)
       SELECT $1, 'e0000000-0000-7000-8000-' || lpad(to_hex(j), 12, '0'), 'b0000000-0000-7000-8000-' || lpad(to_hex(j / $4), 12, '0'),
              CASE WHEN j % $4 = 0 THEN 'created' ELSE 'note' END, 1775030400000 + j, '{"text":"seeded note"}'::jsonb, 'seed',
              '1775030400000-0000-seed', 1 + (j / $4) / 1000
         FROM generate_series($2::bigint, $3::bigint) AS j`,
      [tenantId, off, Math.min(total, off + chunk) - 1, EVENTS_PER_TICKET],
    );
  }
  await db.query('UPDATE tenants SET version = $2 WHERE id = $1', [tenantId, 1 + Math.floor((TICKETS - 1) / 1000)]);
  await db.query('ANALYZE');
  console.log(`seeded ${TICKETS.toLocaleString()} tickets / ${total.toLocaleString()} events in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

async function headOf(db: RunningServer['db'], tenantId: string): Promise<number> {
  return (await db.query<{ version: number }>('SELECT version FROM tenants WHERE id = $1', [tenantId])).rows[0]!.version;
}

/** `vakt server` as a child process on the same database (PGlite cannot be shared: then in-process). */
async function spawnServer(dataDir: string, databaseUrl: string | null, env: Record<string, string> = {}): Promise<{ url: string; pid: number; stop(): Promise<void> }> {
  if (!databaseUrl) throw new Error('the 200-device run needs PostgreSQL');
  const entry = new URL('../server/main.ts', import.meta.url);
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_SERVER_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_SERVER_PROF}`] : []),
      '--import',
      'tsx',
      entry.pathname,
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--database-url',
      databaseUrl,
      '--log-level',
      'warn',
    ],
    {
      env: { ...process.env, VAKT_RATE_LIMIT: 'off', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
  if (CLIENT_NICE) {
    // The simulated clients yield the cores to the server (and PostgreSQL), as devices on their own machines would.
    os.setPriority(process.pid, CLIENT_NICE);
    os.setPriority(child.pid!, 0);
  }
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return {
    url,
    pid: child.pid!,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/**
 * CPU seconds (user + system) used so far by the server process, by PostgreSQL's processes, and by
 * this process (the simulated clients), from /proc (Linux); null elsewhere.
 */
function cpuSeconds(serverPid: number): { server: number; postgres: number; clients: number } | null {
  const tick = 100; // USER_HZ
  const of = (pid: number | string): number => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(f[11]) + (process.env.BENCH_UTIME_ONLY ? 0 : Number(f[12]))) / tick;
    } catch {
      return 0;
    }
  };
  if (!fs.existsSync('/proc/self/stat')) return null;
  let postgres = 0;
  for (const pid of fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres')) postgres += of(pid);
    } catch {
      /* gone */
    }
  }
  return { server: of(serverPid), postgres, clients: of(process.pid) };
}

/** An admin token of the server under test: /metrics needs one. */
let metricsToken = '';

/** Request latency as the server measured it (its /metrics histogram), for push and pull. */
async function serverHistogram(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${metricsToken}` } })).text();
  const out = new Map<number, number>();
  for (const m of text.matchAll(/^vakt_http_request_duration_seconds_bucket\{route="\/v1\/sync\/(?:push|pull)",le="([^"]+)"\} (\d+)$/gm)) {
    const le = m[1] === '+Inf' ? Infinity : Number(m[1]);
    out.set(le, (out.get(le) ?? 0) + Number(m[2]));
  }
  return out;
}

/** The smallest bucket bound holding the p-th percentile of what was observed between two readings. */
function bucketPct(before: Map<number, number>, after: Map<number, number>, p: number): string {
  const les = [...after.keys()].sort((a, b) => a - b);
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of les) if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= (p / 100) * total) return le === Infinity ? '> 10 s' : `<= ${le * 1000} ms`;
  return 'n/a';
}

/**
 * `perTenant` devices of each tenant (all of them when not given) start from the tenant's head, then
 * each makes 5 cycles: wait 0-200 ms, create a ticket with a note, change the priority of one of
 * the tenant's 50 shared tickets, push and pull. Prints the latency the clients saw and the server's.
 */
async function burst(label: string, url: string, serverPid: number, tenants: { admin: string; ids: string[]; head: number }[], perTenant = DEVICES): Promise<void> {
  const latencies: number[] = [];
  const errors: string[] = [];
  const devices: { d: ReturnType<typeof device>; ids: string[] }[] = [];
  for (const t of tenants) {
    for (let i = 0; i < perTenant; i++) {
      const d = device(url, await enrol(url, t.admin, `device ${devices.length}`), latencies, errors);
      await d.store.applyPulled({ changes: [], cursor: String(t.head), hlc: null });
      devices.push({ d, ids: t.ids });
    }
  }
  collect();
  const before = await serverHistogram(url);
  const cpu0 = cpuSeconds(serverPid);
  const t0 = performance.now();
  await Promise.all(
    devices.map(async ({ d, ids }, i) => {
      for (let round = 0; round < 5; round++) {
        await new Promise((r) => setTimeout(r, Math.random() * 200));
        cycleChanges(d.store, `from device ${i}`, ids[(i + round) % ids.length]!, `P${round % 4}`);
        await syncOnce(d).catch(() => undefined);
      }
    }),
  );
  const wall = performance.now() - t0;
  const cpu1 = cpuSeconds(serverPid);
  const after = await serverHistogram(url);
  console.log(
    `${label}: ${latencies.length} requests in ${(wall / 1000).toFixed(1)} s; ` +
      `latency p50 ${pct(latencies, 50).toFixed(1)} ms, p99 ${pct(latencies, 99).toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms; ` +
      `server-side p50 ${bucketPct(before, after, 50)}, p99 ${bucketPct(before, after, 99)}; errors ${errors.length}${errors.length ? ` (${errors[0]})` : ''} (target p99 < 250 ms, no errors)`,
  );
  if (cpu0 && cpu1) {
    const per = (k: 'server' | 'postgres' | 'clients') => `${k} ${(cpu1[k] - cpu0[k]).toFixed(1)} s (${(((cpu1[k] - cpu0[k]) * 1000) / latencies.length).toFixed(2)} ms/request)`;
    console.log(`   CPU during the burst (2 cores: ${((2 * wall) / 1000).toFixed(1)} s available): ${per('server')}, ${per('postgres')}, ${per('clients')}`);
  }
}

/** A device's changes in one cycle of parts 3 and 3c: a ticket with a note, and a priority on a shared ticket. */
function cycleChanges(store: MemorySyncStore, description: string, sharedTicket: string, priority: string): void {
  const { ticketId } = store.createTicket({ description });
  store.addEvent(ticketId, 'note', { text: 'on site' });
  store.setPriority(sharedTicket, priority);
}

/**
 * Not measured: a throwaway tenant's 40 devices make 3 sync cycles at once, so the server child's
 * connections have prepared their statements and its code is compiled before the parts measure
 * (a server that has just started is slower for its first few hundred requests).
 */
async function warmUp(server: RunningServer, url: string): Promise<void> {
  const t = await newTenant(server.db, 'bench-warm-up');
  const ds = [];
  for (let i = 0; i < 40; i++) ds.push(device(url, await enrol(url, t.adminToken, `warm-up ${i}`)));
  const shared = ds[0]!.store.createTicket({ description: 'shared' }).ticketId;
  await syncOnce(ds[0]!);
  await Promise.all(
    ds.map(async (d, i) => {
      for (let round = 0; round < 3; round++) {
        cycleChanges(d.store, `warm-up ${i}`, shared, `P${round}`);
        await syncOnce(d);
      }
    }),
  );
}

/** A full collection between parts (with --expose-gc), so one part's garbage does not pause the next one's clients. */
function collect(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

async function until(ok: () => boolean, timeoutMs = 120_000): Promise<void> {
  const t0 = performance.now();
  while (!ok() && performance.now() - t0 < timeoutMs) await new Promise((r) => setTimeout(r, 20));
}

/** Part 3c: the app's SyncWorker on every device; the herd when the network comes back, then steady changes. */
async function workers(url: string, serverPid: number, admin: string, ids: string[], head: number): Promise<void> {
  const phase = { lat: [] as number[], errors: [] as string[] };
  const herd = { lat: [] as number[], errors: [] as string[] };
  const steady = { lat: [] as number[], errors: [] as string[] };
  const devices: { d: ReturnType<typeof device>; w: SyncWorker }[] = [];
  for (let i = 0; i < DEVICES; i++) {
    const d = device(url, await enrol(url, admin, `worker ${i}`), phase.lat, phase.errors);
    await d.store.applyPulled({ changes: [], cursor: String(head), hlc: null });
    devices.push({ d, w: new SyncWorker({ store: d.store, transport: d.transport, clock }) });
  }
  // Requests are filed by the phase in which they started.
  const file = (to: { lat: number[]; errors: string[] }) => {
    phase.lat.length = 0;
    phase.errors.length = 0;
    return to;
  };
  const drain = (into: { lat: number[]; errors: string[] }) => {
    into.lat.push(...phase.lat.splice(0));
    into.errors.push(...phase.errors.splice(0));
  };
  // Online and up to date first (not measured); then the network goes away, every device makes
  // offline changes, and the network comes back for all of them within 200 ms.
  for (const { w } of devices) w.start();
  await until(() => devices.every(({ w }) => w.status().state === 'up_to_date'));
  for (const { w } of devices) w.setOnline(false);
  collect();
  file(herd);
  const h0 = await serverHistogram(url);
  const cpu0 = cpuSeconds(serverPid);
  const t0 = performance.now();
  for (const [i, { d, w }] of devices.entries()) {
    cycleChanges(d.store, `offline on device ${i}`, ids[i % ids.length]!, 'P2');
    setTimeout(() => w.setOnline(true), Math.random() * 200);
  }
  await until(() => devices.every(({ w }) => w.status().state === 'up_to_date' && w.status().pending === 0));
  const herdWall = performance.now() - t0;
  drain(herd);
  const cpu1 = cpuSeconds(serverPid);
  const h1 = await serverHistogram(url);
  file(steady);
  const t1 = performance.now();
  let changes = 0;
  const endAt = t1 + STEADY_S * 1000;
  await Promise.all(
    devices.map(async ({ d, w }, i) => {
      for (;;) {
        const gap = -Math.log(1 - Math.random()) * CHANGE_EVERY_S * 1000;
        if (performance.now() + gap > endAt) break;
        await new Promise((r) => setTimeout(r, gap));
        if (Math.random() < 0.5) d.store.setPriority(ids[(i + changes) % ids.length]!, `P${changes % 4}`);
        else d.store.createTicket({ description: `from device ${i}` });
        changes++;
        w.kick();
      }
    }),
  );
  // let the last kicks finish, then stop
  await new Promise((r) => setTimeout(r, 2_000));
  for (const { w } of devices) w.stop();
  await Promise.all(devices.map(({ w }) => w.idle()));
  drain(steady);
  const steadyWall = performance.now() - t1;
  const cpu2 = cpuSeconds(serverPid);
  const h2 = await serverHistogram(url);
  const pending = devices.reduce((n, { d }) => n + d.store.outbox.filter((m) => m.status !== 'applied').length, 0);
  const fmt = (x: { lat: number[]; errors: string[] }, a: Map<number, number>, b: Map<number, number>) =>
    `${x.lat.length} requests, latency p50 ${pct(x.lat, 50).toFixed(1)} ms, p99 ${pct(x.lat, 99).toFixed(1)} ms, max ${Math.max(...x.lat).toFixed(1)} ms, ` +
    `server-side p50 ${bucketPct(a, b, 50)}, p99 ${bucketPct(a, b, 99)}, errors ${x.errors.length}${x.errors.length ? ` (${x.errors[0]})` : ''}`;
  const cpu = (a: typeof cpu0, b: typeof cpu0, wall: number) =>
    a && b
      ? ` (CPU: server ${(b.server - a.server).toFixed(1)} s, postgres ${(b.postgres - a.postgres).toFixed(1)} s, clients ${(b.clients - a.clients).toFixed(1)} s of ${((2 * wall) / 1000).toFixed(1)} s)`
      : '';
  console.log(`3c. ${DEVICES} devices running the app's sync worker:`);
  console.log(
    `    herd: the network comes back for all within 200 ms, each with offline changes (the worker's wake jitter spreads them over 3 s), all up to date after ${(herdWall / 1000).toFixed(2)} s: ${fmt(herd, h0, h1)}${cpu(cpu0, cpu1, herdWall)}`,
  );
  console.log(
    `    steady: ${STEADY_S} s, ${changes} changes (one per device every ${CHANGE_EVERY_S} s on average), ${(steady.lat.length / (steadyWall / 1000)).toFixed(0)} requests/s: ${fmt(steady, h1, h2)}${cpu(cpu1, cpu2, steadyWall)}; changes not applied at the end: ${pending} (target p99 < 250 ms, no errors)`,
  );
}

async function main(): Promise<void> {
  const pg = await startPostgres().catch((e: unknown) => {
    console.log(`PostgreSQL unavailable (${(e as Error).message}); using PGlite`);
    return null;
  });
  const dataDir = tmpDir('vakt-bench-');
  const server = await startServer({ dataDir, port: 0, databaseUrl: pg?.url ?? null, rateLimit: false, logger: false, bootstrap: true, bootstrapTenant: 'bench' });
  console.log(`server ${server.url} on ${server.db.kind}`);
  try {
    const admin = server.bootstrapped!.token;
    metricsToken = admin;
    await seed(server, server.bootstrapped!.tenantId);
    let initial = 0;

    // 1. initial sync
    if (PARTS.has('1')) {
      const fresh = device(server.url, await enrol(server.url, admin, 'fresh device'));
      const t0 = performance.now();
      for (;;) {
        const page = await fresh.transport.pull(await fresh.store.cursor(), 10_000);
        await fresh.store.applyPulled(page);
        if (!page.more) break;
      }
      initial = performance.now() - t0;
      console.log(`1. initial sync: ${fresh.store.tickets.size.toLocaleString()} tickets + ${fresh.store.events.size.toLocaleString()} events in ${(initial / 1000).toFixed(1)} s (target < 60 s)`);
    }

    // 1b. the same into the app's own SQLite store (bench/sync-initial.ts): in this process, and through the app's path.
    if (PARTS.has('1b')) await initialSync({ url: server.url, clock, enrol: (name) => enrol(server.url, admin, name), inMemoryMs: initial });

    // 2. incremental sync of 100 changes
    const ids = Array.from({ length: Math.min(50, TICKETS) }, (_, i) => seededId(i));
    if (PARTS.has('2')) {
      const writer = device(server.url, await enrol(server.url, admin, 'writer'));
      const reader = device(server.url, await enrol(server.url, admin, 'reader'));
      // Both start at the head (part 1 measured catching up from nothing).
      for (const d of [writer, reader]) await d.store.applyPulled({ changes: [], cursor: String(await headOf(server.db, server.bootstrapped!.tenantId)), hlc: null });
      for (const id of ids) {
        writer.store.addEvent(id, 'note', { text: 'incremental' });
        writer.store.setPriority(id, 'P1');
      }
      let t0 = performance.now();
      await syncOnce(writer);
      const push = performance.now() - t0;
      const before = reader.store.pulledChanges;
      t0 = performance.now();
      await syncOnce(reader);
      const pullMs = performance.now() - t0;
      console.log(`2. incremental: push of 100 changes ${push.toFixed(0)} ms; pull of them by another device ${pullMs.toFixed(0)} ms (${reader.store.pulledChanges - before} rows) (target < 300 ms)`);
    }

    // 3. 200 devices at once, against the server in its own process (as in production), so the
    // 200 simulated clients in this process do not share the server's event loop.
    if (!PARTS.has('3') && !PARTS.has('3b') && !PARTS.has('3c') && !PARTS.has('3d')) return;
    // Its own data dir: the in-process server above holds this one's lock.
    const child = await spawnServer(tmpDir('vakt-bench-child-'), pg?.url ?? null);
    try {
      const url = child.url;
      await warmUp(server, url);
      if (PARTS.has('3')) await burst(`3. ${DEVICES} devices of one tenant x 5 sync cycles at once`, url, child.pid, [{ admin, ids, head: await headOf(server.db, server.bootstrapped!.tenantId) }]);
      // 3b. The same load spread over tenants (service providers) of 10 devices each: every device still
      // pulls every change of its tenant, but the fan-out is the tenant's, not the whole server's.
      const tenants = [];
      for (let i = 0; PARTS.has('3b') && i < Math.max(1, Math.floor(DEVICES / 10)); i++) {
        const t = await newTenant(server.db, `bench-${i}`);
        const setup = device(url, await enrol(url, t.adminToken, `setup ${i}`));
        const own = Array.from({ length: 50 }, () => setup.store.createTicket({ description: 'shared' }).ticketId);
        await syncOnce(setup);
        tenants.push({ admin: t.adminToken, ids: own, head: await headOf(server.db, t.tenantId) });
      }
      if (PARTS.has('3b')) await burst(`3b. ${DEVICES} devices in ${tenants.length} tenants of 10 x 5 sync cycles at once`, url, child.pid, tenants, 10);
      // 3c last, on a server that has run for a while (connections, statements and JIT warm).
      if (PARTS.has('3c')) await workers(url, child.pid, admin, ids, await headOf(server.db, server.bootstrapped!.tenantId));
      if (PARTS.has('3d')) {
        const changes = Number(process.env.BENCH_POKE_CHANGES ?? 20);
        const poke = async (label: string, urls: string[]) =>
          pokeLatency({ label, urls, admin, devices: DEVICES, changes, head: await headOf(server.db, server.bootstrapped!.tenantId), clock, enrol }).catch((e: unknown) =>
            console.log(`${label}: failed: ${(e as Error).message}`),
          );
        await poke(`3d. ${DEVICES} devices on the event stream, one server process`, [url]);
        collect();
        // Two processes with 15 connections each (one process has 40): PostgreSQL's 100 connections
        // are shared with this process's server (and, on a shared machine, with others).
        await child.stop();
        const two: { url: string; stop(): Promise<void> }[] = [];
        try {
          for (const n of [1, 2]) two.push(await spawnServer(tmpDir(`vakt-bench-child${n}-`), pg?.url ?? null, { VAKT_DB_POOL: '15' }));
          await poke(
            `3d. ${DEVICES} devices on the event stream, two server processes (LISTEN/NOTIFY), half on each`,
            two.map((c) => c.url),
          );
        } catch (e) {
          console.log(`3d. two server processes: failed: ${(e as Error).message}`);
        } finally {
          await Promise.all(two.map((c) => c.stop()));
        }
      }
    } finally {
      await child.stop();
    }
  } finally {
    await server.close();
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${pg?.database}`);
    else await pg?.drop();
  }
}

await main();
