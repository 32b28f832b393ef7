/**
 * What the server checks in a push beyond the schema (server/checks.ts), over a real socket:
 * event instants against its clock and the supported range, and records against the app's checks.
 * A refused mutation stores nothing, and the server keeps answering.
 */
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { END_OF_RANGE_MS } from '../../core/time-range.js';
import { MAX_CLOCK_AHEAD_MS } from '../../core/sync/protocol.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { pgliteApp, postgresApp } from './apps.js';
import type { TestApp } from './apps.js';
import { V, auth, enrol, newTenant, randomSource, serverSnapshot, syncOnce, systemClock } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

const YEAR = 365.25 * 86_400_000;
const CONTRACT = {
  calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { normal: { calendar: '24x7', targets: { response: { within: { minutes: 60 } }, resolution: { within: { hours: 8 } } } } },
};

async function listen(app: FastifyInstance): Promise<string> {
  if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
}

/** A device that talks to the server over HTTP (global fetch, a real socket). */
async function httpDevice(app: FastifyInstance, adminToken: string, role: 'duty_officer' | 'technician' = 'duty_officer') {
  const e = await enrol(app, adminToken, role);
  const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: systemClock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({ baseUrl: await listen(app), token: () => e.token });
  return { enrolled: e, store, transport };
}

