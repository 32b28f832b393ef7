/**
 * The app's side of "the node of every HLC is the pushing device" (issue 21 finding 1), on real SQLite
 * stores driven by the app's SyncService against a real server:
 * - an enrolled device stamps its changes with the id the server gave it; changes made before
 *   enrolment are restamped at enrolment (test/sync/devices.test.ts "enrols with a one-time code"
 *   pushes one) and, for a store enrolled before this rule, at its next start;
 * - a change refused because the clock was ahead is listed with how far ahead it was, and once the
 *   clock is set right the next change is accepted (the HLC does not keep the refused time).
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../core/clock.js';
import { openStore } from '../../db/store.js';
import { FileTokenStore } from '../../main/sync/token-store.js';
import { SyncService } from '../../main/sync/service.js';
import { auth, injectFetch, makeApp, newTenant, sharedPglite } from '../server/helpers.js';
import { cleanupTempDirs, sqliteDevice, tempDir } from '../sync/helpers.js';

const HOUR = 3_600_000;

describe('HLC on a real device', () => {
  let app: FastifyInstance;
  let admin: string;
  beforeAll(async () => {
    app = await makeApp(await sharedPglite());
    admin = (await newTenant(await sharedPglite())).adminToken;
  });
  afterAll(async () => {
    await app.close();
    cleanupTempDirs();
  });
  const code = async (): Promise<string> => {
    const r = await app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(admin), payload: { role: 'duty_officer', userName: 'Kari' } });
    return (r.json() as { code: string }).code;
  };

  it('a change refused for a clock 3 h ahead is listed with how far; after the clock is set right the next change is applied', async () => {
    let offset = 3 * HOUR;
    const clock: Clock = { now: () => Date.now() + offset };
    const d = sqliteDevice({ clock, machineId: 'fast-clock' });
    const sync = new SyncService({
      repo: d.store.sync,
      activePrefix: () => d.store.caseNumbers.active(),
      tokens: new FileTokenStore(join(d.dataDir, 'sync-token')),
      clock,
      fetch: injectFetch(app),
      timers: { setTimeout: () => 0, clearTimeout: () => {} },
      onTicketsChanged: () => {},
      onStatus: () => {},
    });
    try {
      await sync.enrol('http://vakt.test', await code());
      d.createTicket('stamped three hours ahead');
      expect(await sync.syncNow()).toMatchObject({ rejected: 1, pending: 0 });
      const refused = d.store.sync.rejected(10);
      expect(refused[0]).toMatchObject({ reason: 'clock_ahead' });
      expect(refused[0]?.message).toMatch(/^This device's clock is [23] hours ahead of the server's \(at most 5 minutes allowed\)/);

      offset = 0; // the person sets the clock right
      d.createTicket('after the clock was set right');
      expect(await sync.syncNow()).toMatchObject({ rejected: 1, pending: 0 });
      expect(d.store.db.prepare(`SELECT status FROM outbox WHERE seq IS NOT NULL ORDER BY seq`).all()).toEqual([{ status: 'rejected' }, { status: 'applied' }]);
    } finally {
      await sync.dispose();
      d.close();
    }
  });

  it("a store enrolled before the rule restamps its waiting changes with the server's id at start", async () => {
    const clock: Clock = { now: () => Date.now() };
    const dataDir = tempDir();
    let store = openStore({ dataDir, clock, machineId: 'old-store', supportCodeLogN: 10 });
    const local = store.info().deviceId;
    store.sync.enrol({ serverUrl: 'http://vakt.test', tenantId: 't', deviceId: 'server-id-1', role: 'duty_officer', casePrefix: 'K7' });
    const c = store.customers.createCustomer({ name: 'Fjordkraft Drift AS' });
    // What a store enrolled before the rule holds: waiting changes stamped with the local id.
    store.db.prepare(`UPDATE outbox SET hlc = substr(hlc, 1, 19) || ?`).run(local);
    store.close();
    store = openStore({ dataDir, clock, machineId: 'old-store', supportCodeLogN: 10 });
    try {
      store.tickets.register({ customerId: c.id, channel: 'phone' });
      const nodes = (store.db.prepare(`SELECT hlc FROM outbox WHERE status = 'pending' AND seq IS NOT NULL`).all() as { hlc: string }[]).map((r) => r.hlc.slice(19));
      expect(nodes.length).toBeGreaterThan(1);
      expect(new Set(nodes)).toEqual(new Set(['server-id-1']));
    } finally {
      store.close();
    }
  });
});
