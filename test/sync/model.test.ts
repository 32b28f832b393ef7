/**
 * The model-based sync test (test/server/model.ts, its one interpreter and checks) with real SQLite
 * devices: random offline edits, customer records, acks and syncs through the faulty network
 * (drops, duplicates, delayed/reordered requests, replies lost after commit), technicians among
 * them; after healing every device's rows, timelines and acks equal the server's, every mutation is
 * in the server's log exactly once with the outcome the device recorded, no stale status change
 * undid a resolve or close and no refused change left a trace. Then the 250 status pairs
 * (test/server/status-pairs.ts) on two SQLite devices. Fixed seed (VAKT_MODEL_SEED);
 * VAKT_SYNC_MODEL_RUNS runs.
 */
import fc from 'fast-check';
import { afterAll, expect, it } from 'vitest';
import type { Role } from '../../core/sync/mutations.js';
import type { HttpSyncTransport } from '../../main/sync/http-transport.js';
import { pgliteApp } from '../server/apps.js';
import { enrolModelDevices, modelClock, modelWorld, opArb, runModel } from '../server/model.js';
import type { ModelActor, ModelCoverage, ModelWorld, Op, SentMutation } from '../server/model.js';
import { runStatusPairs } from '../server/status-pairs.js';
import type { SqliteDevice } from './helpers.js';
import { cleanupTempDirs, sqliteDevice } from './helpers.js';

const get = pgliteApp({ clock: modelClock });
afterAll(() => cleanupTempDirs());

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

/** `n` SQLite devices (openStore, the app's own store) as model actors. */
async function sqliteActors(w: ModelWorld, n: number, opened: SqliteDevice[], role?: (i: number) => Role): Promise<ModelActor[]> {
  for (let i = 0; i < n; i++) opened.push(sqliteDevice({ clock: w.clock, machineId: `model-${i}` }));
  const enrolled = await enrolModelDevices(w, n, { ...(role ? { role } : {}), provisionalPrefix: (i) => opened[i]!.store.caseNumbers.active().prefix });
  return enrolled.map(({ enrolled: e, role, transport }, i): ModelActor => {
    const d = opened[i]!;
    d.store.sync.enrol({ serverUrl: 'http://vakt.test', tenantId: e.tenantId, deviceId: e.deviceId, role: e.role, casePrefix: e.casePrefix, userId: e.userId!, userName: e.userName ?? null });
    return {
      deviceId: e.deviceId,
      role,
      ticketIds: () => d.ticketIds(),
      createTicket: (text) => d.createTicket(text),
      note: (id, text) => d.note(id, text),
      setStatus: (id, status) => d.setStatus(id, status),
      changePriority: (id, p) => d.setPriority(id, p),
      assign: (id, who) => d.assign(id, who),
      edit: (id, field, value) => d.edit(id, field, value),
      resolve: (c, v) => {
        const open = d.store.sync.conflicts();
        const conflict = open.length ? open[c % open.length] : undefined;
        if (conflict && !conflict.resolving) d.store.sync.resolveConflict(conflict.id, conflict.candidates[v % conflict.candidates.length]!.value);
      },
      // A customer the model names `cust-m<r>`: created with that (UUID) id, or changed if the device has it. The
      // store takes no site by id (it makes its own), so site ops are the in-memory devices' only.
      putRecord: (kind, id, data) => {
        if (kind !== 'customer') return false;
        const uuid = `00000000-0000-4000-8000-${id.replace(/\D/g, '').padStart(12, '0')}`;
        const name = data.name as string;
        if (d.store.customers.getCustomer(uuid)) d.store.customers.updateCustomer(uuid, { name, orgNumber: null, notes: null });
        else d.store.customers.createCustomer({ id: uuid, name });
        return true;
      },
      ack: (p) => d.store.oncall.ack({ alertKey: p.alertKey, ticketId: p.ticketId, action: p.action, until: p.until ?? null }),
      sync: () => syncOnce(d, transport),
      pending: async () => (await d.sync.counts()).pending,
      sent: () =>
        (
          d.store.db.prepare('SELECT id, seq, name, hlc, payload, status, reason, message FROM outbox WHERE seq IS NOT NULL ORDER BY device_seq').all() as (Omit<SentMutation, 'payload'> & {
            payload: string;
          })[]
        ).map((m) => ({ ...m, payload: JSON.parse(m.payload) as unknown })),
      ticket: (id) => {
        const t = d.store.tickets.get(id);
        return t && { status: t.status, priority: t.priority, assignee: t.assignee, title: t.title, description: t.description, customerRef: t.customerRef };
      },
      whole: false,
      eventIds: (id) => d.eventIds(id),
      // The store keeps a refused event's row, marked refused (sync_rejected_events): it is on no timeline.
      hasEvent: (id) => d.store.db.prepare('SELECT 1 FROM ticket_events WHERE id = ? AND id NOT IN (SELECT event_id FROM sync_rejected_events)').get(id) !== undefined,
      openConflictIds: () =>
        d.store.sync
          .conflicts()
          .map((c) => c.id)
          .sort(),
      checkMore: (server) => {
        expect(d.store.db.pragma('foreign_key_check'), `device ${e.deviceId}: foreign keys`).toEqual([]);
        // The acks of alerts: the server's, each user's latest.
        expect(d.store.db.prepare('SELECT alert_key AS alertKey, user_id AS userId, action, until, hlc FROM alert_acks ORDER BY alert_key, user_id').all(), `device ${e.deviceId}'s acks`).toEqual(
          server.acks
            .map((a) => ({ alertKey: a.alertKey, userId: a.userId, action: a.action, until: a.until, hlc: a.hlc }))
            .sort((x, y) => (x.alertKey !== y.alertKey ? (x.alertKey < y.alertKey ? -1 : 1) : x.userId < y.userId ? -1 : 1)),
        );
      },
    };
  });
}

