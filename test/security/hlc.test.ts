/**
 * Issue 21 finding 1: "anyone's name, anyone's clock". The node of a change's HLC must be the pushing
 * device, and its wall time at most MAX_CLOCK_AHEAD_MS ahead of the server; a refused change never
 * moves the tenant's HLC, and a later honest change is not `superseded` by it.
 */
import { describe, expect, it } from 'vitest';
import { MAX_CLOCK_AHEAD_MS } from '../../core/sync/protocol.js';
import { hlcWall } from '../../core/sync/hlc.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { auth, enrol, injectFetch, makeDevice, newTenant, randomSource, syncOnce } from '../server/helpers.js';
import { onBothDatabases } from './server.js';
import type { Enrolled, TestDevice } from '../server/helpers.js';

const HOUR = 3_600_000;

onBothDatabases('HLC: the pushing device, a server-bounded clock', (s) => {
  /** A device that stamps its changes as `node` with a clock `offset` ahead, pushing with `e`'s token. */
  const forger = (e: Enrolled, node: string, offset: number) => ({
    store: new MemorySyncStore({ deviceId: node, casePrefix: e.casePrefix, clock: { now: () => Date.now() + offset }, random: randomSource(Math.random), maxDriftMs: 100 * HOUR }),
    transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: injectFetch(s.app) }),
  });
  const tenantHlc = async (token: string): Promise<string | null> => {
    const r = await s.app.inject({ method: 'POST', url: '/v1/sync/pull', headers: auth(token), payload: { cursor: '0', limit: 1 } });
    return r.json().hlc as string | null;
  };

  /** A duty officer's device with a synced ticket, and the tenant's HLC after it. */
  const officerWithTicket = async () => {
    const { adminToken } = await newTenant(s.db);
    const officer = await makeDevice(s.app, adminToken, { role: 'duty_officer' });
    const { ticketId } = officer.store.createTicket({ priority: 'P3' });
    await syncOnce(officer);
    return { adminToken, officer, ticketId, before: await tenantHlc(officer.enrolled.token) };
  };
  /** The officer's real change afterwards is applied, not `superseded` by the refused one. */
  const honestChangeWins = async (officer: TestDevice, ticketId: string) => {
    officer.store.setPriority(ticketId, 'P2');
    await syncOnce(officer);
    expect(officer.store.outbox.at(-1)).toMatchObject({ status: 'applied', message: null });
    expect(officer.store.tickets.get(ticketId)?.priority).toBe('P2');
  };

  it("a change stamped with another device's id is refused (foreign_hlc); the other's real change is not superseded", async () => {
    const { adminToken, officer, ticketId, before } = await officerWithTicket();
    const tech = await enrol(s.app, adminToken, 'duty_officer', 'insider');

    const spoof = forger(tech, officer.enrolled.deviceId, 0);
    await syncOnce(spoof);
    spoof.store.setPriority(ticketId, 'P1');
    await syncOnce(spoof);
    expect(spoof.store.outbox.at(-1)).toMatchObject({ status: 'rejected', reason: 'foreign_hlc' });
    expect(spoof.store.outbox.at(-1)?.message).toContain(officer.enrolled.deviceId);
    expect(await tenantHlc(officer.enrolled.token)).toBe(before);

    await honestChangeWins(officer, ticketId);
  });

  it('a change stamped 35 h ahead is refused with how far the clock is ahead; the tenant HLC does not move; the honest change wins', async () => {
    const { adminToken, officer, ticketId, before } = await officerWithTicket();
    const other = await enrol(s.app, adminToken, 'duty_officer', 'fast clock');

    const fast = forger(other, other.deviceId, 35 * HOUR);
    await syncOnce(fast);
    fast.store.setPriority(ticketId, 'P1');
    fast.store.createTicket();
    await syncOnce(fast);
    expect(fast.store.outbox.map((m) => [m.status, m.reason])).toEqual([
      ['rejected', 'clock_ahead'],
      ['rejected', 'clock_ahead'],
    ]);
    expect(fast.store.outbox[0]?.message).toMatch(/^This device's clock is 3[45] hours ahead of the server's \(at most 5 minutes allowed\)/);
    expect(await tenantHlc(officer.enrolled.token)).toBe(before);

    await honestChangeWins(officer, ticketId);
  });

  it('a clock 10 minutes ahead is refused; within the allowed skew, and offline work from days ago, is applied', async () => {
    expect(MAX_CLOCK_AHEAD_MS).toBeLessThanOrEqual(5 * 60_000);
    const { adminToken } = await newTenant(s.db);
    const e1 = await enrol(s.app, adminToken);
    const ahead10 = forger(e1, e1.deviceId, 10 * 60_000);
    ahead10.store.createTicket();
    await syncOnce(ahead10);
    expect(ahead10.store.outbox[0]).toMatchObject({ status: 'rejected', reason: 'clock_ahead' });
    expect(ahead10.store.outbox[0]?.message).toMatch(/^This device's clock is (9|10) minutes ahead/);

    const e2 = await enrol(s.app, adminToken);
    const slightly = forger(e2, e2.deviceId, MAX_CLOCK_AHEAD_MS - 60_000);
    // Registered and noted three days ago, offline (the event times are in the past; the HLC is now).
    const { ticketId } = slightly.store.createTicket({ createdAt: Date.now() - 72 * HOUR });
    slightly.store.addEvent(ticketId, 'note', { text: 'written three days ago, offline' }, Date.now() - 71 * HOUR);
    await syncOnce(slightly);
    expect(slightly.store.outbox.map((m) => m.status)).toEqual(['applied', 'applied']);
    const hlc = await tenantHlc(e2.token);
    expect(hlcWall(hlc as string)).toBeLessThanOrEqual(Date.now() + MAX_CLOCK_AHEAD_MS);
  });
});
