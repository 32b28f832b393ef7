/**
 * Photo bytes in sync: SQLite devices driven by the app's SyncService against
 * a real sync server (PGlite, in-process Fastify, its attachment store on
 * disk). A photo taken offline on a technician's device ends up byte-identical
 * on the duty officer's; an upload cut off midway continues from the server's
 * offset after a restart; a corrupted download is rejected and retried; a
 * photo larger than the server accepts is kept and shown as failed.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SyncStatusView } from '../../core/api/sync.js';
import { fieldHandlers } from '../../main/handlers/field/handlers.js';
import type { AppContext } from '../../main/app/context.js';
import { attachmentPath, sha256Of, storeAttachmentBytes } from '../../main/sync/attachment-files.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import { SyncService } from '../../main/sync/service.js';
import { FileTokenStore } from '../../main/sync/token-store.js';
import type { TimerScheduler } from '../../main/sync/worker.js';
import { auth, injectFetch, makeApp, newTenant, sharedPglite, systemClock } from '../server/helpers.js';
import type { SqliteDevice } from './helpers.js';
import { cleanupTempDirs, sqliteDevice } from './helpers.js';

const noTimers: TimerScheduler = { setTimeout: () => 0, clearTimeout: () => {} };
const CHUNK = 64 * 1024;

/** What a test does to a request on the way: throw (a dropped connection), or change the answer. */
type Hook = (req: { method: string; path: string; headers: Record<string, string> }) => 'drop' | 'corrupt' | 'hang' | void;

/** injectFetch with binary bodies (arrayBuffer) and a hook per request. */
function netFetch(app: FastifyInstance, hook: { current: Hook | null }): FetchLike {
  return async (url, init) => {
    const u = new URL(url, 'http://vakt.test');
    const what = hook.current?.({ method: init.method, path: u.pathname, headers: init.headers });
    if (what === 'drop') throw new Error('connection reset by peer');
    if (what === 'hang') await new Promise(() => {}); // a stalled connection that never answers (nor honours the abort signal)
    const res = await app.inject({
      method: init.method as 'POST',
      url: u.pathname + u.search,
      headers: init.headers,
      ...(init.body !== undefined ? { payload: typeof init.body === 'string' ? init.body : Buffer.from(init.body) } : {}),
    });
    const raw = Buffer.from(res.rawPayload);
    if (what === 'corrupt' && raw.length) raw[raw.length >> 1] = (raw[raw.length >> 1] ?? 0) ^ 0xff;
    return {
      status: res.statusCode,
      headers: {
        get: (n: string) => {
          const v = res.headers[n.toLowerCase()];
          return v === undefined ? null : String(v);
        },
      },
      text: async () => raw.toString('utf8'),
      arrayBuffer: async () => raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length),
    };
  };
}

let app: FastifyInstance;
let small: FastifyInstance;
beforeAll(async () => {
  app = await makeApp(await sharedPglite());
  small = await makeApp(await sharedPglite(), { maxAttachmentBytes: 50_000 });
});
afterAll(async () => {
  await app.close();
  await small.close();
});

interface Client {
  d: SqliteDevice;
  sync: SyncService;
  hook: { current: Hook | null };
  requests: { method: string; path: string; range: string | null }[];
  statuses: SyncStatusView[];
  server: FastifyInstance;
}
let clients: Client[] = [];
let admin = '';
let smallAdmin = '';

function client(server: FastifyInstance, dataDir?: string, hook: { current: Hook | null } = { current: null }, timeoutMs?: number): Client {
  const d = sqliteDevice({ clock: systemClock, machineId: `machine-${clients.length}`, ...(dataDir ? { dataDir } : {}) });
  const c: Client = { d, hook, requests: [], statuses: [], server, sync: undefined as unknown as SyncService };
  const recording: Hook = (r) => {
    if (r.path.startsWith('/v1/attachments/')) c.requests.push({ method: r.method, path: r.path, range: r.headers['content-range'] ?? null });
    return c.hook.current?.(r);
  };
  c.sync = new SyncService({
    repo: d.store.sync,
    attachments: { queue: d.store.attachments, dataDir: d.dataDir, chunkBytes: CHUNK, ...(timeoutMs ? { timeoutMs } : {}) },
    activePrefix: () => d.store.caseNumbers.active(),
    tokens: new FileTokenStore(join(d.dataDir, 'sync-token')),
    clock: systemClock,
    onTicketsChanged: () => {},
    onStatus: (s) => void c.statuses.push(s),
    fetch: netFetch(server, { current: recording }),
    timers: noTimers,
    worker: { pullLimit: 5, pushBatch: 10 },
  });
  clients.push(c);
  return c;
}

