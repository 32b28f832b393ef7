/**
 * Bodies the server refuses (server/bodies.ts), over real sockets: JSON nested 50k levels deep is a
 * 400 with a message, and a body over the limit is a 413 the client reads in full, after which the
 * same connection serves the next request.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { V, auth, makeApp, newTenant, sharedPglite } from './helpers.js';

const LIMIT = 1024 * 1024;
let db: Db;
let app: FastifyInstance;
let port: number;
let adminToken: string;
beforeAll(async () => {
  db = await sharedPglite();
  app = await makeApp(db, { bodyLimit: LIMIT });
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as { port: number }).port;
  ({ adminToken } = await newTenant(db));
});
afterAll(async () => app.close());

describe('deeply nested JSON', () => {
  it('50k levels of arrays or objects get 400 invalid_request on every JSON route, not 500', async () => {
    const n = 50_000;
    const bodies = ['['.repeat(n) + ']'.repeat(n), `{"mutations":[{"payload":${'{"a":'.repeat(n)}1${'}'.repeat(n)}}]}`, `{"calendars":${'['.repeat(n)}${']'.repeat(n)}}`];
    const routes = [
      ['POST', '/v1/sync/push'],
      ['POST', '/v1/sync/pull'],
      ['POST', '/v1/enrol'],
      ['POST', '/v1/admin/enrolment-codes'],
      ['PUT', '/v1/admin/sla-contract'],
    ] as const;
    for (const body of bodies) {
      for (const [method, url] of routes) {
        const r = await fetch(`http://127.0.0.1:${port}${url}`, { method, headers: { ...auth(adminToken), 'content-type': 'application/json' }, body });
        expect([url, r.status]).toEqual([url, 400]);
        expect(await r.json()).toEqual({ error: 'invalid_request', message: expect.stringMatching(/^body: JSON nested 500\d\d levels deep; at most 64 levels of arrays and objects are allowed$/) });
      }
    }
    // A real contract (about 8 levels) still goes through.
    const ok = await fetch(`http://127.0.0.1:${port}/v1/admin/sla-contract`, {
      method: 'PUT',
      headers: { ...auth(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({
        calendars: { c: { timezone: 'Europe/Oslo', week: { mon: [['08:00', '16:00']], tue: [], wed: [], thu: [], fri: [], sat: [], sun: [] } } },
        policies: { p: { calendar: 'c', targets: { response: { within: { minutes: 60 } } } } },
      }),
    });
    expect(ok.status, await ok.text()).toBe(200);
  });
});

/** Reads whole HTTP/1.1 responses (with a content-length) off a socket. */
function responses(s: net.Socket): () => Promise<{ status: number; headers: string; body: string }> {
  let buf = '';
  const waiting: (() => void)[] = [];
  s.on('data', (d) => {
    buf += d.toString('latin1');
    waiting.splice(0).forEach((w) => w());
  });
  s.on('close', () => waiting.splice(0).forEach((w) => w()));
  return async () => {
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end >= 0) {
        const headers = buf.slice(0, end);
        const len = Number(/content-length: (\d+)/i.exec(headers)?.[1] ?? 0);
        if (buf.length >= end + 4 + len) {
          const body = buf.slice(end + 4, end + 4 + len);
          buf = buf.slice(end + 4 + len);
          return { status: Number(headers.split(' ')[1]), headers, body };
        }
      }
      if (s.destroyed) throw new Error(`connection closed; received ${JSON.stringify(buf.slice(0, 200))}`);
      await new Promise<void>((r) => waiting.push(r));
    }
  };
}

describe('a body over the limit', () => {
  for (const framing of ['content-length', 'chunked'] as const) {
    it(`(${framing}, 20 MB, sent whole before reading) gets 413; the same connection then answers /health`, async () => {
      const total = 20 * 1024 * 1024;
      const s = net.connect(port, '127.0.0.1');
      const errors: string[] = [];
      s.on('error', (e) => errors.push(e.message));
      s.pause(); // like a client that sends its whole request before it reads
      const head = Object.entries({ ...auth(adminToken), 'content-type': 'application/json', ...(framing === 'chunked' ? { 'transfer-encoding': 'chunked' } : { 'content-length': String(total) }) })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      const chunk = Buffer.alloc(64 * 1024, 'x');
      const frame = framing === 'chunked' ? Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]) : chunk;
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.write(`POST /v1/sync/pull HTTP/1.1\r\nhost: vakt.test\r\n${head}\r\n\r\n`);
        let sent = 0;
        const more = (): void => {
          while (sent < total) {
            sent += chunk.length;
            if (!s.write(frame)) return void s.once('drain', more);
          }
          s.write(framing === 'chunked' ? '0\r\n\r\n' : '', () => resolve());
        };
        more();
      });
      const next = responses(s);
      s.resume();
      const r = await next();
      expect(r.status).toBe(413);
      expect(JSON.parse(r.body)).toMatchObject({ error: 'body_too_large', message: expect.stringContaining(`${LIMIT} bytes`) });
      s.write(
        `GET /health HTTP/1.1\r\nhost: vakt.test\r\n${Object.entries(V)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\r\n')}\r\n\r\n`,
      );
      const h = await next();
      expect(h.status).toBe(200);
      expect(JSON.parse(h.body)).toMatchObject({ status: 'ok' });
      expect(errors).toEqual([]);
      s.destroy();
    });
  }
});
