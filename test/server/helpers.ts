/** Shared helpers for the sync server tests: servers over PGlite/PostgreSQL, enrolled in-memory devices. */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { HEADER_PROTOCOL, HEADER_SCHEMA, PROTOCOL_VERSION, SCHEMA_VERSION } from '../../core/sync/protocol.js';
import { buildServer } from '../../server/app.js';
import type { ServerOptions } from '../../server/app.js';
import { createTenant } from '../../server/auth.js';
import { createPgliteDb } from '../../server/db.js';
import type { Db } from '../../server/db.js';
import { migrate } from '../../server/migrations.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';

export { systemClock } from '../../db/system-time.js';
import { systemClock } from '../../db/system-time.js';

let pglite: Promise<Db> | null = null;
/** One migrated in-memory PGlite per test file (tests isolate by tenant). */
export function sharedPglite(): Promise<Db> {
  pglite ??= (async () => {
    const db = await createPgliteDb(null);
    await migrate(db, () => Date.now());
    return db;
  })();
  return pglite;
}

export function tmpDir(prefix = 'vakt-sync-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export async function makeApp(db: Db, o: Partial<ServerOptions> = {}): Promise<FastifyInstance> {
  const app = await buildServer({ db, clock: systemClock, dataDir: tmpDir(), rateLimit: false, ...o });
  await app.ready();
  return app;
}

export const V = { [HEADER_PROTOCOL]: String(PROTOCOL_VERSION), [HEADER_SCHEMA]: String(SCHEMA_VERSION) };
export const auth = (token: string): Record<string, string> => ({ ...V, authorization: `Bearer ${token}` });

/** A fetch that goes through Fastify's inject (full HTTP handling, no sockets). */
export function injectFetch(app: FastifyInstance): FetchLike {
  return async (url, init) => {
    const u = new URL(url, 'http://vakt.test');
    const res = await app.inject({
      method: init.method as 'POST',
      url: u.pathname + u.search,
      headers: init.headers,
      ...(init.body !== undefined ? { payload: typeof init.body === 'string' ? init.body : Buffer.from(init.body) } : {}),
    });
    return {
      status: res.statusCode,
      headers: {
        get: (n: string) => {
          const v = res.headers[n.toLowerCase()];
          return v === undefined ? null : String(v);
        },
      },
      text: async () => res.body,
    };
  };
}

export async function newTenant(db: Db, name = `t-${randomBytes(4).toString('hex')}`): Promise<{ tenantId: string; adminToken: string }> {
  const t = await createTenant(db, systemClock, { name });
  return { tenantId: t.tenantId, adminToken: t.token };
}

export interface Enrolled {
  deviceId: string;
  tenantId: string;
  token: string;
  casePrefix: string;
  role: string;
  userId?: string;
  userName?: string;
}

export async function enrol(
  app: FastifyInstance,
  adminToken: string,
  role: 'duty_officer' | 'technician' | 'admin' = 'duty_officer',
  deviceName = 'test device',
  provisionalPrefix?: string,
): Promise<Enrolled> {
  const c = await app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(adminToken), payload: { role, userName: `${role} user` } });
  if (c.statusCode !== 201) throw new Error(`enrolment code: ${c.statusCode} ${c.body}`);
  const r = await app.inject({ method: 'POST', url: '/v1/enrol', headers: V, payload: { code: c.json().code, deviceName, ...(provisionalPrefix ? { provisionalPrefix } : {}) } });
  if (r.statusCode !== 201) throw new Error(`enrol: ${r.statusCode} ${r.body}`);
  return r.json() as Enrolled;
}

/** A seeded PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function randomSource(rand: () => number): (n: number) => Uint8Array {
  return (n) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));
}

export interface TestDevice {
  enrolled: Enrolled;
  store: MemorySyncStore;
  transport: HttpSyncTransport;
}

export async function makeDevice(
  app: FastifyInstance,
  adminToken: string,
  o: { clock?: Clock; rand?: () => number; role?: 'duty_officer' | 'technician' | 'admin'; fetch?: FetchLike } = {},
): Promise<TestDevice> {
  const enrolled = await enrol(app, adminToken, o.role ?? 'duty_officer');
  const rand = o.rand ?? Math.random;
  const store = new MemorySyncStore({ deviceId: enrolled.deviceId, casePrefix: enrolled.casePrefix, clock: o.clock ?? systemClock, random: randomSource(rand) });
  const transport = new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => enrolled.token, fetch: o.fetch ?? injectFetch(app) });
  return { enrolled, store, transport };
}

/** Push everything pending, then pull to the end (no worker, no timers). */
export async function syncOnce(d: { store: MemorySyncStore; transport: { push: HttpSyncTransport['push']; pull: HttpSyncTransport['pull'] } }): Promise<void> {
  for (;;) {
    const batch = await d.store.pendingMutations(100);
    if (!batch.length) break;
    const r = await d.transport.push(batch);
    await d.store.markResults(r.results);
    if (!r.results.length) break;
  }
  for (;;) {
    const page = await d.transport.pull(await d.store.cursor(), 500);
    await d.store.applyPulled(page);
    if (!page.more) break;
  }
}

/** The server's full state for a tenant, as a fresh device would pull it. */
/** Everything the server holds for the token's tenant, pulled into a fresh in-memory store. */
export async function serverStore(app: FastifyInstance, token: string): Promise<MemorySyncStore> {
  const store = new MemorySyncStore({ deviceId: 'observer', casePrefix: 'ZZ', clock: systemClock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => token, fetch: injectFetch(app) });
  await syncOnce({ store, transport });
  return store;
}

export async function serverSnapshot(app: FastifyInstance, token: string): Promise<ReturnType<MemorySyncStore['snapshot']>> {
  return (await serverStore(app, token)).snapshot();
}