async function enrolled(role: 'duty_officer' | 'technician', server = app, timeoutMs?: number): Promise<Client> {
  const token = server === app ? admin : smallAdmin;
  const r = await server.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(token), payload: { role, userName: `${role} ${clients.length}` } });
  expect(r.statusCode).toBe(201);
  const c = client(server, undefined, { current: null }, timeoutMs);
  await c.sync.enrol('http://vakt.test', (r.json() as { code: string }).code, `device ${clients.length}`);
  return c;
}

/** Stops the services and closes the store (as when the app quits), then opens both again on the same data dir. */
async function restart(c: Client): Promise<Client> {
  await c.sync.dispose();
  c.d.close();
  clients = clients.filter((x) => x !== c);
  const again = client(c.server, c.d.dataDir, c.hook);
  await again.sync.start();
  return again;
}

async function sync(c: Client): Promise<SyncStatusView> {
  const s = await c.sync.syncNow();
  expect(s.state, s.message ?? '').toBe('up_to_date');
  return s;
}

/** What field.photo does: the bytes content-addressed in the data dir, and a photo event. */
function takePhoto(c: Client, ticketId: string, bytes: Buffer, name = 'rack.jpg'): string {
  const sha256 = storeAttachmentBytes(c.d.dataDir, bytes);
  c.d.store.tickets.appendEvent(ticketId, { type: 'photo', author: 'Kim', data: { sha256, name, mime: 'image/jpeg', size: bytes.length } });
  return sha256;
}

function photoData(c: Client, sha256: string) {
  const ctx = { store: c.d.store, dataDir: c.d.dataDir, clock: systemClock, ticketsChanged: async () => {} } as unknown as AppContext;
  return fieldHandlers(ctx)['field.photoData']({ sha256 });
}

async function serverBytes(server: FastifyInstance, token: string, sha256: string): Promise<Buffer | null> {
  const r = await server.inject({ method: 'GET', url: `/v1/attachments/${sha256}`, headers: auth(token) });
  return r.statusCode === 200 ? Buffer.from(r.rawPayload) : null;
}

// A tenant per test: devices see only this test's photos.
beforeEach(async () => {
  admin = (await newTenant(await sharedPglite())).adminToken;
  smallAdmin = (await newTenant(await sharedPglite())).adminToken;
});
afterEach(async () => {
  for (const c of clients) {
    await c.sync.dispose();
    c.d.close();
  }
  clients = [];
  cleanupTempDirs();
});

