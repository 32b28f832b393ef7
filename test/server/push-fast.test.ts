/**
 * The push's fast path and its careful retry (server/push.ts), and the PostgreSQL statement
 * plumbing under it (server/db.ts: deferred writes, statements PREPAREd once per connection).
 * On PGlite always, on PostgreSQL when it is installed.
 */
import { describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { formatCaseNumber } from '../../core/ids/case-number.js';
import { createPgDb } from '../../server/db.js';
import type { Db } from '../../server/db.js';
import { MemorySyncStore } from '../../main/sync/memory-store.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { pgliteApp, postgresApp } from './apps.js';
import { enrol, injectFetch, makeDevice, newTenant, randomSource, serverSnapshot, syncOnce, systemClock } from './helpers.js';
import { PG_MISSING, postgresInstalled } from './pg.js';

const POISON = 'refused by the database';

function pushTests(get: () => { app: FastifyInstance; db: Db }): void {
  it('a value the checks let through but the database refuses rejects that change only (the push runs again carefully)', async () => {
    const { app, db } = get();
    await db.query(`ALTER TABLE tickets ADD CONSTRAINT test_poison CHECK (title IS DISTINCT FROM '${POISON}')`);
    try {
      const { adminToken } = await newTenant(db);
      const d = await makeDevice(app, adminToken);
      const a = d.store.createTicket({ title: 'first' }).ticketId;
      d.store.createTicket({ title: POISON });
      const c = d.store.createTicket({ title: 'third' }).ticketId;
      d.store.setPriority(a, 'P1');
      await syncOnce(d);
      expect(d.store.outbox.map((m) => [m.status, m.reason])).toEqual([
        ['applied', null],
        ['rejected', 'invalid_payload'],
        ['applied', null],
        ['applied', null],
      ]);
      expect(d.store.outbox[1]?.message).toContain('test_poison');
      const server = await serverSnapshot(app, adminToken);
      expect(server.tickets.map((t) => t.title).sort()).toEqual(['first', 'third']);
      expect(server.tickets.find((t) => t.id === a)?.priority).toBe('P1');
      expect(server.tickets.some((t) => t.id === c)).toBe(true);
      // The device's queue moved on: the next push is fast again and applies.
      d.store.setPriority(c, 'P2');
      await syncOnce(d);
      expect(d.store.outbox.at(-1)?.status).toBe('applied');
    } finally {
      await db.query('ALTER TABLE tickets DROP CONSTRAINT test_poison');
    }
  });

  it('a rejected change writes nothing: a provisional prefix is not claimed by a create refused ticket_exists', async () => {
    const { app, db } = get();
    const { adminToken, tenantId } = await newTenant(db);
    const other = await makeDevice(app, adminToken);
    const taken = other.store.createTicket({ title: 'taken id' }).ticketId;
    await syncOnce(other);
    const prov = '9X4M2QZ7';
    const e = await enrol(app, adminToken, 'duty_officer', 'late');
    const store = new MemorySyncStore({ deviceId: e.deviceId, casePrefix: prov, clock: systemClock, random: randomSource(Math.random) });
    const dev = { store, transport: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: injectFetch(app) }) };
    store.createTicket({ caseNumber: formatCaseNumber(prov, 1) });
    // the same id as the other device's ticket: refused after the prefix check
    (store.outbox[0]!.payload as { ticketId: string }).ticketId = taken;
    await syncOnce(dev);
    expect(store.outbox[0]).toMatchObject({ status: 'rejected', reason: 'ticket_exists' });
    const claimed = await db.query('SELECT 1 FROM case_prefixes WHERE tenant_id = $1 AND prefix = $2', [tenantId, prov]);
    expect(claimed.rows).toEqual([]);
  });

  it('priority changes of many devices on one ticket at once: the latest HLC wins, every change applied once', async () => {
    const { app, db } = get();
    const { adminToken } = await newTenant(db);
    const devices = await Promise.all(Array.from({ length: 6 }, () => makeDevice(app, adminToken)));
    const id = devices[0]!.store.createTicket({ title: 'shared' }).ticketId;
    await syncOnce(devices[0]!);
    for (const d of devices.slice(1)) await syncOnce(d);
    for (let round = 0; round < 3; round++) {
      await Promise.all(
        devices.map(async (d, i) => {
          d.store.setPriority(id, `P${(i + round) % 4}`);
          d.store.createTicket({ title: `from ${i}` });
          await syncOnce(d);
        }),
      );
    }
    for (const d of devices) await syncOnce(d);
    const server = await serverSnapshot(app, adminToken);
    const last = devices.flatMap((d) => d.store.outbox.filter((m) => m.name === 'ticket.setPriority')).sort((a, b) => (a.hlc < b.hlc ? 1 : -1))[0]!;
    expect(server.tickets.find((t) => t.id === id)?.priority).toBe((last.payload as { priority: string }).priority);
    expect(devices.every((d) => d.store.outbox.every((m) => m.status === 'applied'))).toBe(true);
    expect(server.tickets).toHaveLength(1 + 3 * devices.length);
    for (const d of devices) expect(d.store.snapshot().tickets).toEqual(server.tickets);
  });
}