it('SQLite devices converge with the server after random offline edits through a faulty network', async () => {
  const seed = Number(process.env.VAKT_MODEL_SEED ?? 20260401);
  const seen: ModelCoverage = { sent: 0, refused: 0, forbidden: 0, staleStatus: 0, acks: 0 };
  await fc.assert(
    fc.asyncProperty(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(opArb(3), { minLength: 10, maxLength: 80 }), async (s: number, ops: Op[]) => {
      const { app, db } = get();
      const opened: SqliteDevice[] = [];
      try {
        const w = await modelWorld(app, db, s);
        const c = await runModel(w, await sqliteActors(w, 3, opened), ops);
        for (const k of Object.keys(seen) as (keyof ModelCoverage)[]) seen[k] += c[k];
      } finally {
        for (const d of opened) d.close();
      }
    }),
    { seed, numRuns: Number(process.env.VAKT_SYNC_MODEL_RUNS ?? 12), endOnFailure: true },
  );
  // The runs made what the checks are about: refusals (by role). Stale status changes are rare here; test/server/status-pairs.ts makes each.
  for (const k of ['sent', 'refused', 'forbidden'] as const) expect(seen[k], `runs with ${k}`).toBeGreaterThan(0);
}, 240_000);

it('every pair of status transitions from two SQLite devices, both arrival orders', async () => {
  const { app, db } = get();
  const opened: SqliteDevice[] = [];
  try {
    const w = await modelWorld(app, db, Number(process.env.VAKT_MODEL_SEED ?? 20260401));
    w.net.faults = false;
    const [a, b] = await sqliteActors(w, 2, opened, () => 'duty_officer');
    const r = await runStatusPairs(w, [a!, b!]);
    expect(r.scenarios).toBe(5 * 5 * 5 * 2);
    expect(r.refused).toBeGreaterThan(0);
  } finally {
    for (const d of opened) d.close();
  }
}, 300_000);