describe('photo bytes between two SQLite devices and a real server', () => {
  it('a photo taken offline on the technician device ends up byte-identical on the duty officer device; until then it says "downloading"', async () => {
    const tech = await enrolled('technician');
    const duty = await enrolled('duty_officer');
    const ticketId = tech.d.createTicket('Router down at Kajgade 4');
    await sync(tech);
    await sync(duty);

    // Offline: the photo is taken, nothing leaves the device; the status counts the upload.
    const bytes = randomBytes(200_000);
    tech.hook.current = () => 'drop';
    const sha = takePhoto(tech, ticketId, bytes);
    expect(await tech.sync.status()).toMatchObject({ pending: 1, uploads: 1, downloads: 0, attachmentsFailed: 0 });
    expect((await tech.sync.syncNow()).state).toBe('offline');
    expect(tech.d.store.attachments.get(sha)).toMatchObject({ direction: 'upload', status: 'pending' });

    // Back online, but the photo upload is cut before its first byte: the event goes, the bytes do not (yet).
    tech.hook.current = (r) => (r.path.startsWith('/v1/attachments/') ? 'drop' : undefined);
    expect(await sync(tech)).toMatchObject({ pending: 0, uploads: 1, attachmentError: expect.stringMatching(/cannot reach/) });

    // The duty officer sees the event; the bytes are not on the server: "still on its way", not a broken image.
    expect(await sync(duty)).toMatchObject({ downloads: 1, uploads: 0 });
    expect(duty.d.store.tickets.events(ticketId).some((e) => e.type === 'photo')).toBe(true);
    expect(await photoData(duty, sha)).toMatchObject({ sha256: sha, mime: 'image/jpeg', dataBase64: null, downloading: true, message: expect.stringMatching(/has not uploaded it yet/) });
    expect(existsSync(attachmentPath(duty.d.dataDir, sha))).toBe(false);

    // The technician's device uploads; the duty officer's downloads, verified.
    tech.hook.current = null;
    expect(await sync(tech)).toMatchObject({ uploads: 0, attachmentError: null });
    expect(tech.d.store.attachments.get(sha)).toMatchObject({ status: 'done' });
    expect(Buffer.compare((await serverBytes(app, admin, sha)) as Buffer, bytes)).toBe(0);
    expect(await sync(duty)).toMatchObject({ downloads: 0, uploads: 0, attachmentError: null });
    expect(Buffer.compare(readFileSync(attachmentPath(duty.d.dataDir, sha)), bytes)).toBe(0);
    expect(await photoData(duty, sha)).toEqual({ sha256: sha, mime: 'image/jpeg', dataBase64: bytes.toString('base64') });
    expect(duty.d.store.attachments.get(sha)).toMatchObject({ direction: 'download', status: 'done' });
    // Pulled photos never queue an upload from the device that received them.
    expect(duty.requests.filter((r) => r.method === 'PUT')).toEqual([]);
    expect(duty.statuses.at(-1)).toMatchObject({ downloads: 0 });
  });

  it('an upload cut off midway continues from the server offset after a restart, not from zero (the queue survives the restart)', async () => {
    let tech = await enrolled('technician');
    const ticketId = tech.d.createTicket('Fibre cut');
    const bytes = randomBytes(5 * CHUNK + 1234);
    const sha = takePhoto(tech, ticketId, bytes);
    let puts = 0;
    tech.hook.current = (r) => (r.method === 'PUT' && ++puts === 3 ? 'drop' : undefined);
    const s = await sync(tech);
    expect(s).toMatchObject({ pending: 0, uploads: 1, attachmentError: expect.stringMatching(/cannot reach/) });
    const head = await app.inject({ method: 'HEAD', url: `/v1/attachments/${sha}`, headers: auth(admin) });
    expect(head.headers['upload-offset']).toBe(String(2 * CHUNK));
    expect(head.headers['upload-complete']).toBe('0');

    // The app quits and starts again: the transfer is still queued (with its backoff) and resumes at the server's offset.
    tech = await restart(tech);
    expect(await tech.sync.status()).toMatchObject({ uploads: 1, pending: 0 });
    expect(tech.d.store.attachments.get(sha)).toMatchObject({ status: 'pending', attempts: 1, errorCode: 'offline' });
    await sync(tech);
    const ranges = tech.requests.filter((r) => r.method === 'PUT').map((r) => r.range);
    expect(ranges[0]).toBe(`bytes ${2 * CHUNK}-${3 * CHUNK - 1}/${bytes.length}`);
    expect(ranges.some((r) => r?.startsWith('bytes 0-'))).toBe(false);
    expect(ranges).toHaveLength(4);
    expect(Buffer.compare((await serverBytes(app, admin, sha)) as Buffer, bytes)).toBe(0);
    expect(await tech.sync.status()).toMatchObject({ uploads: 0, attachmentError: null });
  });

  it('a photo queued offline is still uploaded after the services restart before any sync', async () => {
    let tech = await enrolled('technician');
    const ticketId = tech.d.createTicket('Server room too warm');
    const bytes = randomBytes(10_000);
    const sha = takePhoto(tech, ticketId, bytes);
    tech = await restart(tech);
    expect(await tech.sync.status()).toMatchObject({ uploads: 1 });
    await sync(tech);
    expect(Buffer.compare((await serverBytes(app, admin, sha)) as Buffer, bytes)).toBe(0);
    expect(await tech.sync.status()).toMatchObject({ pending: 0, uploads: 0 });
  });

  it('a corrupted download is rejected (nothing written) and retried', async () => {
    const tech = await enrolled('technician');
    const duty = await enrolled('duty_officer');
    const ticketId = tech.d.createTicket('Switch stack reboot loop');
    const bytes = randomBytes(3 * CHUNK);
    const sha = takePhoto(tech, ticketId, bytes);
    await sync(tech);
    let gets = 0;
    duty.hook.current = (r) => (r.method === 'GET' && r.path.endsWith(sha) && ++gets === 1 ? 'corrupt' : undefined);
    expect(await sync(duty)).toMatchObject({ downloads: 1, attachmentError: expect.stringMatching(/do not match its SHA-256/) });
    expect(existsSync(attachmentPath(duty.d.dataDir, sha))).toBe(false);
    expect(duty.d.store.attachments.get(sha)).toMatchObject({ status: 'pending', attempts: 1, errorCode: 'hash_mismatch' });
    expect(duty.d.store.attachments.get(sha)?.nextAttemptAt).toBeGreaterThan(Date.now());
    expect(await photoData(duty, sha)).toMatchObject({ dataBase64: null, downloading: true });
    // "Sync now" retries at once.
    expect(await sync(duty)).toMatchObject({ downloads: 0, attachmentError: null });
    expect(gets).toBe(2);
    expect(sha256Of(readFileSync(attachmentPath(duty.d.dataDir, sha)))).toBe(sha);
    expect(Buffer.compare(readFileSync(attachmentPath(duty.d.dataDir, sha)), bytes)).toBe(0);
  });

  it('a photo larger than the server accepts is kept, shown as failed with the server message, and does not hold tickets up', async () => {
    const tech = await enrolled('technician', small);
    const ticketId = tech.d.createTicket('Cabinet door broken');
    const bytes = randomBytes(60_000);
    const sha = takePhoto(tech, ticketId, bytes);
    const s = await sync(tech);
    expect(s).toMatchObject({ pending: 0, uploads: 0, attachmentsFailed: 1 });
    expect(s.attachmentError).toMatch(/60000 bytes was not uploaded: .*50000 bytes.*kept on this device/);
    expect(existsSync(attachmentPath(tech.d.dataDir, sha))).toBe(true);
    expect(tech.d.store.attachments.get(sha)).toMatchObject({ status: 'failed', errorCode: 'attachment_too_large' });
    // Not retried on every sync (it would be refused again); tickets keep syncing.
    const before = tech.requests.length;
    tech.d.note(ticketId, 'Door ordered');
    expect(await sync(tech)).toMatchObject({ pending: 0, attachmentsFailed: 1 });
    expect(tech.requests.length).toBe(before);
  });

  it('a stalled photo upload does not hold ticket sync up: the request times out, the changes are pushed, the photo waits', async () => {
    const tech = await enrolled('technician', app, 300);
    const ticketId = tech.d.createTicket('UPS alarm');
    const bytes = randomBytes(20_000);
    const sha = takePhoto(tech, ticketId, bytes);
    tech.d.note(ticketId, 'Battery swapped');
    tech.hook.current = (r) => (r.path.startsWith('/v1/attachments/') ? 'hang' : undefined);
    const t0 = Date.now();
    expect(await sync(tech)).toMatchObject({ pending: 0, uploads: 1, attachmentError: expect.stringMatching(/no answer within 300 ms/) });
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(tech.d.store.attachments.get(sha)).toMatchObject({ status: 'pending', errorCode: 'offline' });
    tech.hook.current = null;
    expect(await sync(tech)).toMatchObject({ uploads: 0, attachmentError: null });
    expect(Buffer.compare((await serverBytes(app, admin, sha)) as Buffer, bytes)).toBe(0);
  });
});
