/**
 * AttachmentSync on its own: the device's real SQLite transfer queue, a real
 * sync server (PGlite, in-process), and injected timers and randomness, so the
 * retry schedule is checked deterministically.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { AttachmentSync } from '../../main/sync/attachment-sync.js';
import { storeAttachmentBytes } from '../../main/sync/attachment-files.js';
import type { FetchLike } from '../../main/sync/http-transport.js';
import type { TimerScheduler } from '../../main/sync/worker.js';
import { auth, enrol, makeApp, newTenant, sharedPglite } from '../server/helpers.js';
import type { SqliteDevice } from './helpers.js';
import { cleanupTempDirs, sqliteDevice } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await makeApp(await sharedPglite());
});
afterAll(async () => {
  await app.close();
});
const devices: SqliteDevice[] = [];
afterEach(() => {
  for (const d of devices.splice(0)) d.close();
  cleanupTempDirs();
});

/** Timers that only run when the test says so. */
function manualTimers() {
  const pending = new Map<number, { fn: () => void; ms: number }>();
  let next = 1;
  const timers: TimerScheduler = {
    setTimeout: (fn, ms) => {
      pending.set(next, { fn, ms });
      return next++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  return {
    timers,
    pending,
    fireAll: () => {
      const all = [...pending.values()];
      pending.clear();
      for (const t of all) t.fn();
    },
  };
}

function fetchVia(app: FastifyInstance, drop: (method: string, n: number) => boolean, log: string[]): FetchLike {
  let n = 0;
  return async (url, init) => {
    const u = new URL(url);
    log.push(`${init.method} ${u.pathname.slice(-6)}`);
    if (drop(init.method, ++n)) throw new Error('network is unreachable');
    const res = await app.inject({ method: init.method as 'PUT', url: u.pathname, headers: init.headers, ...(init.body !== undefined ? { payload: Buffer.from(init.body as Uint8Array) } : {}) });
    const raw = Buffer.from(res.rawPayload);
    return {
      status: res.statusCode,
      headers: {
        get: (h: string) => {
          const v = res.headers[h.toLowerCase()];
          return v === undefined ? null : String(v);
        },
      },
      text: async () => raw.toString('utf8'),
      arrayBuffer: async () => raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.length),
    };
  };
}

describe('AttachmentSync', () => {
  it('stops at a network failure (the next photo is not tried), backs off per file with jitter, and retries from its own timer', async () => {
    const { adminToken } = await newTenant(await sharedPglite());
    const token = (await enrol(app, adminToken, 'technician')).token;
    const clock = new ManualClock(Date.UTC(2026, 11, 1, 9));
    const d = sqliteDevice({ clock });
    devices.push(d);
    const ticketId = d.createTicket('Two photos');
    const shas = [randomBytes(5000), randomBytes(6000)].map((b) => {
      const sha = storeAttachmentBytes(d.dataDir, b);
      d.store.tickets.appendEvent(ticketId, { type: 'photo', data: { sha256: sha, name: 'p.jpg', mime: 'image/jpeg', size: b.length } });
      clock.advance(1000);
      return sha;
    });
    const log: string[] = [];
    let offline = true;
    const t = manualTimers();
    const changes: number[] = [];
    const s = new AttachmentSync({
      queue: d.store.attachments,
      dataDir: d.dataDir,
      baseUrl: 'http://vakt.test',
      token: () => token,
      clock,
      fetch: fetchVia(app, () => offline, log),
      timers: t.timers,
      random: () => 0.5,
      minBackoffMs: 2_000,
      onChange: () => changes.push(1),
    });
    s.start();

    const r1 = await s.runNow();
    expect(r1).toMatchObject({ uploaded: 0, stopped: true });
    expect(log).toEqual([`HEAD ${shas[0]!.slice(-6)}`]); // the second photo was not tried
    const first = d.store.attachments.get(shas[0]!);
    expect(first).toMatchObject({ status: 'pending', attempts: 1, errorCode: 'offline' });
    expect(first!.nextAttemptAt - clock.now()).toBe(1_500); // 2 s, equal jitter at 0.5: 1 s + 0.5 s
    expect(d.store.attachments.get(shas[1]!)).toMatchObject({ attempts: 0 });
    expect(t.pending.size).toBe(0); // offline: no timer of its own; the next ticket sync kicks a run
    expect(await d.store.attachments.counts()).toMatchObject({ uploads: 2, lastError: expect.stringMatching(/network is unreachable/) });

    // A kicked run before the backoff has passed tries only the photo not yet failed.
    offline = false;
    log.length = 0;
    s.kick();
    expect(t.pending.size).toBe(1);
    t.fireAll();
    await s.idle();
    expect(log.filter((l) => l.startsWith('HEAD'))).toEqual([`HEAD ${shas[1]!.slice(-6)}`]);
    expect(d.store.attachments.get(shas[1]!)).toMatchObject({ status: 'done' });
    // ... and schedules its own timer for the first photo's retry.
    expect([...t.pending.values()].map((p) => p.ms)).toEqual([1_500]);
    clock.advance(1_500);
    t.fireAll();
    await s.idle();
    expect(d.store.attachments.get(shas[0]!)).toMatchObject({ status: 'done' });
    expect(t.pending.size).toBe(0); // nothing left to do
    for (const sha of shas) expect((await app.inject({ method: 'HEAD', url: `/v1/attachments/${sha}`, headers: auth(token) })).headers['upload-complete']).toBe('1');
    expect(changes.length).toBeGreaterThanOrEqual(3);
    s.stop();
  });
});
