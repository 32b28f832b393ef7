/**
 * Issue 21 item 2: event times a server can stand behind (server/event-times.ts, docs/sync.md
 * "Event times"). A real server on a socket, devices over HTTP, the server's clock and the devices'
 * clocks one manual clock (days pass between the steps).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ManualClock } from '../../core/clock.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import type { Db } from '../../server/db.js';
import { auth, enrol, makeApp, newTenant, randomSource, serverSnapshot, sharedPglite, syncOnce } from '../server/helpers.js';

const MIN = 60_000;
const DAY = 86_400_000;
const CONTRACT = {
  calendars: { '24x7': { timezone: 'Europe/Oslo', week: '24x7' } },
  policies: { normal: { calendar: '24x7', targets: { response: { within: { hours: 4 } }, resolution: { within: { hours: 24 } } } } },
};

const clock = new ManualClock(Date.UTC(2026, 10, 2, 9, 0));
let app: FastifyInstance;
let db: Db;
let base: string;

beforeAll(async () => {
  db = await sharedPglite();
  app = await makeApp(db, { clock });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => app?.close());

async function device(adminToken: string, role: 'duty_officer' | 'technician', name: string) {
  const e = await enrol(app, adminToken, role, name);
  const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({ baseUrl: base, token: () => e.token });
  return { enrolled: e, store, transport };
}

async function tenantWithTicket() {
  const { adminToken } = await newTenant(db);
  const put = await app.inject({ method: 'PUT', url: '/v1/admin/sla-contract', headers: auth(adminToken), payload: CONTRACT });
  expect(put.statusCode, put.body).toBe(200);
  const officer = await device(adminToken, 'duty_officer', 'Duty laptop');
  const createdAt = clock.now();
  const { ticketId } = officer.store.createTicket({ policy: 'normal', createdAt });
  await syncOnce(officer);
  return { adminToken, officer, ticketId, createdAt };
}

const response = async (adminToken: string) => (await serverSnapshot(app, adminToken)).tickets[0]?.sla?.targets.find((t) => t.metric === 'response');

describe('event times (issue 21 item 2)', () => {
  it('a backdated `responded` (one minute after creation, pushed 5 days later) is refused `backdated`, and the response target keeps running', async () => {
    const { adminToken, ticketId, createdAt } = await tenantWithTicket();
    const tech = await device(adminToken, 'technician', 'Tech phone');
    await syncOnce(tech); // the technician's device syncs as usual
    clock.advance(5 * DAY);
    await syncOnce(tech);
    tech.store.addEvent(ticketId, 'responded', { text: 'called the customer' }, createdAt + MIN);
    await syncOnce(tech);
    const [m] = tech.store.outbox;
    expect([m?.status, m?.reason]).toEqual(['rejected', 'backdated']);
    expect(m?.message).toMatch(new RegExp(`^event\\.at: ${new Date(createdAt + MIN).toISOString()} is 4 days before this device last synced \\(${new Date(createdAt + 5 * DAY).toISOString()}`));
    const snap = await serverSnapshot(app, adminToken);
    expect(snap.events.map((e) => e.type)).toEqual(['created']);
    expect((await response(adminToken))?.stoppedAt).toBeNull();
  });

  it('an event before the ticket was created is refused (a visit_step a year before; the creator one minute before); nothing is stored', async () => {
    const { adminToken, officer, ticketId, createdAt } = await tenantWithTicket();
    const tech = await device(adminToken, 'technician', 'Tech phone');
    await syncOnce(tech);
    tech.store.addEvent(ticketId, 'visit_step', { step: 'arrive' }, createdAt - 365 * DAY);
    officer.store.addEvent(ticketId, 'note', { text: 'typed a minute before the call' }, createdAt - MIN);
    await syncOnce(tech);
    await syncOnce(officer);
    const step = tech.store.outbox.find((x) => x.name === 'ticket.event');
    expect([step?.status, step?.reason]).toEqual(['rejected', 'backdated']);
    expect(step?.message).toMatch(new RegExp(`^event\\.at: ${new Date(createdAt - 365 * DAY).toISOString()} is 365 days before the ticket was created \\(${new Date(createdAt).toISOString()}\\)`));
    const note = officer.store.outbox.find((x) => x.name === 'ticket.event');
    expect([note?.status, note?.reason]).toEqual(['rejected', 'backdated']);
    const snap = await serverSnapshot(app, adminToken);
    expect(snap.events.filter((e) => e.ticketId === ticketId).map((e) => e.type)).toEqual(['created']);
  });

  it('a ticket made up days later (created "5 days ago" by a device that synced since, with a response a minute later) is refused', async () => {
    const { adminToken } = await tenantWithTicket();
    const tech = await device(adminToken, 'duty_officer', 'Second desk');
    await syncOnce(tech);
    clock.advance(5 * DAY);
    await syncOnce(tech);
    const createdAt = clock.now() - 5 * DAY + MIN;
    const { ticketId } = tech.store.createTicket({ policy: 'normal', createdAt });
    tech.store.addEvent(ticketId, 'responded', {}, createdAt + MIN);
    await syncOnce(tech);
    expect(tech.store.outbox.map((m) => [m.status, m.reason])).toEqual([
      ['rejected', 'backdated'],
      ['rejected', 'unknown_ticket'],
    ]);
    expect(tech.store.outbox[0]?.message).toMatch(/^createdAt: .* is 4 days before this device last synced/);
    expect((await serverSnapshot(app, adminToken)).tickets.map((t) => t.id)).not.toContain(ticketId);
  });

  it('a device offline for days pushes what it recorded offline, in several batches: all applied, with the receipt time and the device', async () => {
    const { adminToken, ticketId, createdAt } = await tenantWithTicket();
    const tech = await device(adminToken, 'technician', 'Tech phone');
    clock.advance(10 * MIN);
    await syncOnce(tech); // last sync before going offline
    clock.advance(20 * MIN);
    const respondedAt = clock.now();
    tech.store.addEvent(ticketId, 'responded', { text: 'on site, no network' }, respondedAt);
    for (let i = 0; i < 5; i++) {
      clock.advance(DAY);
      tech.store.addEvent(ticketId, 'note', { text: `day ${i + 1}` });
    }
    clock.advance(DAY);
    const receivedAt = clock.now();
    // Back online: the outbox in batches of two (no pull in between), then a pull.
    for (;;) {
      const batch = await tech.store.pendingMutations(2);
      if (!batch.length) break;
      await tech.store.markResults((await tech.transport.push(batch)).results);
    }
    expect(tech.store.outbox.map((m) => m.status)).toEqual(Array(6).fill('applied'));
    const snap = await serverSnapshot(app, adminToken);
    const responded = snap.events.find((e) => e.type === 'responded');
    expect(responded).toMatchObject({ at: respondedAt, receivedAt, deviceId: tech.enrolled.deviceId, deviceName: 'Tech phone' });
    expect(snap.events.find((e) => e.type === 'created')).toMatchObject({ at: createdAt, receivedAt: createdAt, deviceName: 'Duty laptop' });
    expect((await response(adminToken))?.stoppedAt).toBe(respondedAt);
  });
});
