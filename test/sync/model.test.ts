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
import { HttpSyncTransport } from '../../main/sync/http-transport.js';
import type { Db } from '../../server/db.js';
import { enrol, injectFetch, makeApp, newTenant, prng, serverSnapshot, sharedPglite } from '../server/helpers.js';
import { FaultyNet, interpret, opArb } from '../server/model.js';
import type { ModelActor, Op } from '../server/model.js';
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
    const actors = devices.map(({ d, t }): ModelActor => ({
      ticketIds: () => d.ticketIds(),
      createTicket: (by) => void d.createTicket(`t by ${by}`),
      note: (ticket, text) => void d.note(ticket, text),
      setStatus: (ticket, status) => void d.setStatus(ticket, status),
      setPriority: (ticket, p) => void d.setPriority(ticket, p),
      assign: (ticket, who) => void d.assign(ticket, who),
      edit: (ticket, field, value) => void d.edit(ticket, field, value),
      resolve: (c, v) => {
        const all = d.store.sync.conflicts();
        const conflict = all.length ? all[c % all.length] : undefined;
        if (conflict && !conflict.resolving) d.store.sync.resolveConflict(conflict.id, conflict.candidates[v % conflict.candidates.length]!.value);
      },
      sync: () => syncOnce(d, t),
    }));
    await interpret(ops, clock, net, actors);

    const server = await serverSnapshot(app, adminToken);
    const openConflicts = server.conflicts.filter((c) => c.status === 'open').map((c) => c.id).sort();
    for (const { d, deviceId } of devices) {
      expect(await d.sync.counts(), `device ${deviceId}`).toMatchObject({ pending: 0, conflicts: openConflicts.length });
      expect(d.ticketIds()).toEqual(server.tickets.map((t) => t.id).sort());
      for (const t of server.tickets) {
        const mine = d.store.tickets.get(t.id);
        expect(mine && [mine.status, mine.priority, mine.assignee, mine.title, mine.description, mine.customerRef], `ticket ${t.id} on ${deviceId}`).toEqual([t.status, t.priority, t.assignee, t.title, t.description, t.customerRef]);
        expect(d.eventIds(t.id)).toEqual(server.events.filter((e) => e.ticketId === t.id).map((e) => e.id).sort());
      }
      expect(d.store.sync.conflicts().map((c) => c.id).sort()).toEqual(openConflicts);
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
