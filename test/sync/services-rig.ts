/**
 * Devices that are each the app's services (store, alert scheduler, handover, sync) over their own
 * SQLite store on a fake clock, enrolled with a real sync server (in-process, one shared PGlite).
 * `servicesRig()` registers the server's and the devices' lifecycle with the test file.
 */
import type { FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { createServices } from '../../main/app/services.js';
import type { Services } from '../../main/app/services.js';
import { MemoryNotifier } from '../../main/notify/notifier.js';
import { FakeTimers } from '../helpers/fake-timers.js';
import { dispatchOk } from '../helpers/services.js';
import { auth, injectFetch, makeApp, sharedPglite } from '../server/helpers.js';
import { cleanupTempDirs, tempDir } from './helpers.js';

export interface RigDevice {
  services: Services;
  notifier: MemoryNotifier;
  timers: FakeTimers;
  /** The user the device is enrolled as. */
  userId: string;
}

export function servicesRig() {
  let app: FastifyInstance;
  const devices: RigDevice[] = [];
  /** The server reads the test's fake clock too: it refuses changes from a clock more than 5 minutes ahead of its own. */
  let serverClock = new ManualClock(Date.now());
  beforeAll(async () => {
    app = await makeApp(await sharedPglite(), { clock: { now: () => serverClock.now() } });
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.services.dispose();
    cleanupTempDirs();
  });
  afterAll(async () => {
    await app.close();
  });
  return {
    /** The clock of the devices and the server, set to a whole minute near now. */
    clock(): ManualClock {
      return (serverClock = new ManualClock(Math.floor(Date.now() / 60_000) * 60_000));
    },
    /** A device enrolled with a code the admin makes at `url` (a new person, or another device of one). */
    async device(clock: ManualClock, adminToken: string, url: string, payload: Record<string, unknown>): Promise<RigDevice> {
      const notifier = new MemoryNotifier();
      const timers = new FakeTimers(clock);
      const services = await createServices({ clock, timers, notifier, dataDir: tempDir(), host: 'browser', timezone: 'Europe/Oslo', clockWatch: false, syncFetch: injectFetch(app) });
      const d = { services, notifier, timers, userId: '' };
      devices.push(d);
      const c = await app.inject({ method: 'POST', url, headers: auth(adminToken), payload });
      expect(c.statusCode).toBe(201);
      await dispatchOk(services, 'sync.enrol', { serverUrl: 'http://vakt.test', code: (c.json() as { code: string }).code });
      d.userId = (await services.context.store.oncall.me()) ?? '';
      expect(d.userId).toBeTruthy();
      return d;
    },
    /** Moves the fake clock to `to`, firing every device's due timers at their instants, in order. */
    async advanceTo(clock: ManualClock, to: number): Promise<void> {
      for (;;) {
        let first: { d: RigDevice; at: number } | null = null;
        for (const d of devices) {
          const at = d.timers.nextAt();
          if (at !== null && at <= to && (!first || at < first.at)) first = { d, at };
        }
        if (!first) break;
        const { services } = first.d;
        await first.d.timers.advanceTo(Math.max(first.at, clock.now()), async () => {
          await services.context.scheduler.idle();
          await services.handover.idle();
        });
      }
      clock.set(to);
    },
    /** A ticket registered on `d` with policy "high" (response within 1 h round the clock; its breach is a critical alert). */
    async urgentTicket(d: RigDevice, on: { customerId: string; contractId: string }, more: { assignee?: string } = {}) {
      const t = await d.services.context.store.tickets.register({
        ...on,
        channel: 'phone',
        policy: 'high',
        title: 'Core switch down',
        intake: { fault_description: 'no link on uplinks', mobile_number: '+45 72 12 00 00' },
        ...more,
      });
      await d.services.context.ticketsChanged([t.id]);
      return t;
    },
    /** One full sync cycle on each device, in order. */
    async syncAll(...ds: RigDevice[]): Promise<void> {
      for (const d of ds) expect(await dispatchOk(d.services, 'sync.now', {})).toMatchObject({ state: 'up_to_date' });
    },
  };
}
