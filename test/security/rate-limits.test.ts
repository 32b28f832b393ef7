/**
 * Rate limits that cannot be sidestepped (server/limits.ts, app.ts): failed authentication is limited
 * per client address before any token lookup; authenticated requests are limited per device, whatever
 * the header's spelling; enrolment failures are limited per source and per code (behind a proxy with
 * `trustProxy`, per real client), and a refused code never tells whether it exists. /metrics needs an
 * admin token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import type { Db } from '../../server/db.js';
import { V, auth, enrol, makeApp, newTenant, sharedPglite } from '../server/helpers.js';

let db: Db;
const apps: FastifyInstance[] = [];
beforeAll(async () => {
  db = await sharedPglite();
});
afterAll(async () => {
  for (const a of apps) await a.close();
});

/** The shared database, counting token lookups. */
function countingDb(): { db: Db; lookups: () => number } {
  let n = 0;
  const proxy = new Proxy(db, {
    get(t, k) {
      const v = Reflect.get(t, k) as unknown;
      if (k === 'query') {
        return (sql: string, params?: unknown[]) => {
          if (sql.includes('d.token_hash')) n++;
          return t.query(sql, params);
        };
      }
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(t) : v;
    },
  });
  return { db: proxy, lookups: () => n };
}

async function app(o: Parameters<typeof makeApp>[1]): Promise<FastifyInstance> {
  const a = await makeApp(o?.db ?? db, o);
  apps.push(a);
  return a;
}

const pull = (a: FastifyInstance, headers: Record<string, string>, remoteAddress = '192.0.2.1') => a.inject({ method: 'POST', url: '/v1/sync/pull', headers, payload: {}, remoteAddress });

describe('requests that fail authentication', () => {
  it('are limited per client address before the token lookup; known tokens and other addresses go on', async () => {
    const counting = countingDb();
    const a = await app({ db: counting.db, rateLimit: { max: 1200, timeWindowMs: 60_000 }, authFailRateLimit: { max: 50, timeWindowMs: 60_000 } });
    const { adminToken } = await newTenant(db);
    expect((await pull(a, auth(adminToken))).statusCode).toBe(200); // seen just now: in the token cache
    const before = counting.lookups();
    const codes: number[] = [];
    for (let i = 0; i < 300; i++) codes.push((await pull(a, i % 3 === 0 ? V : auth(`vakt_bad${i}`))).statusCode);
    expect(codes.filter((c) => c === 401)).toHaveLength(50);
    expect(codes.filter((c) => c === 429)).toHaveLength(250);
    expect(codes.slice(50).every((c) => c === 429)).toBe(true);
    expect(counting.lookups() - before).toBeLessThanOrEqual(50);
    const r = await pull(a, auth('vakt_bad'));
    expect(r.json()).toMatchObject({ error: 'rate_limited', message: expect.stringContaining('failed authentication from this address') });
    expect(Number(r.headers['retry-after'])).toBeGreaterThan(0);
    // The admin's token (recently seen) still works from that address, and a new device from another.
    expect((await pull(a, auth(adminToken))).statusCode).toBe(200);
    const d = await enrol(a, adminToken);
    expect((await pull(a, auth(d.token), '192.0.2.77')).statusCode).toBe(200);
  });
});

describe('authenticated requests', () => {
  it("are limited per device: 'bearer', extra spaces or another header spelling get no fresh allowance", async () => {
    const a = await app({ rateLimit: { max: 5, timeWindowMs: 60_000 } });
    const { adminToken } = await newTenant(db);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await pull(a, auth(adminToken))).statusCode);
    expect(codes).toEqual([200, 200, 200, 200, 200]);
    for (const h of [`Bearer ${adminToken}`, `bearer ${adminToken}`, `BEARER  ${adminToken}`, `Bearer\t${adminToken}`]) {
      const r = await pull(a, { ...V, authorization: h });
      expect([h.slice(0, 8), r.statusCode]).toEqual([h.slice(0, 8), 429]);
    }
  });
});