describe('push: fast path and careful retry (PGlite)', () => {
  pushTests(pgliteApp());
});

describe.skipIf(!postgresInstalled())(`push: fast path and careful retry (PostgreSQL)${postgresInstalled() ? '' : ` -- skipped: ${PG_MISSING}`}`, () => {
  const get = postgresApp({ max: 4 });
  pushTests(get);

  it('statements are PREPAREd once per connection; a failed message leaves the connection usable and prepares nothing twice', async () => {
    const one = createPgDb(get().url!, { max: 1 });
    try {
      await one.exec('CREATE TEMP TABLE IF NOT EXISTS t_prep (id int PRIMARY KEY, v text)');
      const insert = 'INSERT INTO t_prep (id, v) VALUES ($1, $2)';
      const read = 'SELECT v FROM t_prep WHERE id = ANY($1::int[]) ORDER BY id';
      for (let i = 0; i < 3; i++) {
        const rows = await one.transaction(async (tx) => {
          await tx.defer(insert, [i * 2, `it's ${i}`]);
          await tx.defer(insert, [i * 2 + 1, null]);
          const [r] = await tx.queryAll([{ sql: read, params: [[i * 2, i * 2 + 1]] }]);
          return r!.rows;
        });
        expect(rows).toEqual([{ v: `it's ${i}` }, { v: null }]);
      }
      const prepared = await one.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'x\\_%'`);
      expect(prepared.rows[0]!.n).toBe(2);
      // A message that fails (duplicate key) after a new statement's PREPARE: rolled back, and the
      // next use of that statement on this connection does not PREPARE it again.
      const upsert = 'INSERT INTO t_prep (id, v) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET v = excluded.v';
      await expect(
        one.transaction(async (tx) => {
          await tx.defer(upsert, [100, 'never']);
          await tx.defer(insert, [0, 'duplicate']);
          await tx.queryAll([{ sql: read, params: [[0]] }]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      await one.transaction(async (tx) => {
        await tx.defer(upsert, [100, 'now']);
        await tx.queryAndCommit(read, [[100]]);
      });
      expect((await one.query(read, [[0, 100]])).rows).toEqual([{ v: "it's 0" }, { v: 'now' }]);
    } finally {
      await one.close();
    }
  });

  it('values reach PostgreSQL only as EXECUTE arguments: text that looks like SQL stays a value; statements too long to keep are prepared for one message and dropped', async () => {
    const one = createPgDb(get().url!, { max: 1 });
    try {
      await one.exec('CREATE TEMP TABLE IF NOT EXISTS t_lit (id int PRIMARY KEY, v text)');
      const hostile = `x'); DROP TABLE t_lit; -- $1 \\ E'\\n' $$`;
      // a comment, an E'' string and a long text (not kept prepared): each once made the statement go on its own
      const long = `INSERT INTO t_lit (id, v) VALUES ($1, $2 || E'' || ${"''".padEnd(4_100, ' ')}) -- a comment $2`;
      const read = 'SELECT id, v FROM t_lit ORDER BY id';
      const rows = await one.transaction(async (tx) => {
        await tx.defer('INSERT INTO t_lit (id, v) VALUES ($1, $2) -- $1', [1, hostile]);
        await tx.defer(long, [2, hostile]);
        const [r] = await tx.queryAll([{ sql: read, params: [] }]);
        return r!.rows;
      });
      expect(rows).toEqual([
        { id: 1, v: hostile },
        { id: 2, v: hostile },
      ]);
      // a failing message with a one-off statement in it: rolled back, and nothing left prepared
      await expect(
        one.transaction(async (tx) => {
          await tx.defer(long, [3, 'never']);
          await tx.defer(long, [1, 'duplicate']);
          await tx.queryAll([{ sql: read, params: [] }]);
        }),
      ).rejects.toMatchObject({ code: '23505' });
      const left = await one.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE name LIKE 'o\\_%'`);
      expect(left.rows[0]!.n).toBe(0);
      expect((await one.query(read)).rows).toEqual([
        { id: 1, v: hostile },
        { id: 2, v: hostile },
      ]);
    } finally {
      await one.close();
    }
  });
});
