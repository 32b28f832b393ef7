/**
 * kill -9 of the server process in the middle of a push: before the commit
 * (the transaction must vanish) and after it (the resend must come back as
 * duplicates), and at random moments under load. Against PGlite (the
 * embedded default) and against PostgreSQL when installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { randomSource, syncOnce, systemClock, tmpDir } from './helpers.js';
import { enrolOver, kill9, spawnServer } from './processes.js';
import type { Proc } from './processes.js';
import { PG_MISSING, postgresInstalled, startPostgres } from './pg.js';
import type { TestPostgres } from './pg.js';

function device(urlRef: { url: string }, e: { deviceId: string; token: string; casePrefix: string }) {
  const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: e.casePrefix, clock: systemClock, random: randomSource(Math.random) });
  const transport = new HttpSyncTransport({
    baseUrl: 'http://placeholder',
    token: () => e.token,
    fetch: (u, init) => fetch(u.replace('http://placeholder', urlRef.url), init as RequestInit) as never,
    timeoutMs: 20_000,
  });
  return { store, transport };
}

function makeChanges(store: MemorySyncStore, tickets: number): void {
  for (let i = 0; i < tickets; i++) {
    const { ticketId } = store.createTicket({ description: `ticket ${i}` });
    store.addEvent(ticketId, 'note', { text: `note ${i}` });
    store.setPriority(ticketId, 'P2');
  }
}

async function verify(store: MemorySyncStore, urlRef: { url: string }, token: string, tickets: number): Promise<void> {
  expect((await store.counts()).pending).toBe(0);
  expect(store.outbox.every((m) => m.status === 'applied')).toBe(true);
  const observer = device(urlRef, { deviceId: 'observer', token, casePrefix: 'ZZ' });
  await syncOnce(observer);
  const snap = observer.store.snapshot();
  expect(snap.tickets.length).toBe(tickets);
  expect(snap.events.length).toBe(tickets * 2);
  expect(new Set(snap.tickets.map((t) => t.caseNumber)).size).toBe(tickets);
  expect(snap).toEqual(store.snapshot());
}

function suite(name: string, getDatabaseUrl: () => string | undefined) {
  describe(name, () => {
    it('kill -9 before the push commits: nothing half-applied; the resend applies everything once', async () => {
      const dir = tmpDir();
      const url = getDatabaseUrl();
      // The hook holds the push before its commit until the kill.
      let p = await spawnServer(dir, { VAKT_TEST_PUSH_DELAY_MS: '600000' }, url, true);
      const ref = { url: p.url };
      const admin = p.adminToken!;
      const dev = device(ref, await enrolOver(p.url, admin));
      makeChanges(dev.store, 30);
      const inFlight = syncOnce(dev).then(
        () => 'ok',
        (e: Error) => e.message,
      );
      await p.says('test hook: push before commit');
      await kill9(p);
      expect(await inFlight).toMatch(/cannot reach/);
      expect((await dev.store.counts()).pending).toBe(90);
      p = await spawnServer(dir, {}, url);
      ref.url = p.url;
      await syncOnce(dev);
      await verify(dev.store, ref, admin, 30);
      await kill9(p);
    }, 120_000);

    it('kill -9 after the commit, before the reply: the resend yields duplicates', async () => {
      const dir = tmpDir();
      const url = getDatabaseUrl();
      // The hook holds the reply after the commit until the kill.
      let p = await spawnServer(dir, { VAKT_TEST_PUSH_REPLY_DELAY_MS: '600000' }, url, true);
      const ref = { url: p.url };
      const admin = p.adminToken!;
      const dev = device(ref, await enrolOver(p.url, admin));
      makeChanges(dev.store, 20);
      const batch = await dev.store.pendingMutations(1000);
      const inFlight = dev.transport.push(batch).then(
        () => 'ok',
        (e: Error) => e.message,
      );
      await p.says('test hook: push committed');
      await kill9(p);
      expect(await inFlight).toMatch(/cannot reach/);
      p = await spawnServer(dir, {}, url);
      ref.url = p.url;
      const again = await dev.transport.push(batch);
      expect(again.results.every((r) => r.status === 'duplicate' && r.outcome === 'applied')).toBe(true);
      await dev.store.markResults(again.results);
      await syncOnce(dev);
      await verify(dev.store, ref, admin, 20);
      await kill9(p);
    }, 120_000);

    it('kill -9 at random moments while pushing: no loss, no duplicates', async () => {
      const dir = tmpDir();
      const url = getDatabaseUrl();
      let p = await spawnServer(dir, {}, url, true);
      const ref = { url: p.url };
      const admin = p.adminToken!;
      const dev = device(ref, await enrolOver(p.url, admin));
      const tickets = 150;
      makeChanges(dev.store, tickets);
      for (let round = 0; round < 3; round++) {
        let stop = false;
        const pusher = (async () => {
          while (!stop) {
            const batch = await dev.store.pendingMutations(7);
            if (!batch.length) return;
            try {
              await dev.store.markResults((await dev.transport.push(batch)).results);
            } catch {
              return;
            }
          }
        })();
        await new Promise((r) => setTimeout(r, 150 + Math.random() * 400));
        await kill9(p);
        stop = true;
        await pusher;
        p = await spawnServer(dir, {}, url);
        ref.url = p.url;
      }
      await syncOnce(dev);
      await verify(dev.store, ref, admin, tickets);
      await kill9(p);
    }, 180_000);
  });
}

suite('server crash (PGlite data dir)', () => undefined);

describe.skipIf(!postgresInstalled())(`server crash (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  let pg: TestPostgres | null = null;
  const urls: string[] = [];
  beforeAll(async () => {
    pg = await startPostgres();
  });
  afterAll(async () => {
    await pg?.drop();
  });
  // Each first start passes --bootstrap, so each test gets its own tenant in the one test database.
  suite('', () => pg?.url);
});