describe('enrolment', () => {
  const newCode = async (a: FastifyInstance, adminToken: string, ttlMinutes = 60): Promise<string> => {
    const c = await a.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(adminToken), payload: { userName: 'Ola', ttlMinutes } });
    expect(c.statusCode, c.body).toBe(201);
    return c.json().code as string;
  };
  const enrolAt = (a: FastifyInstance, code: string, forwardedFor: string) =>
    a.inject({ method: 'POST', url: '/v1/enrol', headers: { ...V, 'x-forwarded-for': forwardedFor }, payload: { code, deviceName: 'laptop' }, remoteAddress: '127.0.0.1' });

  it('behind a proxy (trustProxy), one client failing does not lock out another client of the same proxy', async () => {
    const a = await app({ trustProxy: '127.0.0.1', rateLimit: { max: 1200, timeWindowMs: 60_000 }, enrolRateLimit: { max: 5, timeWindowMs: 600_000 } });
    const { adminToken } = await newTenant(db);
    const tries: number[] = [];
    for (let i = 0; i < 8; i++) tries.push((await enrolAt(a, `AAAA-BBBB-CC${i}${i}`, '203.0.113.9')).statusCode);
    expect(tries).toEqual([401, 401, 401, 401, 401, 429, 429, 429]);
    expect((await enrolAt(a, await newCode(a, adminToken), '203.0.113.9')).statusCode).toBe(429);
    expect((await enrolAt(a, await newCode(a, adminToken), '198.51.100.7')).statusCode).toBe(201);
  });

  it('successful enrolments do not use up the allowance; failures of one code are limited whatever the source', async () => {
    const a = await app({ trustProxy: '127.0.0.1', rateLimit: { max: 1200, timeWindowMs: 60_000 }, enrolRateLimit: { max: 3, timeWindowMs: 600_000 } });
    const { adminToken } = await newTenant(db);
    for (let i = 0; i < 6; i++) expect((await enrolAt(a, await newCode(a, adminToken), '198.51.100.8')).statusCode).toBe(201);
    const used = await newCode(a, adminToken);
    expect((await enrolAt(a, used, '198.51.100.9')).statusCode).toBe(201);
    const again = [1, 2, 3, 4].map((i) => `198.51.100.${20 + i}`);
    const codes: number[] = [];
    for (const src of again) codes.push((await enrolAt(a, used, src)).statusCode);
    expect(codes).toEqual([401, 401, 401, 429]);
  });

  it('an unknown, a used and an expired code get the same answer', async () => {
    let now = Date.now();
    const clock: Clock = { now: () => now };
    const a = await app({ clock });
    const { adminToken } = await newTenant(db);
    const used = await newCode(a, adminToken);
    expect((await enrolAt(a, used, '198.51.100.1')).statusCode).toBe(201);
    const expired = await newCode(a, adminToken, 1);
    now += 2 * 60_000;
    const answers = await Promise.all(
      ['AAAA-BBBB-CCCC', used, expired].map(async (c) => {
        const r = await enrolAt(a, c, '198.51.100.1');
        return [r.statusCode, r.json()];
      }),
    );
    expect(answers[0]).toEqual([401, { error: 'invalid_code', message: expect.stringContaining('unknown, already used or expired') }]);
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });
});

describe('/metrics', () => {
  it('needs an admin token (no version headers needed)', async () => {
    const a = await app({});
    const { adminToken } = await newTenant(db);
    const officer = await enrol(a, adminToken);
    expect((await a.inject('/metrics')).statusCode).toBe(401);
    expect((await a.inject({ url: '/metrics', headers: { authorization: 'Bearer vakt_nope' } })).statusCode).toBe(401);
    const forbidden = await a.inject({ url: '/metrics', headers: { authorization: `Bearer ${officer.token}` } });
    expect(forbidden.statusCode).toBe(403);
    const ok = await a.inject({ url: '/metrics', headers: { authorization: `Bearer ${adminToken}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.body).toContain('vakt_http_requests_total');
  });
});
