/**
 * The pull cursor never skips a change that committed concurrently: many
 * devices push at once while an observer keeps pulling with small pages;
 * the observer ends with exactly the server's state.
 */
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Db } from '../../server/db.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { pgliteApp, postgresApp } from './apps.js';
import { injectFetch, makeDevice, newTenant, randomSource, serverSnapshot, syncOnce, systemClock } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

async function concurrentPushesWhilePulling(app: FastifyInstance, db: Db): Promise<void> {
  const { adminToken } = await newTenant(db);
  const devices = await Promise.all(Array.from({ length: 8 }, () => makeDevice(app, adminToken)));
  const observer = {
    store: new MemorySyncStore({ deviceId: 'observer', casePrefix: 'ZZ', clock: systemClock, random: randomSource(Math.random) }),
    transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => adminToken, fetch: injectFetch(app) }),
  };
  let done = false;
  const seen: number[] = [];
  const puller = (async () => {
    while (!done) {
      const page = await observer.transport.pull(await observer.store.cursor(), 7);
      await observer.store.applyPulled(page);
      for (const c of page.changes)
        seen.push(
          c.kind === 'ticket'
            ? c.ticket.version
            : c.kind === 'event'
              ? c.event.version
              : c.kind === 'conflict'
                ? c.conflict.version
                : c.kind === 'record'
                  ? c.record.version
                  : c.kind === 'ack'
                    ? c.ack.version
                    : c.userSettings.version,
        );
    }
  })();
  await Promise.all(
    devices.map(async (d) => {
      for (let round = 0; round < 6; round++) {
        const { ticketId } = d.store.createTicket();
        d.store.addEvent(ticketId, 'note');
        d.store.setPriority(ticketId, `P${round}`);
        await syncOnce(d);
      }
    }),
  );
  done = true;
  await puller;
  await syncOnce(observer);
  const server = await serverSnapshot(app, adminToken);
  expect(server.tickets).toHaveLength(48);
  expect(server.events).toHaveLength(96);
  expect(observer.store.snapshot()).toEqual(server);
  expect(seen.length).toBeGreaterThan(0);
}

describe('pull cursor under concurrent pushes (PGlite)', () => {
  const get = pgliteApp();
  it('skips nothing', async () => concurrentPushesWhilePulling(get().app, get().db));
});

describe.skipIf(!postgresInstalled())(`pull cursor under concurrent pushes (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const get = postgresApp({ max: 16 });
  it('skips nothing (real concurrent transactions)', async () => {
    for (let i = 0; i < 3; i++) await concurrentPushesWhilePulling(get().app, get().db);
  });
});
