/**
 * Sync wired into the app's services (what both hosts serve): the sync.*
 * contract methods through the dispatcher, the `sync.status` event, local
 * changes kicking the worker, resume-after-sleep waking it, pulled tickets
 * re-planned and announced as `tickets.changed`.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ClockWatchDeps } from '../../main/alerts/clock-watch.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { createServices } from '../../main/app/services.js';
import type { PushEvent } from '../../core/api/contract.js';
import { dispatchOk } from '../helpers/services.js';
import { auth, injectFetch, makeApp, makeDevice, newTenant, sharedPglite, syncOnce, systemClock } from '../server/helpers.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

let app: FastifyInstance;
beforeAll(async () => {
  app = await makeApp(await sharedPglite());
});
afterAll(async () => {
  await app.close();
  cleanupTempDirs();
});

async function until<T>(what: string, fn: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

it('serves sync.* and the sync.status event; local changes kick the worker, resume wakes it, pulled tickets are announced', async () => {
  const { adminToken } = await newTenant(await sharedPglite());
  let wall = Date.now();
  let tick: () => void = () => {};
  const clockWatch: ClockWatchDeps = {
    wallNow: () => wall,
    monoNow: () => 0,
    zone: () => 'Europe/Oslo',
    setInterval: (fn) => ((tick = fn), 1),
    clearInterval: () => {},
  };
  const dataDir = tempDir();
  const services = await createServices({ clock: systemClock, notifier: new MemoryNotifier(), dataDir, host: 'browser', timezone: 'Europe/Oslo', clockWatch, syncFetch: injectFetch(app) });
  const events: PushEvent[] = [];
  services.events.on((e) => void events.push(e));
  try {
    expect(await dispatchOk(services, 'sync.status', {})).toMatchObject({ state: 'not_enrolled', enrolled: false, pending: 0 });
    expect(await services.dispatch('sync.now', {})).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await services.dispatch('sync.enrol', { serverUrl: 'ftp://x', code: 'ABCD-EFGH' })).toMatchObject({ ok: false, error: { code: 'invalid_request', path: 'serverUrl' } });
    const bad = await services.dispatch('sync.enrol', { serverUrl: 'http://vakt.test', code: 'NOPE-NOPE-NOPE' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'conflict' } });

    const c = await app.inject({ method: 'POST', url: '/v1/admin/enrolment-codes', headers: auth(adminToken), payload: { userName: 'Kari', role: 'duty_officer' } });
    const st = await dispatchOk(services, 'sync.enrol', { serverUrl: 'http://vakt.test', code: (c.json() as { code: string }).code });
    expect(st).toMatchObject({ enrolled: true, role: 'duty_officer', serverUrl: 'http://vakt.test' });
    expect(statSync(join(dataDir, 'sync-token')).mode & 0o777).toBe(0o600);
    expect(events.some((e) => e.name === 'sync.status' && (e.payload as { enrolled: boolean }).enrolled)).toBe(true);
    await until(
      'first sync',
      () => dispatchOk(services, 'sync.status', {}),
      (s) => s.state === 'up_to_date',
    );

    // a local change kicks the worker: pushed without asking
    const store = services.context.store;
    const customer = await store.customers.createCustomer({ name: 'Bergen Bryggeri' });
    const t = await store.tickets.register({ customerId: customer.id, channel: 'phone', title: 'Cooling alarm' });
    await services.context.ticketsChanged([t.id]);
    await until(
      'the push',
      () => dispatchOk(services, 'sync.status', {}),
      (s) => s.pending === 0 && s.state === 'up_to_date',
    );

    // another device adds a ticket; after a sleep, the clock watch wakes the worker, which pulls it in
    const other = await makeDevice(app, adminToken);
    const remote = other.store.createTicket({ title: 'Gate stuck open' });
    await syncOnce(other);
    events.length = 0;
    wall += 10 * 60_000; // the wall clock jumped while the monotonic one stood still: resume
    tick();
    await until(
      'the pull after resume',
      async () => events,
      (ev) => ev.some((e) => e.name === 'tickets.changed' && (e.payload as { ticketIds: string[] }).ticketIds.includes(remote.ticketId)),
    );
    expect((await store.tickets.get(remote.ticketId))?.title).toBe('Gate stuck open');
    expect(await dispatchOk(services, 'sync.rejected', {})).toEqual({ items: [] });
    expect(await dispatchOk(services, 'sync.conflicts', {})).toEqual({ items: [] });
    const now = await dispatchOk(services, 'sync.now', {});
    expect(now).toMatchObject({ state: 'up_to_date', pending: 0, rejected: 0, conflicts: 0 });
    expect(now.lastSyncAt).toEqual(expect.any(Number));
  } finally {
    await services.dispose();
  }
});
