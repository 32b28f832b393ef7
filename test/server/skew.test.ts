/**
 * Clock skew: a device a few minutes ahead (the most the server accepts, MAX_CLOCK_AHEAD_MS) and one a day
 * behind. LWW by HLC converges and the skewed device does not win forever. A device further ahead is refused:
 * test/security/hlc.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { MAX_CLOCK_AHEAD_MS } from '../../core/sync/protocol.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import type { Db } from '../../server/db.js';
import { enrol, injectFetch, makeApp, newTenant, randomSource, sharedPglite, syncOnce } from './helpers.js';

const DAY = 86_400_000;

describe('clock skew', () => {
  let db: Db;
  let app: FastifyInstance;
  beforeAll(async () => {
    db = await sharedPglite();
    app = await makeApp(db);
  });
  afterAll(async () => app.close());

  it('HLC absorbs remote time: whoever edits after seeing the skewed edit wins', async () => {
    let real = Date.UTC(2026, 3, 1, 9, 0);
    const clockAt = (offset: number): Clock => ({ now: () => real + offset });
    const { adminToken } = await newTenant(db);
    const mk = async (offset: number) => {
      const e = await enrol(app, adminToken);
      return {
        store: new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: clockAt(offset), random: randomSource(Math.random) }),
        transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: injectFetch(app) }),
      };
    };
    const normal = await mk(0);
    const ahead = await mk(MAX_CLOCK_AHEAD_MS - 60_000);
    const behind = await mk(-DAY);
    const all = [normal, ahead, behind];
    const syncAll = async () => {
      for (let i = 0; i < 2; i++) for (const d of all) await syncOnce(d);
    };
    const { ticketId } = normal.store.createTicket();
    await syncAll();

    // The device minutes ahead sets P1; everyone converges on it.
    ahead.store.setPriority(ticketId, 'P1');
    real += 1000;
    await syncAll();
    for (const d of all) expect(d.store.tickets.get(ticketId)?.priority).toBe('P1');

    // The device a day behind has seen it; its next edit wins although its wall clock is a day late.
    real += 1000;
    behind.store.setPriority(ticketId, 'P3');
    await syncAll();
    for (const d of all) expect(d.store.tickets.get(ticketId)?.priority).toBe('P3');

    // And the normal device, after syncing, wins over both.
    real += 1000;
    normal.store.assign(ticketId, 'kari');
    normal.store.setPriority(ticketId, 'P2');
    await syncAll();
    for (const d of all) expect(d.store.tickets.get(ticketId)).toMatchObject({ priority: 'P2', assignee: 'kari' });

    // Truly concurrent edits (nobody has seen the other's): the higher HLC wins everywhere -- one value, no flip-flop.
    real += 1000;
    ahead.store.setPriority(ticketId, 'PA');
    behind.store.setPriority(ticketId, 'PB');
    await syncAll();
    const winner = normal.store.tickets.get(ticketId)?.priority;
    expect(winner).toBe('PA');
    for (const d of all) expect(d.store.snapshot()).toEqual(normal.store.snapshot());
    // ...but the ahead device does not win forever: the behind device, having synced, wins its next edit.
    real += 1000;
    behind.store.setPriority(ticketId, 'PB2');
    await syncAll();
    for (const d of all) expect(d.store.tickets.get(ticketId)?.priority).toBe('PB2');
  });
});
