/**
 * The model-based sync test (test/server/model.ts) with real SQLite devices:
 * random offline edits and syncs through the faulty network (drops,
 * duplicates, delayed/reordered requests, replies lost after commit); after
 * healing every device's local rows and timelines equal the server's and every
 * mutation is in the server's log exactly once with the outcome the device
 * recorded. Fixed seed (VAKT_MODEL_SEED); VAKT_SYNC_MODEL_RUNS runs.
 */
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ManualClock } from '../../core/clock.js';
import { CONFLICT_FIELDS, TICKET_STATUSES } from '../../core/sync/mutations.js';
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import type { Db } from '../../server/db.js';
import { enrol, injectFetch, makeApp, newTenant, prng, serverSnapshot, sharedPglite } from '../server/helpers.js';
import { FaultyNet, opArb } from '../server/model.js';
import type { Op } from '../server/model.js';
import type { SqliteDevice } from './helpers.js';
import { cleanupTempDirs, sqliteDevice } from './helpers.js';

let app: FastifyInstance;
/** The devices' and the server's one clock (the server checks event times against its own); it only moves on. */
const clock = new ManualClock(Date.UTC(2026, 3, 1, 8, 0));
let db: Db;
beforeAll(async () => {
  db = await sharedPglite();
  app = await makeApp(db, { clock });
});
afterAll(async () => {
  await app.close();
  cleanupTempDirs();
});

async function syncOnce(d: SqliteDevice, t: HttpSyncTransport): Promise<void> {
  for (;;) {
    const batch = await d.sync.pendingMutations(20);
    if (!batch.length) break;
    const r = await t.push(batch);
    await d.sync.markResults(r.results);
    if (!r.results.length) break;
  }
  for (;;) {
    const page = await t.pull(await d.sync.cursor(), 4);
    await d.sync.applyPulled(page);
    if (!page.more) break;
  }
}

async function run(seed: number, ops: Op[]): Promise<void> {
  const rand = prng(seed);
  const { tenantId, adminToken } = await newTenant(db);
  const net = new FaultyNet(injectFetch(app), rand);
  const devices: { d: SqliteDevice; t: HttpSyncTransport; deviceId: string }[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const d = sqliteDevice({ clock, machineId: `model-${i}` });
      const e = await enrol(app, adminToken, 'duty_officer', `device ${i}`, d.store.caseNumbers.active().prefix);
      d.store.sync.enrol({ serverUrl: 'http://vakt.test', tenantId: e.tenantId, deviceId: e.deviceId, role: e.role, casePrefix: e.casePrefix });
      devices.push({ d, deviceId: e.deviceId, t: new HttpSyncTransport({ baseUrl: 'http://vakt.test', token: () => e.token, fetch: net.fetch }) });
    }
    const pick = <T>(xs: T[], n: number): T | undefined => (xs.length ? xs[n % xs.length] : undefined);
    for (const op of ops) {
      if (op.k === 'tick') {
        clock.advance(op.ms);
        continue;
      }
      if (op.k === 'deliver') {
        net.deliver();
        continue;
      }
      const dev = devices[op.d % devices.length]!;
      const d = dev.d;
      const ticket = 't' in op ? pick(d.ticketIds(), op.t) : undefined;
      switch (op.k) {
        case 'create':
          d.createTicket(`t by ${op.d}`);
          break;
        case 'note':
          if (ticket) d.note(ticket, `note from ${op.d}`);
          break;
        case 'status':
          if (ticket) d.setStatus(ticket, TICKET_STATUSES[op.s]!);
          break;
        case 'priority':
          if (ticket) d.setPriority(ticket, `P${op.v}`);
          break;
        case 'assign':
          if (ticket) d.assign(ticket, op.v === 0 ? null : `tech-${op.v}`);
          break;
        case 'edit':
          if (ticket) d.edit(ticket, CONFLICT_FIELDS[op.f === 0 ? 1 : 2]!, `v${op.v}-by-${op.d}`);
          break;
        case 'resolve': {
          const c = pick(d.store.sync.conflicts(), op.c);
          if (c && !c.resolving) d.store.sync.resolveConflict(c.id, c.candidates[op.v % c.candidates.length]!.value);
          break;
        }
        case 'sync':
          await syncOnce(d, dev.t).catch(() => undefined);
          break;
      }
    }
    await net.drain();
    net.faults = false;
    for (let round = 0; round < 3; round++) for (const x of devices) await syncOnce(x.d, x.t);

    const server = await serverSnapshot(app, adminToken);
    const openConflicts = server.conflicts
      .filter((c) => c.status === 'open')
      .map((c) => c.id)
      .sort();
    for (const { d, deviceId } of devices) {
      expect(await d.sync.counts(), `device ${deviceId}`).toMatchObject({ pending: 0, conflicts: openConflicts.length });
      expect(d.ticketIds()).toEqual(server.tickets.map((t) => t.id).sort());
      for (const t of server.tickets) {
        const mine = d.store.tickets.get(t.id);
        expect(mine && [mine.status, mine.priority, mine.assignee, mine.title, mine.description, mine.customerRef], `ticket ${t.id} on ${deviceId}`).toEqual([
          t.status,
          t.priority,
          t.assignee,
          t.title,
          t.description,
          t.customerRef,
        ]);
        expect(d.eventIds(t.id)).toEqual(
          server.events
            .filter((e) => e.ticketId === t.id)
            .map((e) => e.id)
            .sort(),
        );
      }
      expect(
        d.store.sync
          .conflicts()
          .map((c) => c.id)
          .sort(),
      ).toEqual(openConflicts);
      expect(d.store.db.pragma('foreign_key_check')).toEqual([]);
    }
    // every mutation the devices pushed is logged once, with the outcome the device recorded
    const log = await db.query<{ id: string; status: string }>('SELECT id, status FROM mutations WHERE tenant_id = $1', [tenantId]);
    const byId = new Map(log.rows.map((r) => [r.id, r.status]));
    let total = 0;
    for (const { d } of devices) {
      const out = d.store.db.prepare('SELECT id, status, reason FROM outbox WHERE seq IS NOT NULL').all() as { id: string; status: string; reason: string | null }[];
      total += out.length;
      for (const m of out) {
        expect(byId.get(m.id), m.id).toBe(m.status);
        if (m.status === 'rejected') expect(['ticket_closed']).toContain(m.reason);
      }
    }
    expect(log.rows.length).toBe(total);
  } finally {
    for (const x of devices) x.d.close();
  }
}

it('SQLite devices converge with the server after random offline edits through a faulty network', async () => {
  const seed = Number(process.env.VAKT_MODEL_SEED ?? 20260401);
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(opArb(3), { minLength: 10, maxLength: 80 }), (s, ops) => run(s, ops)),
    { seed, numRuns: Number(process.env.VAKT_SYNC_MODEL_RUNS ?? 12), endOnFailure: true },
  );
}, 240_000);