function suite(get: () => TestApp): void {
  it('an event far in the future is refused (clock_ahead / invalid_payload) before any SLA work; /health keeps answering', async () => {
    const { app } = get();
    const base = await listen(app);
    const { adminToken } = await newTenant(get().db);
    const put = await app.inject({ method: 'PUT', url: '/v1/admin/sla-contract', headers: auth(adminToken), payload: CONTRACT });
    expect(put.statusCode, put.body).toBe(200);
    const d = await httpDevice(app, adminToken);
    const { ticketId } = d.store.createTicket({ policy: 'normal' });
    await syncOnce(d);
    const now = Date.now();
    d.store.addEvent(ticketId, 'update_logged', { text: 'in range, 973 years ahead' }, END_OF_RANGE_MS - 1);
    d.store.addEvent(ticketId, 'update_logged', { text: '1000 years ahead' }, now + 1000 * YEAR);
    d.store.addEvent(ticketId, 'responded', { text: 'the largest Date' }, 8.64e15);
    d.store.addEvent(ticketId, 'responded', { text: 'before 2000' }, Date.UTC(1999, 11, 31));
    d.store.addEvent(ticketId, 'update_logged', { text: 'just past the allowed skew' }, now + MAX_CLOCK_AHEAD_MS + 60 * 60_000);
    d.store.addEvent(ticketId, 'note', { text: 'fine' }, now);
    const pending = await d.store.pendingMutations(10);
    const [push, health] = await Promise.all([d.transport.push(pending), fetch(`${base}/health`)]);
    expect(health.status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    expect(push.results.map((r) => [r.status, r.reason])).toEqual([
      ['rejected', 'clock_ahead'],
      ['rejected', 'invalid_payload'],
      ['rejected', 'invalid_payload'],
      ['rejected', 'invalid_payload'],
      ['rejected', 'clock_ahead'],
      ['applied', undefined],
    ]);
    expect(push.results[0]?.message).toMatch(/^event\.at: 2999-12-31T23:59:59\.999Z is 9\d\d years ahead of the server's clock \(at most 5 minutes allowed\)/);
    for (const i of [1, 2, 3]) expect(push.results[i]?.message).toMatch(/^event\.at: .*between 2000-01-01 and 2999-12-31/);
    await d.store.markResults(push.results);
    const snap = await serverSnapshot(app, adminToken);
    expect(snap.events.map((e) => e.data.text ?? e.type).sort()).toEqual(['created', 'fine']);
    expect(Math.min(...(snap.tickets[0]?.sla?.targets ?? []).map((t) => t.dueAt ?? Infinity))).toBeLessThan(now + YEAR); // the real deadline, not one years ahead
  });

  it("a ticket created in the far future is refused, and so is a record's createdAt", async () => {
    const { app } = get();
    const { adminToken } = await newTenant(get().db);
    const d = await httpDevice(app, adminToken);
    d.store.createTicket({ createdAt: Date.now() + 1000 * YEAR });
    d.store.putRecord('customer', 'cust-1', { name: 'Acme', createdAt: Date.now() + 2 * MAX_CLOCK_AHEAD_MS });
    await syncOnce(d);
    expect(d.store.outbox.map((m) => [m.status, m.reason])).toEqual([
      ['rejected', 'invalid_payload'],
      ['rejected', 'clock_ahead'],
    ]);
    expect(d.store.outbox[0]?.message).toMatch(/^createdAt: /);
    expect(d.store.outbox[1]?.message).toMatch(/^data\.createdAt: .* (9|10) minutes ahead/);
    const snap = await serverSnapshot(app, adminToken);
    expect(snap.tickets).toEqual([]);
    expect(snap.records).toEqual([]);
  });

  it('a contract the SLA engine cannot load is refused with the field named; no device pulls it', async () => {
    const { app } = get();
    const { adminToken } = await newTenant(get().db);
    const d = await httpDevice(app, adminToken);
    const other = await httpDevice(app, adminToken);
    const createdAt = Date.now();
    d.store.putRecord('customer', 'cust-1', { name: 'Acme', createdAt });
    const contract = (policySet: unknown, more: Record<string, unknown> = {}) => ({ customerId: 'cust-1', agreementNumber: 'SA1', policySet, defaultPolicy: 'normal', createdAt, ...more });
    // Five bad contracts, then a good one.
    d.store.putRecord('contract', 'con-1', contract({ calendars: { '24x7': { timezone: 'Mars/Olympus', week: '24x7' } }, policies: CONTRACT.policies }));
    d.store.putRecord('contract', 'con-1', contract({ calendars: CONTRACT.calendars, policies: { normal: { calendar: 'office', targets: {} } } }));
    d.store.putRecord('contract', 'con-1', contract(CONTRACT, { defaultPolicy: 'gold' }));
    d.store.putRecord('contract', 'con-1', contract(CONTRACT, { intakeFields: ['fault_description', 'shoe_size'] }));
    d.store.putRecord('contract', 'con-1', contract(CONTRACT, { validFrom: createdAt, validTo: createdAt - 1 }));
    d.store.putRecord('contract', 'con-1', contract(CONTRACT, { intakeFields: ['fault_description'] }));
    await syncOnce(d);
    const bad = ['rejected', 'invalid_payload'];
    expect(d.store.outbox.map((m) => [m.status, m.reason ?? m.message])).toEqual([['applied', null], bad, bad, bad, bad, bad, ['applied', null]]);
    expect(d.store.outbox[1]?.message).toMatch(/^data\.policySet\.calendars\.24x7\.timezone: /);
    expect(d.store.outbox[2]?.message).toMatch(/^data\.policySet\.policies\.normal/);
    expect(d.store.outbox[3]?.message).toBe('data.defaultPolicy: policy "gold" is not in policySet.policies');
    expect(d.store.outbox[4]?.message).toMatch(/^data\.intakeFields\.1: "shoe_size" is not an intake field/);
    expect(d.store.outbox[5]?.message).toBe('data.validTo: is before validFrom');
    // Then a bad edit of the stored contract: the other device keeps the good one.
    d.store.putRecord('contract', 'con-1', contract({ calendars: {}, policies: CONTRACT.policies }));
    await syncOnce(d);
    expect(d.store.outbox[7]).toMatchObject({ status: 'rejected', reason: 'invalid_payload' });
    await syncOnce(other);
    expect(other.store.snapshot().records.find((r) => r.id === 'con-1')?.data).toMatchObject({ policySet: CONTRACT, intakeFields: ['fault_description'] });
  });

  it('a push body with a mutation refused by the checks answers 200 with the others applied (nothing half-stored)', async () => {
    const { app } = get();
    const { adminToken } = await newTenant(get().db);
    const d = await httpDevice(app, adminToken);
    const { ticketId } = d.store.createTicket();
    d.store.addEvent(ticketId, 'note', { text: 'bad' }, 8.64e15);
    d.store.addEvent(ticketId, 'note', { text: 'good' });
    const r = await fetch(`${await listen(app)}/v1/sync/push`, {
      method: 'POST',
      headers: { ...V, ...auth(d.enrolled.token), 'content-type': 'application/json' },
      body: JSON.stringify({ mutations: await d.store.pendingMutations(10) }),
    });
    expect(r.status).toBe(200);
    expect(((await r.json()) as { results: { status: string }[] }).results.map((x) => x.status)).toEqual(['applied', 'rejected', 'applied']);
  });
}

describe('push checks (PGlite)', () => {
  suite(pgliteApp());
});

describe.skipIf(!postgresInstalled())(`push checks (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  suite(postgresApp());
});
