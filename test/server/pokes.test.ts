/**
 * Changes in seconds (issue 17 item 5): a device listening on `GET /v1/events` pulls when another
 * device's change is committed, with polling out of the way (a 10-minute poll), so only the poke can
 * bring it. On PGlite in one process; on PostgreSQL across two `vakt server` processes on one
 * database (LISTEN/NOTIFY), a device on each.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { SyncWorker } from '../../main/sync/worker.js';
import { POKE_CHANNEL } from '../../server/pokes.js';
import { V, auth, makeApp, newTenant, randomSource, sharedPglite, syncOnce, systemClock, tmpDir } from './helpers.js';
import { enrolOver, spawnServer } from './processes.js';
import type { Proc } from './processes.js';
import { PG_MISSING, postgresInstalled, startPostgres } from './pg.js';
import type { TestPostgres } from './pg.js';

type Enrolment = { deviceId: string; token: string; casePrefix: string };

function device(url: string, e: Enrolment) {
  const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: systemClock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({ baseUrl: url, token: () => e.token, events: true });
  return { store, transport };
}

/** B listens; resolves once its stream is open (the opening poke came). */
async function listening(url: string, e: Enrolment): Promise<{ store: MemorySyncStore; worker: SyncWorker }> {
  const { store, transport } = device(url, e);
  let opened!: () => void;
  const open = new Promise<void>((r) => (opened = r));
  const events = transport.events!;
  const worker = new SyncWorker({
    store,
    clock: systemClock,
    pollIntervalMs: 10 * 60_000,
    transport: {
      push: (m) => transport.push(m),
      pull: (c, l) => transport.pull(c, l),
      events: (onPoke, signal) =>
        events(() => {
          opened();
          onPoke();
        }, signal),
    },
  });
  worker.start();
  await open;
  return { store, worker };
}

async function until(what: string, cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (cond()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function crosses(urlA: string, urlB: string, adminToken: string): Promise<void> {
  const a = device(urlA, await enrolOver(urlA, adminToken));
  const b = await listening(urlB, await enrolOver(urlB, adminToken));
  try {
    await until('B to be up to date', () => b.worker.status().state === 'up_to_date');
    const { ticketId } = a.store.createTicket({ title: 'seen on the other screen' });
    await syncOnce(a);
    await until('the ticket on B', () => b.store.snapshot().tickets.some((t) => t.id === ticketId));
    expect(b.store.snapshot().tickets.find((t) => t.id === ticketId)?.title).toBe('seen on the other screen');
  } finally {
    b.worker.stop();
    await b.worker.idle();
  }
}

/** A device's raw event stream: its pokes counted, read until it ends. */
async function stream(url: string, e: Enrolment) {
  const res = await fetch(`${url}/v1/events`, { headers: auth(e.token) });
  expect(res.status).toBe(200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let text = '';
  const pokes = () => text.match(/event: poke/g)?.length ?? 0;
  const read = async (): Promise<boolean> => {
    const r = await reader.read();
    text += r.value ?? '';
    return !r.done;
  };
  return {
    pokes,
    /** Reads until `n` pokes came. */
    async until(n: number): Promise<void> {
      while (pokes() < n) if (!(await read())) throw new Error(`the stream ended after ${pokes()} pokes, before ${n}`);
    },
    /** Reads until the server ends the stream; the pokes it carried. */
    async end(): Promise<number> {
      while (await read());
      return pokes();
    },
  };
}

/**
 * A and B listen and each push a change; a third device W listens as the witness. A pushing device
 * pulls in the same cycle, so its own push pokes every stream of the tenant but its own. Once W has
 * heard both pokes, A's and B's streams have heard all they will of them (one fan-out, on the process
 * of W's, A's and B's streams); revoking A and B ends their streams: A heard the opening poke and B's,
 * B the opening poke and A's.
 */
async function ownPushSkipped(listenUrl: string, pushUrl: string, adminUrl: string, adminToken: string): Promise<void> {
  const [a, b, w] = [await enrolOver(adminUrl, adminToken), await enrolOver(adminUrl, adminToken), await enrolOver(adminUrl, adminToken)];
  const [sa, sb, sw] = [await stream(listenUrl, a), await stream(listenUrl, b), await stream(listenUrl, w)];
  for (const s of [sa, sb, sw]) await s.until(1);
  for (const e of [a, b]) {
    const d = device(pushUrl, e);
    d.store.createTicket({ title: `pushed by ${e.deviceId}` });
    await syncOnce(d);
  }
  await sw.until(3);
  for (const e of [a, b]) expect((await fetch(`${adminUrl}/v1/admin/devices/${e.deviceId}/revoke`, { method: 'POST', headers: auth(adminToken) })).status).toBe(200);
  expect(await sa.end()).toBe(2);
  expect(await sb.end()).toBe(2);
  expect(sw.pokes()).toBe(3);
}

describe('pokes on PGlite (one process)', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await makeApp(await sharedPglite(), { eventsHeartbeatMs: 200 });
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app.close());

  it('a change pushed by A reaches B through a poke, not a poll', async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    await crosses(url, url, adminToken);
  });

  it("a device's own push does not poke it; every other device of the tenant is poked", async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    await ownPushSkipped(url, url, url, adminToken);
  });

  it('the stream needs a device token and the version headers', async () => {
    expect((await fetch(`${url}/v1/events`, { headers: V })).status).toBe(401);
    expect((await fetch(`${url}/v1/events`, { headers: { authorization: 'Bearer x' } })).status).toBe(400);
  });

  it("another tenant's change does not poke; the stream says poke on opening and pings when idle", async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const other = await newTenant(await sharedPglite());
    const e = await enrolOver(url, adminToken);
    const ctl = new AbortController();
    const res = await fetch(`${url}/v1/events`, { headers: auth(e.token), signal: ctl.signal });
    expect(res.headers.get('content-type')).toContain('text/event-stream');
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const o = device(url, await enrolOver(url, other.adminToken));
    o.store.createTicket();
    await syncOnce(o);
    while (!text.includes(': ping')) text += (await reader.read()).value ?? '';
    ctl.abort();
    expect(text.match(/event: poke/g)).toHaveLength(1);
  });
});

describe('pokes: a revoked device', () => {
  let app: FastifyInstance;
  let url: string;
  beforeAll(async () => {
    app = await makeApp(await sharedPglite());
    url = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => app.close());

  it('its open stream ends when an admin revokes it, and it cannot open another', async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const e = await enrolOver(url, adminToken);
    const res = await fetch(`${url}/v1/events`, { headers: auth(e.token) });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain('event: poke');
    expect((await fetch(`${url}/v1/admin/devices/${e.deviceId}/revoke`, { method: 'POST', headers: auth(adminToken) })).status).toBe(200);
    let r = await reader.read();
    while (!r.done) r = await reader.read();
    expect(r.done).toBe(true);
    expect((await fetch(`${url}/v1/events`, { headers: auth(e.token) })).status).toBe(401);
  });
});

describe.skipIf(!postgresInstalled())('pokes across two vakt server processes on one PostgreSQL', () => {
  let db: TestPostgres | null = null;
  const pgUrl = () => db!.url;
  const procs: Proc[] = [];
  beforeAll(async () => {
    db = await startPostgres();
    procs.push(await spawnServer(tmpDir('vakt-poke-1-'), {}, db!.url, true));
    procs.push(await spawnServer(tmpDir('vakt-poke-2-'), {}, db!.url));
  }, 120_000);
  afterAll(async () => {
    for (const p of procs) {
      p.child.kill('SIGTERM');
      await p.exited;
    }
    await db?.drop();
  });

  it('A on server 1 pushes; B, listening on server 2, pulls at once', async () => {
    const [one, two] = procs as [Proc, Proc];
    await crosses(one.url, two.url, one.adminToken!);
    // and the other way round
    await crosses(two.url, one.url, one.adminToken!);
  });

  it("a device's own push, through server 1, does not poke its stream on server 2; the tenant's other devices there are poked", async () => {
    const [one, two] = procs as [Proc, Proc];
    await ownPushSkipped(two.url, one.url, one.url, one.adminToken!);
  });

  it('a poke in the old form (the tenant only, from a server not updated yet) pokes every device of the tenant', async () => {
    const [one, two] = procs as [Proc, Proc];
    const e = await enrolOver(one.url, one.adminToken!);
    const s = await stream(two.url, e);
    await s.until(1);
    const me = (await (await fetch(`${two.url}/v1/me`, { headers: auth(e.token) })).json()) as { tenantId: string };
    const c = new pg.Client({ connectionString: pgUrl() });
    await c.connect();
    try {
      await c.query('SELECT pg_notify($1, $2)', [POKE_CHANNEL, me.tenantId]);
    } finally {
      await c.end();
    }
    await s.until(2);
    expect((await fetch(`${one.url}/v1/admin/devices/${e.deviceId}/revoke`, { method: 'POST', headers: auth(one.adminToken!) })).status).toBe(200);
    expect(await s.end()).toBe(2);
  });

  it('a server whose LISTEN connection was cut listens again (and pokes its devices once)', async () => {
    const [one, two] = procs as [Proc, Proc];
    const c = new pg.Client({ connectionString: pgUrl() });
    await c.connect();
    try {
      const cut = await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN ${POKE_CHANNEL}%'`);
      expect(cut.rowCount).toBe(2);
    } finally {
      await c.end();
    }
    await crosses(one.url, two.url, one.adminToken!);
  });

  it('a device revoked through server 1 is refused by server 2 at once: its stream there ends, its cached token is forgotten', async () => {
    const [one, two] = procs as [Proc, Proc];
    const e = await enrolOver(one.url, one.adminToken!);
    // Server 2 knows the token (cached for 5 s) and holds the device's stream.
    expect((await fetch(`${two.url}/v1/me`, { headers: auth(e.token) })).status).toBe(200);
    const res = await fetch(`${two.url}/v1/events`, { headers: auth(e.token) });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toContain('event: poke');
    expect((await fetch(`${one.url}/v1/admin/devices/${e.deviceId}/revoke`, { method: 'POST', headers: auth(one.adminToken!) })).status).toBe(200);
    // Without the revocation crossing, the stream on server 2 stays open (it pings every 25 s) and this never ends.
    let r = await reader.read();
    while (!r.done) r = await reader.read();
    const again = await fetch(`${two.url}/v1/me`, { headers: auth(e.token) });
    expect(again.status).toBe(401);
    expect(((await again.json()) as { error: string }).error).toBe('token_revoked');
  });
});

if (!postgresInstalled()) console.warn(`pokes.test.ts: PostgreSQL part skipped: ${PG_MISSING}`);
